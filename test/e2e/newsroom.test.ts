/**
 * The newsroom in a real browser: an editor signs in, writes a story with a
 * heading, a link and an uploaded image in the rich-text editor, previews it,
 * schedules it a few seconds ahead, and a reader finds it on the home page
 * once the scheduler has run; the editor adds a correction and the reader
 * sees it; a contributor can write and submit, but not publish. Debian's
 * Chromium via playwright-core. Screenshots of the main screens go to
 * test-results/ (the README's come from there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/accounts.js';
import { launchBrowser, SHOTS, signInWithForm, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { hashPassword } from '../../src/accounts/password.js';

const PASSWORD = 'harbour lights at midnight';
const HEADLINE = 'Harbour cranes fall silent as dockworkers strike for a third day';

let t: TestApp;
let browser: Browser;
let tmp: string;
let photo: string;

beforeAll(async () => {
  if (SKIP) return;
  t = await startDemoApp({ build: { scheduler: { intervalMs: 500 } } });
  const hash = await hashPassword(PASSWORD);
  await buildUser(t.db.kysely, { email: 'desk@example.org', role: 'editor', displayName: 'Night Desk', passwordHash: hash });
  await buildUser(t.db.kysely, { email: 'stringer@example.org', role: 'contributor', displayName: 'Amara Stringer', passwordHash: hash });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-newsroom-e2e-'));
  photo = path.join(tmp, 'harbour.png');
  // A real picture: a sky over a quay, drawn for this test.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
    <rect width="1200" height="520" fill="#7aa7c7"/><rect y="520" width="1200" height="280" fill="#2d4a5e"/>
    <rect x="180" y="200" width="40" height="320" fill="#e0a030"/><rect x="180" y="200" width="420" height="30" fill="#e0a030"/></svg>`;
  await sharp(Buffer.from(svg)).png().toFile(photo);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const signIn = (page: Page, email: string, next: string) => signInWithForm(page, t.url, { email, password: PASSWORD }, next);

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  return errors;
}

/** The value for a datetime-local control, `seconds` from now in the browser's time zone. */
async function localTimeFromNow(page: Page, seconds: number): Promise<string> {
  return page.evaluate((s) => {
    const d = new Date(Date.now() + s * 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, seconds);
}

async function newContext(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1360, height: 900 } });
}

describe.skipIf(SKIP)('the newsroom in the browser', () => {
  it('an editor writes, previews and schedules a story; a reader sees it, then its correction', async () => {
    const desk = await newContext();
    const page = await desk.newPage();
    const errors = watchErrors(page);

    await signIn(page, 'desk@example.org', '/newsroom');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Stories');
    await page.screenshot({ path: path.join(SHOTS, 'newsroom-stories.png') });

    // A new story: the fields, then the body in the rich-text editor.
    await page.getByRole('link', { name: 'New story' }).first().click();
    await page.waitForURL(`${t.url}/newsroom/stories/new`);
    await page.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
    await page.locator('#story-headline').fill(HEADLINE);
    await page.locator('#story-standfirst').fill('Ships queue off the breakwater while the port authority and the union trade offers.');
    await page.locator('#story-section').selectOption({ label: 'Economy' });
    await page.locator('#story-credit').fill('Staff, Agencies');

    const body = page.locator('[data-editor-body] .ProseMirror');
    await body.click();
    await page.keyboard.type('Not one container moved through the east terminal on Thursday.');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Heading 2' }).click();
    await page.keyboard.type('What the union wants');
    await page.keyboard.press('Enter');
    await page.keyboard.type('The union published its demands on its website');
    // Select the last two words and make them a link.
    for (let i = 0; i < 'its website'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
    await page.getByRole('button', { name: 'Link' }).click();
    await page.locator('#url-dialog-input').fill('https://union.example.org/demands');
    await page.locator('#url-dialog-ok').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' on Wednesday night.');
    await page.keyboard.press('Enter');

    // An image: uploaded from the dialog, with alt text, caption and credit.
    await page.getByRole('button', { name: 'Insert image' }).click();
    await page.locator('#media-upload').setInputFiles(photo);
    await page.locator('#media-alt').waitFor({ state: 'visible' });
    await page.locator('#media-alt').fill('Idle yellow cranes over an empty quay');
    await page.locator('#media-caption').fill('The east terminal on Thursday morning.');
    await page.locator('#media-credit').fill('Dispatch/Staff');
    await page.locator('#media-confirm').click();
    await expect.poll(() => body.locator('img').count()).toBe(1);

    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/newsroom\/stories\/\d+$/);
    await expect.poll(() => page.locator('#editor-status').textContent()).toMatch(/Saved/);
    const id = Number(/stories\/(\d+)$/.exec(page.url())![1]);
    expect(await page.locator('nav[aria-label="Newsroom"] a[aria-current="page"]').textContent()).toBe('Stories');
    await page.screenshot({ path: path.join(SHOTS, 'newsroom-editor.png') });

    // Preview: the reader's page, marked as a preview, before anything is public.
    const [preview] = await Promise.all([desk.waitForEvent('page'), page.getByRole('link', { name: 'Preview' }).click()]);
    await preview.waitForLoadState();
    expect(await preview.locator('h1').textContent()).toBe(HEADLINE);
    expect(await preview.locator('.preview-banner').textContent()).toContain('not published');
    expect(await preview.locator('.article-body h2').textContent()).toBe('What the union wants');
    expect(await preview.locator('.article-body a[href="https://union.example.org/demands"]').textContent()).toBe('its website');
    expect(await preview.locator('.article-body figure img').getAttribute('alt')).toBe('Idle yellow cranes over an empty quay');
    await preview.screenshot({ path: path.join(SHOTS, 'newsroom-preview.png') });
    await preview.close();
    const anonymous = await t.get(`/api/v1/articles/${id}`);
    expect(anonymous.status).toBe(404);

    // Schedule a few seconds ahead.
    await page.locator('#story-schedule-at').fill(await localTimeFromNow(page, 4));
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await expect.poll(() => page.locator('[data-story-status]').getAttribute('data-story-status')).toBe('scheduled');

    // A reader: not there yet, then on the home page once the scheduler has run.
    const readers = await newContext();
    const reader = await readers.newPage();
    const readerErrors = watchErrors(reader);
    await reader.goto(`${t.url}/`);
    expect(await reader.locator('main').textContent()).not.toContain(HEADLINE);
    // Reloading, as a reader waiting for news does (a plain visit may reuse the browser's copy for max-age=15).
    await expect
      .poll(async () => {
        await reader.reload();
        return reader.locator('main').textContent();
      }, { timeout: 20_000, interval: 500 })
      .toContain(HEADLINE);
    await reader.getByRole('link', { name: HEADLINE }).first().click();
    await expect.poll(() => reader.locator('h1').textContent()).toBe(HEADLINE);
    expect(await reader.locator('.article-body h2').textContent()).toBe('What the union wants');
    expect(await reader.locator('.article-body a[href="https://union.example.org/demands"]').count()).toBe(1);
    const img = reader.locator('.article-body figure img');
    expect(await img.getAttribute('alt')).toBe('Idle yellow cranes over an empty quay');
    expect(await img.getAttribute('srcset')).toMatch(/ 320w, .+ 640w/);
    expect(await img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    expect(await reader.locator('main').textContent()).toContain('Staff, Agencies');

    // The editor corrects it; the reader sees the note.
    await page.reload();
    await expect.poll(() => page.locator('[data-story-status]').getAttribute('data-story-status')).toBe('published');
    await page.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
    await page.locator('#story-correction').fill('An earlier version of this story misstated the day the strike began. It began on Tuesday.');
    await page.getByRole('button', { name: 'Add correction' }).click();
    await expect.poll(() => page.locator('#editor-status').textContent()).toMatch(/Correction added/);
    await reader.reload();
    await expect.poll(() => reader.locator('main').textContent()).toContain('misstated the day the strike began');
    await reader.screenshot({ path: path.join(SHOTS, 'newsroom-published-story.png'), fullPage: true });

    // The list shows who did it.
    await page.goto(`${t.url}/newsroom?q=${encodeURIComponent('Harbour cranes')}`);
    expect(await page.locator('main').textContent()).toContain('Night Desk');

    expect(errors).toEqual([]);
    expect(readerErrors).toEqual([]);
    await desk.close();
    await readers.close();
  }, 120_000);

  it('a contributor writes and submits a draft, but cannot publish', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, 'stringer@example.org', '/newsroom/stories/new');
    await page.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
    await page.locator('#story-headline').fill('Fishing fleet waits out the storm in the old harbour');
    await page.locator('#story-section').selectOption({ label: 'Economy' });
    await page.locator('[data-editor-body] .ProseMirror').click();
    await page.keyboard.type('Forty boats stayed tied up on Friday as the gale warning held.');
    // Nobody clicks Save: the draft saves itself a few seconds after the last keystroke.
    await page.waitForURL(/\/newsroom\/stories\/\d+$/, { timeout: 15_000 });
    const id = Number(/stories\/(\d+)$/.exec(page.url())![1]);
    await expect.poll(() => page.locator('#editor-status').textContent()).toMatch(/Saved/);
    const saved = await t.db.kysely.selectFrom('articles').select(['headline', 'status']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(saved).toEqual({ headline: 'Fishing fleet waits out the storm in the old harbour', status: 'draft' });

    // Leaving with unsaved changes asks first.
    await page.locator('#story-standfirst').fill('The harbour master expects the boats out by Sunday.');
    const asked = new Promise<string>((resolve) => page.once('dialog', (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.locator('#editor-status').textContent()).toMatch(/Saved/);

    // No way to publish in the page…
    expect(await page.getByRole('button', { name: 'Publish now' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Schedule', exact: true }).count()).toBe(0);
    // …and the server refuses it all the same.
    const refused = await page.evaluate(async (storyId) => {
      const res = await fetch(`/api/admin/articles/${storyId}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return res.status;
    }, id);
    expect(refused).toBe(403);
    // The browser logs that refused request; it is the one expected error.
    errors.splice(0, errors.length, ...errors.filter((e) => !/\b403\b/.test(e)));

    await page.getByRole('button', { name: 'Submit for review' }).click();
    await expect.poll(() => page.locator('[data-story-status]').getAttribute('data-story-status')).toBe('review');
    expect((await t.get(`/api/v1/articles/${id}`)).status).toBe(404);
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);

  it('two editors on one story: the second save is stopped and told who saved first', async () => {
    await buildUser(t.db.kysely, { email: 'dayside@example.org', role: 'editor', displayName: 'Day Desk', passwordHash: await hashPassword(PASSWORD) });
    const [one, two] = [await newContext(), await newContext()];
    const [a, b] = [await one.newPage(), await two.newPage()];
    await signIn(a, 'desk@example.org', '/newsroom');
    await signIn(b, 'dayside@example.org', '/newsroom');
    const { id } = await t.db.kysely.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('id').executeTakeFirstOrThrow();
    for (const p of [a, b]) {
      await p.goto(`${t.url}/newsroom/stories/${id}`);
      await p.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
    }
    await a.locator('#story-standfirst').fill('A first editor rewrote this standfirst.');
    await a.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => a.locator('#editor-status').textContent()).toMatch(/Saved/);

    await b.locator('#story-standfirst').fill('A second editor, who never saw the first one, rewrote it too.');
    await b.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => b.locator('#editor-errors').textContent()).toContain('Night Desk');
    expect(await b.locator('#editor-status').textContent()).toMatch(/someone else saved/);
    const saved = await t.db.kysely.selectFrom('articles').select('standfirst').where('id', '=', id).executeTakeFirstOrThrow();
    expect(saved.standfirst).toBe('A first editor rewrote this standfirst.');
    await one.close();
    await two.close();
  }, 60_000);

  it('shows the management screens to an admin', async () => {
    const hash = await hashPassword(PASSWORD);
    await buildUser(t.db.kysely, { email: 'chief@example.org', role: 'admin', displayName: 'Managing Editor', passwordHash: hash });
    const context = await newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signIn(page, 'chief@example.org', '/newsroom/sections');
    for (const [url, heading, shot] of [
      ['/newsroom/sections', 'Sections', 'newsroom-sections.png'],
      ['/newsroom/people', 'People', 'newsroom-people.png'],
      ['/newsroom/media', 'Media library', 'newsroom-media.png'],
      ['/newsroom/audit', 'Audit log', null],
      ['/newsroom/comments', null, null],
      ['/newsroom/tags', 'Tags', null],
      ['/newsroom/breaking', null, null],
      ['/newsroom/settings', 'Settings', null],
    ] as const) {
      const res = await page.goto(`${t.url}${url}`);
      expect(res?.status(), url).toBe(200);
      if (heading) expect(await page.locator('h1').textContent(), url).toBe(heading);
      expect(await page.locator('nav[aria-label="Newsroom"] a[aria-current="page"]').count(), url).toBe(1);
      if (shot) await page.screenshot({ path: path.join(SHOTS, shot) });
    }
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
