/**
 * The wire desk in a real browser, on the demo edition: an editor has the
 * desk open; an item pushed to the signed endpoint appears without a reload;
 * the editor ticks it with another agency's item on the same event, uses
 * them together and publishes; the reader's page says "By Staff, Agencies";
 * a correction pushed later shows "update available" on the story in the
 * newsroom. The desk's screenshot goes to test-results/newsroom-wires.png
 * (docs/newsroom-wires.png is a copy).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { buildUser } from '../helpers/accounts.js';
import { launchBrowser, SHOTS, signInWithForm, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { hashPassword } from '../../src/accounts/password.js';
import { signPush } from '../../src/wires/wire-push.routes.js';
import { seedDemoWires } from '../../src/wires/demo/seed.js';
import { SYSTEM } from '../../src/accounts/staff.js';

const PASSWORD = 'wire copy before dawn';
const HEADLINE = 'Kestrel Bay turbines: first foundation laid at sea';

let t: TestApp;
let browser: Browser;
let secret: string;

beforeAll(async () => {
  if (SKIP) return;
  t = await startDemoApp();
  await seedDemoWires(t.app.deps.wires);
  await buildUser(t.db.kysely, { email: 'wires@example.org', role: 'editor', displayName: 'Wire Desk', passwordHash: await hashPassword(PASSWORD) });
  secret = (await t.db.kysely.selectFrom('wire_providers').select('push_secret').where('name', '=', 'meridian-press').executeTakeFirstOrThrow()).push_secret!;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Pushes a ninjs item to Meridian Press's signed endpoint, as the agency would. */
async function push(version: number, body: string): Promise<void> {
  const doc = JSON.stringify({
    uri: 'urn:meridian-press:e2e:foundation', version: String(version), headline: HEADLINE, language: 'en', urgency: 3, pubstatus: 'usable',
    ...(version > 1 ? { signals: [{ qcode: 'sig:correction' }] } : {}),
    description_text: 'Work began on Tuesday on the wind farm approved in April.',
    body_html: body, subject: [{ code: 'medtop:20000249', name: 'renewable energy' }, { code: 'medtop:04000000', name: 'economy, business and finance' }],
  });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${t.url}/api/wires/meridian-press`, {
    method: 'POST', body: doc, headers: { 'content-type': 'application/ninjs+json', 'x-dispatch-timestamp': String(ts), 'x-dispatch-signature': signPush(secret, ts, doc) },
  });
  expect(res.status, await res.text()).toBe(200);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

describe.skipIf(SKIP)('the wire desk in the browser', () => {
  it('a pushed item appears live; the editor uses it with another agency\'s copy and publishes; the reader sees "By Staff, Agencies"; a correction shows "update available"', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await signInWithForm(page, t.url, { email: 'wires@example.org', password: PASSWORD }, '/newsroom/wires');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Wire desk');
    expect(await page.locator('tr[data-wire-id]').count()).toBeGreaterThan(5);
    await page.screenshot({ path: path.join(SHOTS, 'newsroom-wires.png') });

    // The agency pushes; the open desk shows it without a reload.
    const loads: string[] = [];
    page.on('framenavigated', (f) => f === page.mainFrame() && loads.push(f.url()));
    await push(1, '<p>KESTREL BAY (Meridian Press) — Crews set the first steel foundation on Tuesday.</p><p>Forty are planned by 2028.</p>');
    const row = page.locator('tr[data-wire-id]', { hasText: HEADLINE });
    await row.waitFor({ timeout: 15_000 });
    expect(loads).toEqual([]);
    expect(await page.locator('tr[data-wire-id]').first().textContent()).toContain(HEADLINE);
    await expect.poll(() => page.locator('[data-wire-live-text]').textContent()).toMatch(/1 new or updated item/);

    // Ticked with Atlas Wire's copy on the same wind farm, used together.
    await row.getByRole('checkbox').check();
    await page.locator('tr[data-wire-id]', { hasText: 'Atlas Wire' }).filter({ hasText: /Kestrel/ }).first().getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Use selected together' }).click();
    await page.waitForURL(/\/newsroom\/stories\/\d+\?done=wire$/);
    const id = Number(/stories\/(\d+)/.exec(page.url())![1]);
    await page.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
    expect(await page.locator('#story-headline').inputValue()).toBe(HEADLINE);
    expect(await page.locator('#story-credit').inputValue()).toBe('Staff, Agencies');
    expect(await page.locator('.nr-story-wire__sources').textContent()).toContain('Atlas Wire');

    await page.getByRole('button', { name: 'Publish now' }).click();
    await expect.poll(() => page.locator('[data-story-status]').getAttribute('data-story-status')).toBe('published');

    // The reader's page.
    const story = await t.app.deps.stories.get(SYSTEM, id);
    const reader = await (await browser.newContext()).newPage();
    await reader.goto(t.url + story.path);
    await expect.poll(() => reader.locator('h1').textContent()).toBe(HEADLINE);
    expect((await reader.locator('.byline').first().textContent())?.trim()).toBe('By Staff, Agencies');
    expect(await reader.locator('.article-body').textContent()).toContain('Crews set the first steel foundation on Tuesday.');

    // The agency corrects its copy; the story in the newsroom says so, with the change.
    await push(2, '<p>KESTREL BAY (Meridian Press) — Crews set the first steel foundation on Wednesday.</p><p>Forty are planned by 2028.</p>');
    await page.goto(`${t.url}/newsroom/stories/${id}`);
    await expect.poll(() => page.locator('.nr-story-wire__update').textContent()).toContain('Update available');
    expect(await page.locator('.nr-story-wire__update ins').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Wednesday')]));
    await page.goto(`${t.url}/newsroom?wireUpdate=1`);
    expect(await page.locator(`tr[data-story-id="${id}"]`).textContent()).toContain('Wire update available');
    expect(errors).toEqual([]);
    await context.close();
  });
});
