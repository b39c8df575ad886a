/**
 * A live story in a real browser: a reader scrolled into the stream sees
 * "1 new update" appear after an editor posts, without anything on screen
 * moving (the first visible post's top and the scroll position stay put),
 * the poll is answered 304 while nothing changed, and clicking the button
 * puts the new post on top of the stream and brings it into view.
 * Debian's Chromium via playwright-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { buildSection, createStory, publishStory } from '../helpers/factories.js';
import { buildStaff, type SignedIn } from '../helpers/accounts.js';
import { launchBrowser, SHOTS, SKIP_BROWSER as SKIP } from '../helpers/browser.js';

let t: TestApp;
let browser: Browser;
let editor: SignedIn;
let story: { id: number; path: string };

const LOREM = 'Delegates left the hall for consultations, and the chair said talks would resume within the hour. ';

beforeAll(async () => {
  if (SKIP) return;
  t = await startTestApp({ seed: async ({ db: { kysely: db } }) => void (await buildSection(db, { slug: 'africa', name: 'Africa' })) });
  ({ editor } = await buildStaff(t.db.kysely, { editor: 'editor' }, { displayName: () => 'Ama Owusu' }));
  const created = await createStory(t, editor, { headline: 'Summit in Sefa: live' });
  story = await publishStory(t, editor, created.id);
  expect((await t.api('POST', `/api/admin/articles/${story.id}/live/start`, { as: editor })).status).toBe(200);
  for (let i = 1; i <= 10; i++) {
    const r = await t.api('POST', `/api/admin/articles/${story.id}/live/posts`, { as: editor, body: { body: `Update ${i}. ${LOREM.repeat(3)}` } });
    expect(r.status).toBe(201);
  }
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** The first post the reader can see (its top below the top of the window), and where it is. */
function firstVisiblePost(page: Page): Promise<{ id: string; top: number; scrollY: number }> {
  return page.evaluate(() => {
    const post = [...document.querySelectorAll<HTMLElement>('.live-stream .live-post')].find((el) => el.getBoundingClientRect().top >= 0)!;
    return { id: post.id, top: post.getBoundingClientRect().top, scrollY: window.scrollY };
  });
}

describe.skipIf(SKIP)('a live story in the browser', () => {
  it('shows "1 new update" without moving the page, and clicking it shows the post', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const polls: number[] = [];
    page.on('response', (r) => r.url().endsWith(`/api/v1/articles/${story.id}/live`) && polls.push(r.status()));

    await page.goto(`${t.url}${story.path}`);
    // The reader is reading the middle of the stream.
    await page.locator('.live-stream .live-post').nth(4).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, -40));
    const before = await firstVisiblePost(page);
    expect(before.scrollY).toBeGreaterThan(300);

    // Nothing changed yet: the poll is answered 304 (one cached URL for every reader).
    await expect.poll(() => polls.includes(304), { timeout: 20_000 }).toBe(true);
    expect(await page.locator('.live-new-updates').isVisible()).toBe(false);

    const posted = await t.api<{ post: { id: number } }>('POST', `/api/admin/articles/${story.id}/live/posts`, { as: editor, body: { body: 'Breaking: a deal is announced.' } });
    expect(posted.status).toBe(201);
    const button = page.getByRole('button', { name: '1 new update' });
    await expect.poll(() => button.isVisible(), { timeout: 20_000 }).toBe(true);

    // The button appeared, and nothing the reader was looking at moved.
    const after = await firstVisiblePost(page);
    expect(after.id).toBe(before.id);
    expect(Math.abs(after.top - before.top)).toBeLessThan(1);
    expect(after.scrollY).toBe(before.scrollY);
    await page.screenshot({ path: path.join(SHOTS, 'live-new-update.png') });

    await button.click();
    const fresh = page.locator(`#post-${posted.body!.post.id}`);
    await expect.poll(() => fresh.isVisible()).toBe(true);
    const box = await fresh.evaluate((el) => ({ top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom, inner: window.innerHeight }));
    expect(box.top).toBeGreaterThanOrEqual(0);
    expect(box.bottom).toBeLessThanOrEqual(box.inner);
    expect(await fresh.textContent()).toContain('Breaking: a deal is announced.');
    // It is the newest post, on top of the stream; the posts the reader had are all still there, in order.
    const ids = await page.locator('.live-stream .live-post').evaluateAll((els) => els.map((el) => el.id));
    expect(ids[0]).toBe(`post-${posted.body!.post.id}`);
    expect(ids).toHaveLength(11);
    expect(await button.isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
