/**
 * A reader's visit in a real browser: home → a section → a story, against the
 * real app on the demo edition. Drives Debian's Chromium through playwright-core.
 *
 * Needs the client bundle (`vite build`, which `npm test` runs first) and
 * /usr/bin/chromium (or CHROMIUM_PATH). Without Chromium the file is skipped
 * locally and fails under CI (CI installs it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { CHROMIUM, HAVE_CHROMIUM, launchBrowser, SHOTS, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { clientDir } from '../../src/web/assets.js';
import { exactTime, relativeTime } from '../../src/web/relative-time.js';

const SKIP_REASON = `${CHROMIUM} not found; install it with \`apt-get install -y chromium\` (under CI this is a failure)`;
if (SKIP) console.warn(`[e2e] Skipping the browser tests: ${SKIP_REASON}`);

const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } };
const MOBILE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

/** What went wrong while a page was open: console errors (CSP violations among them), script errors, failed or refused requests. */
interface Problems {
  list: string[];
}

function watch(page: Page): Problems {
  const problems: Problems = { list: [] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.list.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.list.push(`script error: ${err.message}`));
  page.on('requestfailed', (req) => problems.list.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText ?? '?'})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.list.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  return problems;
}

/** Scrolls through the page so lazy images load, then waits until every image has finished. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const step = Math.max(200, Math.floor(window.innerHeight * 0.8));
    for (let y = 0; y < document.documentElement.scrollHeight; y += step) {
      window.scrollTo(0, y);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
    }
    window.scrollTo(0, 0);
  });
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), undefined, { timeout: 15_000 });
}

/** The reader-facing basics every page must have. */
async function checkPageBasics(page: Page): Promise<void> {
  const skip = page.locator('a.skip-link, a[href="#main"]').first();
  await expect(skip.getAttribute('href')).resolves.toBe('#main');
  expect(await page.getByRole('main').count()).toBe(1);
  expect(await page.locator('main#main').count()).toBe(1);
  const withoutAlt = await page.locator('img:not([alt])').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  expect(withoutAlt, 'images without an alt attribute').toEqual([]);
  // Images a reader can see (not hidden from assistive technology) must say what they show.
  const emptyAlt = await page
    .locator('img[alt=""]')
    .evaluateAll((imgs) => imgs.filter((i) => !i.closest('[aria-hidden="true"]') && i.getAttribute('role') !== 'presentation').map((i) => (i as HTMLImageElement).src));
  expect(emptyAlt, 'content images with an empty alt').toEqual([]);
  // The client bundle is linked and actually arrived.
  const scripts = await page.locator('script[type="module"][src^="/assets/"]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src));
  expect(scripts.length, 'module script from /assets/').toBeGreaterThan(0);
  const styles = await page.locator('link[rel="stylesheet"][href^="/assets/"]').count();
  expect(styles, 'stylesheet from /assets/').toBeGreaterThan(0);
  const applied = await page.evaluate(() => [...document.styleSheets].some((sheet) => sheet.href?.includes('/assets/') && sheet.cssRules.length > 0));
  expect(applied, 'the /assets/ stylesheet loaded and applies (was dist/client rebuilt during the test?)').toBe(true);
}

describe.skipIf(SKIP)(SKIP ? `reader journey in Chromium (skipped: ${SKIP_REASON})` : 'reader journey in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let articlePath = '';

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`CI is set but ${CHROMIUM} is missing: install Chromium (apt-get install -y chromium) before the browser tests.`);
    if (!fs.existsSync(path.join(clientDir, '.vite', 'manifest.json'))) {
      throw new Error(`No client build in ${clientDir}: run \`npx vite build\` first (\`npm test\` does).`);
    }
    t = await startDemoApp();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(options: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page; problems: Problems }> {
    const context = await browser.newContext({ baseURL: t.url, locale: 'en-GB', timezoneId: 'UTC', ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return { context, page, problems: watch(page) };
  }

  it('goes from home to a section to a story, and the story shows what a reader expects', async () => {
    const { context, page, problems } = await open(DESKTOP);
    try {
      // Home.
      const home = await page.goto('/');
      expect(home?.status()).toBe(200);
      await checkPageBasics(page);
      expect(await page.locator('.story-card').count()).toBeGreaterThan(3);
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'home-desktop.png'), fullPage: true });

      // A section, through the navigation: World, then its subsection Africa.
      const nav = page.getByRole('navigation', { name: 'Sections' });
      await Promise.all([page.waitForURL('**/world'), nav.getByRole('link', { name: 'World', exact: true }).click()]);
      await expect(page.locator('h1').innerText()).resolves.toContain('World');
      const africaLink = page.locator('.site-subnav, .chip-nav').getByRole('link', { name: 'Africa', exact: true }).first();
      await Promise.all([page.waitForURL('**/africa'), africaLink.click()]);
      expect(new URL(page.url()).pathname).toBe('/africa');
      await expect(page.locator('h1').innerText()).resolves.toContain('Africa');
      await checkPageBasics(page);

      // A story, by its headline.
      const headlineLink = page.locator('main .story-card__headline a').first();
      const headline = (await headlineLink.innerText()).trim();
      expect(headline.length).toBeGreaterThan(10);
      await Promise.all([page.waitForURL(/\/africa\/\d+-[a-z0-9-]+$/), headlineLink.click()]);
      articlePath = new URL(page.url()).pathname;
      await checkPageBasics(page);

      const h1 = page.locator('main h1');
      expect(await h1.count()).toBe(1);
      expect((await h1.innerText()).trim()).toBe(headline);
      await expect(page.title()).resolves.toContain(headline);

      const header = page.locator('main article .article__header, main article header').first();
      // textContent: the label is uppercased by CSS, but what it says is the section's name.
      await expect(header.locator('.section-label').first().textContent()).resolves.toMatch(/^\s*Africa\s*$/);

      // When it was published: relative text, exact time on hover, machine time in datetime.
      const time = header.locator('time[datetime]').first();
      const datetime = (await time.getAttribute('datetime'))!;
      expect(Number.isNaN(Date.parse(datetime)), `datetime="${datetime}"`).toBe(false);
      expect(await time.getAttribute('title')).toBe(exactTime(datetime));
      const before = await page.evaluate(() => Date.now());
      const shown = (await time.innerText()).trim();
      const after = await page.evaluate(() => Date.now());
      expect(shown).toMatch(/ago|just now/);
      // The text is the reader's clock's view of the time (the script recomputes it on load).
      expect([relativeTime(datetime, new Date(before)), relativeTime(datetime, new Date(after))]).toContain(shown);

      const byline = header.locator('.byline').first();
      expect((await byline.textContent())?.replace(/\s+/g, ' ').trim()).toMatch(/^By \S/);

      const favorite = page.getByRole('button', { name: 'Add to favorites' });
      expect(await favorite.count()).toBe(1);
      expect(await favorite.isVisible()).toBe(true);

      expect(await page.locator('main .article-body p').count()).toBeGreaterThan(0);

      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'article-desktop.png'), fullPage: true });
      expect(problems.list).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('rewrites relative times against the reader’s own clock, on load and as time passes', async () => {
    expect(articlePath, 'the journey test found a story').not.toBe('');
    // The server renders "N hours ago" against its clock; pretend the reader's clock is 9 days later.
    const readerNow = new Date(Date.now() + 9 * 24 * 3600_000);
    const { context, page, problems } = await open(DESKTOP);
    try {
      await page.clock.install({ time: readerNow });
      const serverHtml = await (await t.get(articlePath)).text();
      await page.goto(articlePath);
      const time = page.locator('main article time[datetime]').first();
      const datetime = (await time.getAttribute('datetime'))!;
      // What the server sent (possibly from its page cache): the server clock's relative time.
      const escaped = datetime.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const serverText = new RegExp(`<time[^>]*datetime="${escaped}"[^>]*>([^<]*)</time>`).exec(serverHtml)?.[1];
      expect(serverText, 'the <time> in the server HTML').toMatch(/ago|just now/);

      const onLoad = relativeTime(datetime, readerNow);
      expect(onLoad).not.toBe(serverText);
      await expect.poll(async () => (await time.innerText()).trim()).toBe(onLoad);

      // Every relative time on the page was rewritten, not just the first one.
      const all = await page.locator('time[data-relative]').evaluateAll((els) => els.map((e) => [(e as HTMLTimeElement).dateTime, e.textContent?.trim() ?? '']));
      const readerMs = await page.evaluate(() => Date.now());
      for (const [dt, text] of all) expect([relativeTime(dt!, readerNow), relativeTime(dt!, new Date(readerMs))], dt).toContain(text);

      // Three more weeks pass with the page open: the periodic refresh catches up.
      await page.clock.fastForward(21 * 24 * 3600_000);
      const later = relativeTime(datetime, new Date(await page.evaluate(() => Date.now())));
      expect(later).not.toBe(onLoad);
      await page.clock.runFor(31_000);
      await expect.poll(async () => (await time.innerText()).trim()).toBe(relativeTime(datetime, new Date(await page.evaluate(() => Date.now()))));
      expect(problems.list).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('reads well on a phone: no sideways scrolling, headline and favorites visible', async () => {
    expect(articlePath).not.toBe('');
    const { context, page, problems } = await open(MOBILE);
    try {
      await page.goto(articlePath);
      await checkPageBasics(page);
      expect(await page.locator('main h1').isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Add to favorites' }).isVisible()).toBe(true);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, 'horizontal overflow in px at 390px wide').toBeLessThanOrEqual(1);
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'article-mobile.png'), fullPage: true });
      expect(problems.list).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('follows the reader’s dark colour scheme', async () => {
    expect(articlePath).not.toBe('');
    const { context, page, problems } = await open({ ...DESKTOP, colorScheme: 'dark' });
    try {
      await page.goto(articlePath);
      await checkPageBasics(page);
      // A dark page: the body's background is darker than its text.
      const [bg, fg] = await page.evaluate(() => {
        const channels = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = (c: string) => {
          const [r = 255, g = 255, b = 255] = channels(c);
          return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
        };
        // The first opaque background from <body> up (a transparent body shows <html>'s).
        const opaque = [document.body, document.documentElement]
          .map((el) => getComputedStyle(el).backgroundColor)
          .find((c) => !/^rgba\(.*,\s*0\)$/.test(c) && c !== 'transparent');
        if (!opaque) throw new Error('neither <body> nor <html> sets a background colour');
        return [lum(opaque), lum(getComputedStyle(document.body).color)];
      });
      expect(bg, 'body background luminance in dark mode').toBeLessThan(0.3);
      expect(fg).toBeGreaterThan(bg);
      await settle(page);
      await page.screenshot({ path: path.join(SHOTS, 'article-desktop-dark.png'), fullPage: true });
      expect(problems.list).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
