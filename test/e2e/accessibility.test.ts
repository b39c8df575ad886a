/**
 * Every main page, as a reader and as staff, checked in Chromium by axe-core
 * (the WCAG 2 A/AA rules and best practices it knows): no violation of any
 * impact. Pages are scanned as the browser shows them, after their scripts
 * ran (the editor's toolbar included).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { signedInUser } from '../helpers/accounts.js';
import { launchBrowser, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { seedDemoWires } from '../../src/wires/demo/seed.js';

const require = createRequire(import.meta.url);

let t: TestApp;
let browser: Browser;
let axeSource: string;
let story: { id: number; path: string };

beforeAll(async () => {
  if (SKIP) return;
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  t = await startDemoApp();
  const { articles } = (await (await t.get('/api/v1/articles?limit=1')).json()) as { articles: Array<{ id: number; url: string }> };
  story = { id: articles[0]!.id, path: new URL(articles[0]!.url).pathname };
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** axe's violations on the page as it stands, one line each. */
async function violations(page: Page): Promise<string[]> {
  // The site's Content-Security-Policy allows no inline script: the context bypasses it to inject axe.
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}

async function scan(page: Page, paths: string[], ready?: (path: string) => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  for (const p of paths) {
    const res = await page.goto(t.url + p);
    expect(res?.status(), p).toBe(200);
    await ready?.(p);
    for (const v of await violations(page)) found.push(`${p} ${v}`);
  }
  return found;
}

describe.skipIf(SKIP)('accessibility (axe-core in Chromium)', () => {
  it('finds nothing on the reader pages', async () => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const found = await scan(page, ['/', '/africa', story.path, '/search?q=rain', '/favorites', '/signin', '/signup', '/tag/water', '/corrections', '/about']);
    await context.close();
    expect(found).toEqual([]);
  }, 120_000);

  it('finds nothing on the newsroom pages, the editor included', async () => {
    const admin = await signedInUser(t.db.kysely, { role: 'admin', displayName: 'Managing Editor' });
    const { cookie } = admin;
    // Two saves, so the story has revisions to compare.
    for (const standfirst of ['A first revision of the standfirst.', 'A second revision of the standfirst.']) {
      const res = await t.api('PATCH', `/api/admin/articles/${story.id}`, { as: admin, body: { standfirst } });
      expect(res.status).toBe(200);
    }
    // The demo wire desk: a wire story told by two agencies, versions, an embargo and a kill.
    await seedDemoWires(t.app.deps.wires);
    const item = await t.db.kysely.selectFrom('wire_items').select('id').orderBy('current_seq', 'desc').orderBy('id').executeTakeFirstOrThrow();
    const group = await t.db.kysely.selectFrom('wire_groups').select('id').orderBy('item_count', 'desc').orderBy('id').executeTakeFirstOrThrow();
    // A draft of the home page with two stories, so the Fronts screen shows its list, its buttons and its publish panel.
    const newest = await t.db.kysely.selectFrom('articles').select('id').where('status', '=', 'published').orderBy('published_at', 'desc').limit(2).execute();
    expect((await t.api('PUT', '/api/admin/fronts/home/draft', { as: admin, body: { slots: newest.map((r) => r.id) } })).status).toBe(200);
    const [name, value] = cookie.split(';')[0]!.split('=');
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: name!, value: value!, url: t.url }]);
    const page = await context.newPage();
    const editorReady = async (p: string) => {
      if (p.startsWith('/newsroom/stories/') && !p.includes('/revisions/')) await page.locator('[data-story-editor][data-editor-ready="true"]').waitFor();
      if (p.startsWith('/newsroom/pages/')) await page.locator('[data-site-page-editor][data-editor-ready="true"]').waitFor();
    };
    const found = await scan(page, [
      '/newsroom', '/newsroom/stories/new', `/newsroom/stories/${story.id}`, `/newsroom/stories/${story.id}/revisions/compare`,
      '/newsroom/media', '/newsroom/comments', '/newsroom/sections', '/newsroom/tags', '/newsroom/authors', '/newsroom/breaking',
      '/newsroom/people', '/newsroom/audit', '/newsroom/settings', '/newsroom/pages', '/newsroom/pages/about', '/account',
      '/newsroom/wires', `/newsroom/wires/items/${item.id}`, '/newsroom/wires/groups', `/newsroom/wires/groups/${group.id}`,
      '/newsroom/wires/quarantine', '/newsroom/wires/providers', '/newsroom/fronts', '/newsroom/fronts/home', '/newsroom/fronts/home/preview',
    ], editorReady);
    await context.close();
    expect(found).toEqual([]);
  }, 120_000);
});
