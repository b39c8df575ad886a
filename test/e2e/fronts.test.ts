/**
 * Curated fronts in a real browser (Debian's Chromium via playwright-core):
 * an editor arranges the demo's home page in the newsroom, adding stories
 * and reordering them with the plain ↑/↓ buttons (JavaScript off) and by
 * drag and drop (JavaScript on), previews the draft and publishes it; a
 * reader then sees the home page in that order. The home page, at 390×844
 * (a phone) and 1366×900 (a laptop), has its lead headline on the first
 * screen under the breaking strip, with special coverage below; the
 * screenshots go to docs/ (the README's).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/accounts.js';
import { launchBrowser, signInWithForm, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { hashPassword } from '../../src/accounts/password.js';
import { projectRoot } from '../../src/platform/paths.js';

const PASSWORD = 'front page at first light';
const DOCS = path.join(projectRoot, 'docs');
/** Demo stories the editor puts on top (none of them is the newest). */
const RAINS = 'Rains return to the Ondara Valley after 14 dry months';
const WELLS = 'In Kibeni, the well-diggers work through the night';
const RATES = 'Bank of Vessaly holds rates at 3.5%';

let t: TestApp;
let browser: Browser;

beforeAll(async () => {
  if (SKIP) return;
  t = await startDemoApp();
  await buildUser(t.db.kysely, { email: 'frontdesk@example.org', role: 'editor', displayName: 'Front Desk', passwordHash: await hashPassword(PASSWORD) });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

async function editorContext(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signInWithForm(page, t.url, { email: 'frontdesk@example.org', password: PASSWORD }, '/newsroom/fronts/home');
  return { context, page };
}

/** The headlines of the arranged stories, in order, as the newsroom lists them. */
const arranged = (page: Page) => page.locator('ol[data-front-slots] .fr-slot__headline a').allTextContents();

async function addStory(page: Page, headline: string): Promise<void> {
  const value = await page.locator('#front-add option', { hasText: headline }).first().getAttribute('value');
  await page.selectOption('#front-add', value!);
  await Promise.all([page.waitForURL(/done=saved/), page.getByRole('button', { name: 'Add', exact: true }).click()]);
}

/** The lead's headline is within the first screen (its whole box inside the viewport). */
async function leadOnFirstScreen(page: Page, width: number, height: number): Promise<string> {
  const lead = page.locator('.top-stories__lead h3').first();
  const box = await lead.boundingBox();
  expect(box, 'the home page has a lead').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `the lead headline ends at ${box!.y + box!.height}px, below the ${height}px screen`).toBeLessThanOrEqual(height);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
  return (await lead.textContent())!.trim();
}

describe.skipIf(SKIP)('curated fronts in the browser', () => {
  it('an editor arranges the home page (buttons without JavaScript, drag with it), previews and publishes it; a reader sees it', async () => {
    // Without JavaScript: add three stories, move one with a plain button.
    const plain = await editorContext(false);
    expect(await plain.page.getByText('No story is arranged').count()).toBe(1);
    for (const h of [RAINS, WELLS, RATES]) await addStory(plain.page, h);
    expect(await arranged(plain.page)).toEqual([RAINS, WELLS, expect.stringContaining(RATES)]);
    await Promise.all([plain.page.waitForURL(/done=saved/), plain.page.getByRole('button', { name: `Move “${RAINS}” down` }).click()]);
    expect(await arranged(plain.page)).toEqual([WELLS, RAINS, expect.stringContaining(RATES)]);
    await plain.context.close();

    // With JavaScript: drag the last story onto the first; it becomes the lead.
    const js = await editorContext(true);
    const errors = watchErrors(js.page);
    const rates = js.page.locator('ol[data-front-slots] li', { hasText: RATES });
    const first = js.page.locator('ol[data-front-slots] li').first();
    await Promise.all([js.page.waitForURL(/done=saved/), rates.dragTo(first)]);
    expect(await arranged(js.page)).toEqual([expect.stringContaining(RATES), WELLS, RAINS]);
    await js.page.screenshot({ path: path.join(DOCS, 'newsroom-fronts.png'), fullPage: true });

    // The preview: the reader's page with the draft, marked and never indexed; readers still see the old home page.
    await js.page.getByRole('link', { name: 'Preview the draft' }).click();
    expect(await js.page.locator('.preview-banner').textContent()).toContain('Preview');
    expect(await js.page.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    expect(await js.page.locator('.top-stories__lead h3').textContent()).toContain(RATES);
    const reader = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const readerPage = await reader.newPage();
    await readerPage.goto(`${t.url}/`);
    expect(await readerPage.locator('.top-stories__lead h3').textContent()).not.toContain(RATES);

    await js.page.goBack();
    await Promise.all([js.page.waitForURL(/done=published/), js.page.getByRole('button', { name: 'Publish now' }).click()]);
    expect(await js.page.getByRole('status').textContent()).toContain('Published');
    expect(errors).toEqual([]);
    await js.context.close();

    // A reader arriving now (the first reader's browser may keep its copy for max-age): the lead, then the two top stories in the editor's order.
    await reader.close();
    const next = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const nextPage = await next.newPage();
    await nextPage.goto(`${t.url}/`);
    expect(await nextPage.locator('.top-stories__lead h3').textContent()).toContain(RATES);
    const beside = await nextPage.locator('.top-stories__beside h3').allTextContents();
    expect(beside.slice(0, 2).map((s) => s.trim())).toEqual([WELLS, RAINS]);
    await next.close();
  });

  for (const [width, height] of [[390, 844], [1366, 900]] as const) {
    it(`shows the lead headline on the first screen at ${width}×${height}, under the breaking strip, special coverage below`, async () => {
      const context = await browser.newContext({ viewport: { width, height } });
      const page = await context.newPage();
      await page.goto(`${t.url}/`);
      expect(await page.locator('.breaking').count(), 'the demo has a breaking strip').toBe(1);
      expect(await page.locator('.special-coverage').count(), 'the demo has special coverage').toBeGreaterThan(0);
      const lead = await leadOnFirstScreen(page, width, height);
      expect(lead).toContain(RATES);
      const leadBox = (await page.locator('.top-stories__lead').boundingBox())!;
      const coverageBox = (await page.locator('.special-coverage').first().boundingBox())!;
      expect(coverageBox.y).toBeGreaterThan(leadBox.y);
      await page.screenshot({ path: path.join(DOCS, `home-${width}.png`) });
      await context.close();
    });
  }
});
