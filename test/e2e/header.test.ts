/**
 * The reader's header, most read and share in a real browser, on the demo
 * edition: signed out the header says "Sign in"; after signing in it shows the
 * reader's name, whose menu (a button with aria-expanded) opens with the
 * keyboard and holds Account, Favorites and Sign out; signing out brings
 * "Sign in" back. An article page sends its read beacon exactly once, and
 * "Copy link" says so when it copied. Debian's Chromium via playwright-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Request } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/accounts.js';
import { launchBrowser, signInWithForm, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { hashPassword } from '../../src/accounts/password.js';

const PASSWORD = 'harbour lights at midnight';
// Chromium headless names itself "HeadlessChrome", which the counter rightly takes for a bot: the test browses as a person's browser.
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let t: TestApp;
let browser: Browser;
let story: { id: number; path: string };

beforeAll(async () => {
  if (SKIP) return;
  t = await startDemoApp();
  const { articles } = (await (await t.get('/api/v1/articles?limit=1')).json()) as { articles: Array<{ id: number; url: string }> };
  story = { id: articles[0]!.id, path: new URL(articles[0]!.url).pathname };
  await buildUser(t.db.kysely, { email: 'june@example.org', displayName: 'June R.', passwordHash: await hashPassword(PASSWORD) });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.skipIf(SKIP)('the header, most read and share in the browser', () => {
  it('shows "Sign in" signed out, the reader\'s name and menu after sign-in, and "Sign in" again after signing out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: UA });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const meCalls: string[] = [];
    page.on('request', (r) => r.url().endsWith('/api/v1/me') && meCalls.push(r.url()));

    await page.goto(`${t.url}${story.path}`);
    const header = page.locator('header.site-header');
    const signIn = header.getByRole('link', { name: 'Sign in' });
    await expect.poll(() => signIn.isVisible()).toBe(true);
    expect(await signIn.getAttribute('href')).toBe(`/signin?next=${encodeURIComponent(story.path)}`);
    await expect.poll(() => header.getByRole('button', { name: /Your account/ }).isVisible()).toBe(false);

    await signInWithForm(page, t.url, { email: 'june@example.org', password: PASSWORD }, story.path);
    meCalls.length = 0;
    await page.reload();
    const menuButton = header.getByRole('button', { name: 'Your account: June R.' });
    await expect.poll(() => menuButton.isVisible()).toBe(true);
    expect(await signIn.isVisible()).toBe(false);
    // One /api/v1/me for the whole page: the header, favorites and the discussion share it.
    await page.waitForLoadState('networkidle');
    expect(meCalls).toHaveLength(1);

    // The keyboard opens the menu; Escape closes it and gives focus back to the button.
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    await menuButton.focus();
    await page.keyboard.press('Enter');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    const menu = header.locator('#site-account-list');
    expect(await menu.getByRole('link').allTextContents()).toEqual(['Account', 'Favorites']);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Account');
    await page.keyboard.press('Escape');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-account-toggle'))).toBe('');

    // Sign out is a real form post.
    await menuButton.click();
    await menu.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${t.url}/`);
    await expect.poll(() => header.getByRole('link', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await header.getByRole('button', { name: /Your account/ }).isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('sends the read beacon once per article page view, and counts it', async () => {
    // Another browser on this machine: a reader the first test's visit did not already count.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: UA.replace('Chrome/131', 'Chrome/132') });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    const page = await context.newPage();
    const beacons: Request[] = [];
    page.on('request', (r) => r.url().includes('/read') && r.method() === 'POST' && beacons.push(r));
    const before = (await t.app.deps.readership.readsFor([story.id])).get(story.id) ?? 0;

    await page.goto(`${t.url}${story.path}`);
    await page.waitForLoadState('networkidle');
    expect(beacons.map((r) => new URL(r.url()).pathname)).toEqual([`/api/v1/articles/${story.id}/read`]);
    await expect.poll(async () => (await t.app.deps.readership.readsFor([story.id])).get(story.id) ?? 0).toBe(before + 1);

    // The home page sends none; the same reader back on the story is not counted twice.
    await page.goto(`${t.url}/`);
    await page.waitForLoadState('networkidle');
    expect(beacons).toHaveLength(1);
    await page.goto(`${t.url}${story.path}`);
    await page.waitForLoadState('networkidle');
    expect(beacons).toHaveLength(2);
    expect((await t.app.deps.readership.readsFor([story.id])).get(story.id)).toBe(before + 1);

    // Share: plain links, and "Copy link" with a visible confirmation.
    const share = page.locator('section.share');
    expect(await share.getByRole('link', { name: /^Facebook/ }).getAttribute('href')).toContain(encodeURIComponent(`${t.url}${story.path}`));
    await share.getByRole('button', { name: 'Copy link' }).click();
    await expect.poll(() => share.locator('[data-share-status]').textContent()).toBe('Link copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${t.url}${story.path}`);
    await context.close();
  });
});
