/**
 * The newsroom's management screens as a browser without JavaScript uses
 * them: plain forms that POST, 303 back with a notice, or the same form again
 * with an error and what was typed. What they change is checked where a
 * reader would see it: the public pages (through the page cache).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { countRows } from '../../test/helpers/db.js';
import { pageOf, sameOrigin, type FormFields } from '../../test/helpers/http.js';
import { clearSetting, readSetting, writeSetting } from '../content/settings.service.js';
import type { BreakingSetting } from '../content/taxonomy.service.js';

let t: TestApp;
const ids = {} as Record<'world' | 'africa' | 'politics' | 'business' | 'drought' | 'water' | 'amara' | 'story', number>;
let who: Record<'admin' | 'editor' | 'contributor' | 'reader', SignedIn>;
const db = () => t.db.kysely;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely } }) => {
      ids.world = (await buildSection(kysely, { slug: 'world', name: 'World', position: 0 })).id;
      ids.africa = (await buildSection(kysely, { slug: 'africa', name: 'Africa', parentId: ids.world, position: 1 })).id;
      ids.politics = (await buildSection(kysely, { slug: 'politics', name: 'Politics', position: 2 })).id;
      ids.business = (await buildSection(kysely, { slug: 'business', name: 'Business', position: 3 })).id;
      ids.drought = (await buildTag(kysely, { slug: 'drought', name: 'Drought' })).id;
      ids.water = (await buildTag(kysely, { slug: 'water', name: 'Water' })).id;
      ids.amara = (await buildAuthor(kysely, { slug: 'amara-diallo', name: 'Amara Diallo' })).id;
      ids.story = (await buildArticle(kysely, { sectionId: ids.politics, headline: 'Parliament sits late into the night', tagIds: [ids.drought], authorIds: [ids.amara] })).id;
    },
  });
  who = await buildStaff(db(), { admin: 'admin', editor: 'editor', contributor: 'contributor', reader: 'reader' }, { displayName: (role) => `The ${role}` });
});
afterAll(async () => t?.close());

interface Call {
  as?: { cookie: string } | undefined;
  form?: FormFields;
  headers?: Record<string, string>;
}

/** A browser-like request from the site's own pages (same origin), not following redirects. */
async function call(method: 'GET' | 'POST', path: string, { as, form, headers = {} }: Call = {}) {
  return pageOf(await t.request(method, path, { as, form, headers: { accept: 'text/html', ...sameOrigin(t.url), ...headers } }));
}

const get = (path: string, as?: { cookie: string }) => call('GET', path, { as });
const post = (path: string, as: { cookie: string }, form: Record<string, string | string[]>) => call('POST', path, { as, form });

/** Follows a 303 as the browser does and returns the page it lands on. */
async function follow(res: { status: number; location: string | null }, as: { cookie: string }) {
  expect(res.status).toBe(303);
  return get(res.location!, as);
}

/** The top-level links of the site's navigation, in order. */
function navOrder(html: string): string[] {
  return [...html.matchAll(/class="site-nav__link" href="([^"]+)"/g)].map((m) => m[1]!);
}

function alertOf(html: string): string | null {
  return /<p class="nr-alert nr-alert--error" role="alert">([^<]*)<\/p>/.exec(html)?.[1] ?? null;
}

function noticeOf(html: string): string | null {
  return /<p class="nr-alert nr-alert--notice" role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? null;
}

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

describe('who may open the screens', () => {
  const editorScreens = ['/newsroom/tags', '/newsroom/authors', '/newsroom/breaking', `/newsroom/tags/1`, `/newsroom/authors/1`];
  const adminScreens = ['/newsroom/sections', '/newsroom/settings', '/newsroom/sections/1'];

  it('admins open every screen; editors all but sections and settings; contributors and readers none', async () => {
    for (const path of [...editorScreens, ...adminScreens]) {
      const res = await get(path, who.admin);
      expect(res.status, `admin ${path}`).toBe(200);
      expect(res.headers.get('cache-control'), path).toBe('no-store');
      expect(res.html).toContain('class="nr-nav"');
    }
    for (const path of editorScreens) expect((await get(path, who.editor)).status, `editor ${path}`).toBe(200);
    for (const path of adminScreens) expect((await get(path, who.editor)).status, `editor ${path}`).toBe(403);
    for (const path of [...editorScreens, ...adminScreens]) {
      expect((await get(path, who.contributor)).status, `contributor ${path}`).toBe(403);
      expect((await get(path, who.reader)).status, `reader ${path}`).toBe(403);
    }
    const signedOut = await get('/newsroom/tags?q=water');
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/signin?next=${encodeURIComponent('/newsroom/tags?q=water')}`);
  });

  it('shows editors only the screens they may use in the navigation', async () => {
    const html = (await get('/newsroom/tags', who.editor)).html;
    const nav = /<nav class="nr-nav"[\s\S]*?<\/nav>/.exec(html)![0];
    for (const href of ['/newsroom/comments', '/newsroom/tags', '/newsroom/authors', '/newsroom/breaking']) expect(nav).toContain(`href="${href}"`);
    expect(nav).not.toContain('href="/newsroom/sections"');
    expect(nav).not.toContain('href="/newsroom/settings"');
    expect(nav).toContain('href="/newsroom/tags" aria-current="page"');
  });

  it('refuses their POSTs too, and changes nothing', async () => {
    const before = await Promise.all([countRows(db(), 'sections'), countRows(db(), 'tags'), countRows(db(), 'authors')]);
    const attempts: Array<[{ cookie: string }, string, Record<string, string>]> = [
      [who.contributor, '/newsroom/tags', { name: 'Sneaky' }],
      [who.contributor, '/newsroom/authors', { name: 'Sneaky' }],
      [who.contributor, '/newsroom/breaking', { text: 'Sneaky' }],
      [who.contributor, `/newsroom/tags/${ids.water}/delete`, {}],
      [who.editor, '/newsroom/sections', { name: 'Sneaky', icon: 'news' }],
      [who.editor, `/newsroom/sections/${ids.business}/delete`, {}],
      [who.editor, '/newsroom/settings/comments', { defaultMode: 'closed', closeAfterDays: '1', bannedWords: '' }],
      [who.reader, '/newsroom/tags', { name: 'Sneaky' }],
    ];
    for (const [as, path, form] of attempts) expect((await post(path, as, form)).status, path).toBe(403);
    expect(await Promise.all([countRows(db(), 'sections'), countRows(db(), 'tags'), countRows(db(), 'authors')])).toEqual(before);
    expect(await readSetting<BreakingSetting>(db(), 'breaking')).toBeNull();
  });

  it('refuses a cross-site POST before anything happens', async () => {
    const before = await countRows(db(), 'tags');
    const res = await call('POST', '/newsroom/tags', {
      as: who.editor, form: { name: 'Forged' }, headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await countRows(db(), 'tags')).toBe(before);
    const breaking = await call('POST', '/newsroom/breaking', { as: who.editor, form: { text: 'Forged' }, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(breaking.status).toBe(403);
    expect(await readSetting<BreakingSetting>(db(), 'breaking')).toBeNull();
  });
});

describe('sections', () => {
  it('lists the sections as a tree, in navigation order', async () => {
    const html = (await get('/newsroom/sections', who.admin)).html;
    const tree = /<ol class="tx-tree">[\s\S]*<\/ol>/.exec(html)![0];
    const names = [...tree.matchAll(/<a href="\/newsroom\/sections\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names.slice(0, 4)).toEqual(['World', 'Africa', 'Politics', 'Business']);
    expect(tree).toMatch(/aria-label="Subsections of World"[^>]*>[\s\S]*Africa/);
  });

  it('an admin creates a section, renames it, and the old address redirects to the new one', async () => {
    const created = await post('/newsroom/sections', who.admin, { name: 'Science Desk', slug: '', parent: '', icon: 'flask', description: 'Labs and field work.' });
    expect(created.status).toBe(303);
    const row = await db().selectFrom('sections').selectAll().where('slug', '=', 'science-desk').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: 'Science Desk', icon: 'flask', description: 'Labs and field work.', parent_id: null });
    expect(created.location).toBe(`/newsroom/sections?done=created-${row.id}`);
    expect(decode(noticeOf((await follow(created, who.admin)).html)!)).toBe('Section “Science Desk” created.');
    expect((await t.page('/science-desk')).status).toBe(200);
    expect(navOrder((await t.page('/')).html)).toContain('/science-desk');

    const edit = await get(`/newsroom/sections/${row.id}`, who.admin);
    expect(edit.html).toContain('value="science-desk"');
    expect(edit.html).toMatch(/old addresses[\s\S]*will redirect/);

    const renamed = await post(`/newsroom/sections/${row.id}`, who.admin, { name: 'Science', slug: 'science', parent: '', icon: 'flask', description: 'Labs and field work.' });
    expect(renamed.status).toBe(303);
    expect(renamed.location).toBe(`/newsroom/sections/${row.id}?from=science-desk&done=saved`);
    expect(noticeOf((await follow(renamed, who.admin)).html)).toBe('Saved. Its old address /science-desk now redirects to /science.');

    const old = await t.page('/science-desk');
    expect(old.status).toBe(301);
    expect(old.location).toBe('/science');
    expect((await t.page('/science')).html).toContain('Science');
    expect(navOrder((await t.page('/')).html)).toContain('/science');
    expect(navOrder((await t.page('/')).html)).not.toContain('/science-desk');
  });

  it('makes a subsection under a parent', async () => {
    const res = await post('/newsroom/sections', who.admin, { name: 'Middle East', slug: 'middle-east', parent: 'world', icon: 'globe', description: '' });
    expect(res.status).toBe(303);
    const row = await db().selectFrom('sections').selectAll().where('slug', '=', 'middle-east').executeTakeFirstOrThrow();
    expect(row.parent_id).toBe(ids.world);
  });

  it('reorders with Up and Down: the public navigation follows', async () => {
    const home = await t.page('/'); // cached now
    const before = navOrder(home.html);
    expect(before.indexOf('/politics')).toBeLessThan(before.indexOf('/business'));

    const list = (await get('/newsroom/sections', who.admin)).html;
    const forms = [...list.matchAll(/<form method="post" action="\/newsroom\/sections\/order"[^>]*>([\s\S]*?)<\/form>/g)].map((m) => m[1]!);
    const upBusiness = forms.find((f) => f.includes('aria-label="Move Business up"'))!;
    expect(upBusiness).toBeDefined();
    expect(forms.some((f) => f.includes('aria-label="Move World up"'))).toBe(false); // already first
    const order = /name="ids" value="([^"]+)"/.exec(upBusiness)![1]!;

    const moved = await post('/newsroom/sections/order', who.admin, { ids: order, moved: String(ids.business) });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe(`/newsroom/sections?done=moved-${ids.business}`);
    expect(decode(noticeOf((await follow(moved, who.admin)).html)!)).toContain('Section “Business” moved.');

    const after = navOrder((await t.page('/')).html);
    expect(after.indexOf('/business')).toBeLessThan(after.indexOf('/politics'));
    expect(after.indexOf('/world')).toBeLessThan(after.indexOf('/business'));
  });

  it('moves a subsection among its siblings only', async () => {
    const list = (await get('/newsroom/sections', who.admin)).html;
    // Africa is the first subsection of World: it can go down (below Middle East), not up.
    expect(list).not.toContain('aria-label="Move Africa up"');
    expect(list).toContain('aria-label="Move Africa down"');
  });

  it('refuses a stale order (a section added since the page loaded) and moves nothing', async () => {
    const positions = await db().selectFrom('sections').select(['id', 'position']).orderBy('id').execute();
    const res = await post('/newsroom/sections/order', who.admin, { ids: `${ids.business},${ids.politics}`, moved: String(ids.business) });
    expect(res.status).toBe(409);
    expect(alertOf(res.html)).toMatch(/changed since this page was loaded/);
    expect(await db().selectFrom('sections').select(['id', 'position']).orderBy('id').execute()).toEqual(positions);
    expect((await post('/newsroom/sections/order', who.admin, { ids: 'one,two' })).status).toBe(400);
  });

  it('re-renders the form with a clear error and the typed values on bad input, and writes nothing', async () => {
    const before = await countRows(db(), 'sections');
    const audit = await countRows(db(), 'audit_log');
    const empty = await post('/newsroom/sections', who.admin, { name: '  ', slug: '', parent: '', icon: 'news', description: 'Kept description' });
    expect(empty.status).toBe(400);
    expect(alertOf(empty.html)).toBe('Give the section a name. Nothing was saved.');
    expect(empty.html).toContain('Kept description</textarea>');
    expect(empty.html).toMatch(/id="new-section-name"[^>]*aria-invalid="true"/);

    const taken = await post('/newsroom/sections', who.admin, { name: 'Another World', slug: 'world', parent: '', icon: 'globe', description: 'Typed text' });
    expect(taken.status).toBe(409);
    expect(decode(alertOf(taken.html)!)).toBe('There is already a section "world". Nothing was saved.');
    expect(taken.html).toContain('value="Another World"');
    expect(taken.html).toMatch(/id="new-section-slug"[^>]*aria-invalid="true"/);

    const reserved = await post('/newsroom/sections', who.admin, { name: 'API', slug: 'api', parent: '', icon: 'news', description: '' });
    expect(reserved.status).toBe(400);
    expect(decode(alertOf(reserved.html)!)).toMatch(/"api" is used by the site itself/);

    const badSlug = await post('/newsroom/sections', who.admin, { name: 'Sport', slug: 'Sport Pages', parent: '', icon: 'trophy', description: '' });
    expect(badSlug.status).toBe(400);
    expect(decode(alertOf(badSlug.html)!)).toMatch(/"Sport Pages" is not a slug/);

    const deepParent = await post('/newsroom/sections', who.admin, { name: 'Sahel', slug: 'sahel', parent: 'africa', icon: 'globe', description: '' });
    expect(deepParent.status).toBe(400);
    expect(decode(alertOf(deepParent.html)!)).toMatch(/subsection/);

    const renameTaken = await post(`/newsroom/sections/${ids.business}`, who.admin, { name: 'Business', slug: 'politics', parent: '', icon: 'news', description: '' });
    expect(renameTaken.status).toBe(409);
    expect(renameTaken.html).toContain('value="politics"');

    const emptyEdit = await post(`/newsroom/sections/${ids.business}`, who.admin, { name: '', slug: 'business', parent: '', icon: 'news', description: 'x' });
    expect(emptyEdit.status).toBe(400);
    expect(alertOf(emptyEdit.html)).toBe('Give the section a name. Nothing was saved.');

    expect(await countRows(db(), 'sections')).toBe(before);
    expect(await countRows(db(), 'audit_log')).toBe(audit);
    expect((await db().selectFrom('sections').select('slug').where('id', '=', ids.business).executeTakeFirstOrThrow()).slug).toBe('business');
  });

  it('refuses to delete a section that holds stories, and deletes an empty one', async () => {
    const refused = await post(`/newsroom/sections/${ids.politics}/delete`, who.admin, {});
    expect(refused.status).toBe(409);
    expect(decode(alertOf(refused.html)!)).toBe('"politics" holds 1 story; move them to another section first. Nothing was deleted.');
    expect(await db().selectFrom('sections').select('id').where('id', '=', ids.politics).executeTakeFirst()).toBeDefined();

    const empty = (await buildSection(db(), { slug: 'obituaries', name: 'Obituaries' })).id;
    const done = await post(`/newsroom/sections/${empty}/delete`, who.admin, {});
    expect(done.status).toBe(303);
    expect(noticeOf((await follow(done, who.admin)).html)).toBe('Section deleted.');
    expect(await db().selectFrom('sections').select('id').where('id', '=', empty).executeTakeFirst()).toBeUndefined();
  });
});

describe('tags', () => {
  it('lists with search and pages', async () => {
    for (let i = 0; i < 55; i++) await buildTag(db(), { slug: `bulk-${i}`, name: `Bulk tag ${String(i).padStart(2, '0')}` });
    const first = await get('/newsroom/tags', who.editor);
    expect(first.html).toMatch(/\d+ tags, page 1 of 2/);
    expect(first.html).toContain('href="/newsroom/tags?page=2"');
    const found = await get('/newsroom/tags?q=drou', who.editor);
    expect(found.html).toContain(`href="/newsroom/tags/${ids.drought}"`);
    expect(found.html).not.toContain(`href="/newsroom/tags/${ids.water}"`);
    expect(found.html).toContain('1 tag matching &quot;drou&quot;');
    const second = await get('/newsroom/tags?q=bulk&page=2', who.editor);
    expect(second.html).toContain('55 tags matching &quot;bulk&quot;, page 2 of 2');
    expect(second.html).toContain('Bulk tag 54');
    expect(second.html).not.toContain('Bulk tag 00');
  });

  it('an editor marks a tag as special coverage and the home page shows the banner', async () => {
    const before = await t.page('/'); // cached now
    expect(before.html).not.toContain('class="special-coverage');
    const edit = await get(`/newsroom/tags/${ids.drought}`, who.editor);
    expect(edit.html).toContain('banner');
    const saved = await post(`/newsroom/tags/${ids.drought}`, who.editor, {
      name: 'Drought', slug: 'drought', description: 'The long dry season in the south.', specialCoverage: 'on',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`/newsroom/tags/${ids.drought}?done=saved`);
    const back = await follow(saved, who.editor);
    expect(noticeOf(back.html)).toBe('Saved.');
    expect(back.html).toMatch(/name="specialCoverage"[^>]*checked/);

    const home = (await t.page('/')).html;
    const banner = /<section class="special-coverage[\s\S]*?<\/section>/.exec(home)?.[0];
    expect(banner).toBeDefined();
    expect(banner).toContain('Drought');
    expect(banner).toContain('The long dry season in the south.');
    expect(banner).toContain('Parliament sits late into the night');

    // Unticking takes it off the home page again.
    const off = await post(`/newsroom/tags/${ids.drought}`, who.editor, { name: 'Drought', slug: 'drought', description: 'The long dry season in the south.' });
    expect(off.status).toBe(303);
    expect((await t.page('/')).html).not.toContain('class="special-coverage');
  });

  it('creates, renames (the old address redirects) and deletes a tag', async () => {
    const created = await post('/newsroom/tags', who.editor, { name: 'Election 2026', slug: '', description: '' });
    expect(created.status).toBe(303);
    const row = await db().selectFrom('tags').selectAll().where('slug', '=', 'election-2026').executeTakeFirstOrThrow();
    expect(row.special_coverage).toBe(0);
    expect(decode(noticeOf((await follow(created, who.editor)).html)!)).toBe('Tag “Election 2026” created.');

    const renamed = await post(`/newsroom/tags/${row.id}`, who.editor, { name: 'Vote 2026', slug: 'vote-2026', description: 'Who runs, who wins.' });
    expect(renamed.location).toBe(`/newsroom/tags/${row.id}?from=election-2026&done=saved`);
    expect(noticeOf((await follow(renamed, who.editor)).html)).toBe('Saved. Its old address /tag/election-2026 now redirects to /tag/vote-2026.');
    const old = await t.page('/tag/election-2026');
    expect(old.status).toBe(301);
    expect(old.location).toBe('/tag/vote-2026');

    const unchanged = await post(`/newsroom/tags/${row.id}`, who.editor, { name: 'Vote 2026', slug: 'vote-2026', description: 'Who runs, who wins.' });
    expect(unchanged.location).toBe(`/newsroom/tags/${row.id}?done=unchanged`);

    const deleted = await post(`/newsroom/tags/${row.id}/delete`, who.editor, {});
    expect(deleted.status).toBe(303);
    expect(noticeOf((await follow(deleted, who.editor)).html)).toBe('Tag deleted.');
    expect(await db().selectFrom('tags').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });

  it('refuses an empty name and a slug in use, keeping what was typed', async () => {
    const before = await countRows(db(), 'tags');
    const empty = await post('/newsroom/tags', who.editor, { name: '', slug: 'fresh', description: 'Typed description', specialCoverage: 'on' });
    expect(empty.status).toBe(400);
    expect(alertOf(empty.html)).toBe('Give the tag a name. Nothing was saved.');
    expect(empty.html).toContain('value="fresh"');
    expect(empty.html).toContain('Typed description</textarea>');
    expect(empty.html).toMatch(/name="specialCoverage"[^>]*checked/);

    const taken = await post('/newsroom/tags', who.editor, { name: 'Water again', slug: 'water', description: '' });
    expect(taken.status).toBe(409);
    expect(decode(alertOf(taken.html)!)).toBe('There is already a tag "water". Nothing was saved.');
    expect(taken.html).toContain('value="Water again"');

    const renameTaken = await post(`/newsroom/tags/${ids.drought}`, who.editor, { name: 'Drought', slug: 'water', description: '' });
    expect(renameTaken.status).toBe(409);
    expect(renameTaken.html).toContain('value="water"');
    expect(await countRows(db(), 'tags')).toBe(before);
    expect((await db().selectFrom('tags').select('slug').where('id', '=', ids.drought).executeTakeFirstOrThrow()).slug).toBe('drought');
  });

  it('reads the form by its own schema: a field left out is empty, one no form has is dropped, a list for one value is the 400 page', async () => {
    const before = await countRows(db(), 'tags');
    const missing = await post('/newsroom/tags', who.editor, { slug: 'no-name' });
    expect(missing.status).toBe(400);
    expect(alertOf(missing.html)).toBe('Give the tag a name. Nothing was saved.');
    expect(missing.html).toContain('value="no-name"');

    const extra = await post('/newsroom/tags', who.editor, { name: 'Harvest', slug: 'harvest', description: '', colour: 'red' });
    expect(extra.status).toBe(303);

    const twice = await post('/newsroom/tags', who.editor, { name: ['One', 'Two'], slug: '', description: '' });
    expect(twice.status).toBe(400);
    expect(twice.headers.get('content-type')).toMatch(/^text\/html/);
    expect(twice.html).toContain('That request was not right');
    expect(navOrder(twice.html).length).toBeGreaterThan(0);
    expect(await countRows(db(), 'tags')).toBe(before + 1);
  });
});

describe('authors', () => {
  it('creates, edits and deletes an author; one with bylines cannot go', async () => {
    const created = await post('/newsroom/authors', who.editor, { name: 'Noor Haddad', slug: '', bio: 'Covers energy.' });
    expect(created.status).toBe(303);
    const row = await db().selectFrom('authors').selectAll().where('slug', '=', 'noor-haddad').executeTakeFirstOrThrow();
    expect(decode(noticeOf((await follow(created, who.editor)).html)!)).toBe('Author “Noor Haddad” created.');
    expect((await get('/newsroom/authors', who.editor)).html).toContain('Noor Haddad');

    const edited = await post(`/newsroom/authors/${row.id}`, who.editor, { name: 'Noor Haddad', slug: 'noor-haddad', bio: 'Covers energy and climate.' });
    expect(edited.status).toBe(303);
    expect((await db().selectFrom('authors').select('bio').where('id', '=', row.id).executeTakeFirstOrThrow()).bio).toBe('Covers energy and climate.');
    expect((await t.page('/author/noor-haddad')).html).toContain('Covers energy and climate.');

    const taken = await post('/newsroom/authors', who.editor, { name: 'Amara Diallo', slug: '', bio: 'Kept bio' });
    expect(taken.status).toBe(409);
    expect(taken.html).toContain('Kept bio</textarea>');

    const refused = await post(`/newsroom/authors/${ids.amara}/delete`, who.editor, {});
    expect(refused.status).toBe(409);
    expect(alertOf(refused.html)).toMatch(/^Amara Diallo has 1 byline/);

    const deleted = await post(`/newsroom/authors/${row.id}/delete`, who.editor, {});
    expect(deleted.status).toBe(303);
    expect(await db().selectFrom('authors').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();
  });
});

describe('breaking news', () => {
  it('an editor sets the strip, the home page shows it at once, and clearing takes it away', async () => {
    expect((await t.page('/')).html).not.toContain('class="breaking"'); // cached now
    const empty = await get('/newsroom/breaking', who.editor);
    expect(empty.html).toContain('No strip is set');

    const set = await post('/newsroom/breaking', who.editor, { text: 'Polls close at 8pm', path: '/politics', expiresAt: '', expiresInHours: '2' });
    expect(set.status).toBe(303);
    expect(set.location).toBe('/newsroom/breaking?done=set');
    const screen = await follow(set, who.editor);
    expect(screen.html).toContain('Live now on every page.');
    expect(screen.html).toContain('UTC');
    const stored = (await readSetting<BreakingSetting>(db(), 'breaking'))!;
    expect(stored.text).toBe('Polls close at 8pm');
    expect(stored.path).toBe('/politics');
    expect(Date.parse(stored.expiresAt!) - Date.now()).toBeGreaterThan(119 * 60_000);
    expect(Date.parse(stored.expiresAt!) - Date.now()).toBeLessThan(121 * 60_000);

    const home = (await t.page('/')).html;
    expect(home).toContain('class="breaking"');
    expect(home).toContain('Polls close at 8pm');

    const cleared = await post('/newsroom/breaking/clear', who.editor, {});
    expect(cleared.status).toBe(303);
    expect(noticeOf((await follow(cleared, who.editor)).html)).toMatch(/cleared/);
    expect(await readSetting<BreakingSetting>(db(), 'breaking')).toBeNull();
    expect((await t.page('/')).html).not.toContain('Polls close at 8pm');
  });

  it('takes an expiry as a UTC date and time', async () => {
    const at = new Date(Date.now() + 3 * 3_600_000);
    const local = at.toISOString().slice(0, 16);
    const res = await post('/newsroom/breaking', who.editor, { text: 'Storm warning', path: '', expiresAt: local, expiresInHours: '' });
    expect(res.status).toBe(303);
    expect((await readSetting<BreakingSetting>(db(), 'breaking'))!.expiresAt).toBe(`${local}:00.000Z`);
    const screen = await get('/newsroom/breaking', who.editor);
    expect(screen.html).toContain(`value="${local}"`);
    expect(screen.html).toContain(`${local.replace('T', ' ')} UTC`);
    await post('/newsroom/breaking/clear', who.editor, {});
  });

  it('says when the strip has expired', async () => {
    await writeSetting(db(), 'breaking', { text: 'Old news', path: null, expiresAt: new Date(Date.now() - 60_000).toISOString() });
    const screen = await get('/newsroom/breaking', who.editor);
    expect(screen.html).toContain('<strong>Expired</strong>');
    expect(screen.html).not.toContain('Live now');
    await clearSetting(db(), 'breaking');
  });

  it('refuses bad input with the form as typed, and leaves the strip as it was', async () => {
    await post('/newsroom/breaking', who.editor, { text: 'The strip before', path: '', expiresAt: '', expiresInHours: '' });
    const before = await readSetting<BreakingSetting>(db(), 'breaking');
    const cases: Array<[Record<string, string>, RegExp, string]> = [
      [{ text: '', path: '/politics', expiresAt: '', expiresInHours: '' }, /Write the text/, 'text'],
      [{ text: 'New text', path: 'javascript:alert(1)', expiresAt: '', expiresInHours: '' }, /path on this site/, 'path'],
      [{ text: 'New text', path: '', expiresAt: '2001-01-01T10:00', expiresInHours: '' }, /already passed/, 'expiresAt'],
      [{ text: 'New text', path: '', expiresAt: 'tomorrow', expiresInHours: '' }, /not a date and time/, 'expiresAt'],
      [{ text: 'New text', path: '', expiresAt: '', expiresInHours: '-3' }, /number of hours/, 'expiresInHours'],
      [{ text: 'x'.repeat(301), path: '', expiresAt: '', expiresInHours: '' }, /the most is 300/, 'text'],
    ];
    for (const [form, message, fieldName] of cases) {
      const res = await post('/newsroom/breaking', who.editor, form);
      expect(res.status, JSON.stringify(form)).toBe(400);
      expect(decode(alertOf(res.html)!), JSON.stringify(form)).toMatch(message);
      expect(res.html).toMatch(new RegExp(`id="breaking-${fieldName}"[^>]*aria-invalid="true"`));
      if (form.text) expect(res.html).toContain(`value="${form.text}"`);
    }
    expect(await readSetting<BreakingSetting>(db(), 'breaking')).toEqual(before);
    await post('/newsroom/breaking/clear', who.editor, {});
  });
});

describe('settings', () => {
  it('shows the staff idle time (configuration) read-only', async () => {
    const html = (await get('/newsroom/settings', who.admin)).html;
    expect(html).toContain('2 hours without use');
    expect(html).toContain('STAFF_IDLE_MINUTES');
  });

  it('an admin changes the comment defaults; bad input changes nothing', async () => {
    const saved = await post('/newsroom/settings/comments', who.admin, { defaultMode: 'premoderated', closeAfterDays: '10', bannedWords: 'casino bonus\r\n\r\ncheap pills\n' });
    expect(saved.status).toBe(303);
    expect(noticeOf((await follow(saved, who.admin)).html)).toMatch(/Comment settings saved/);
    const api = await fetch(`${t.url}/api/admin/settings/comments`, { headers: { cookie: who.admin.cookie } });
    expect((await api.json()).comments).toEqual({ defaultMode: 'premoderated', closeAfterDays: 10, bannedWords: ['casino bonus', 'cheap pills'] });

    const bad = await post('/newsroom/settings/comments', who.admin, { defaultMode: 'open', closeAfterDays: 'ten', bannedWords: 'kept word' });
    expect(bad.status).toBe(400);
    expect(alertOf(bad.html)).toMatch(/whole number of days/);
    expect(bad.html).toContain('value="ten"');
    expect(bad.html).toContain('kept word</textarea>');
    const after = await fetch(`${t.url}/api/admin/settings/comments`, { headers: { cookie: who.admin.cookie } });
    expect((await after.json()).comments.defaultMode).toBe('premoderated');

    await post('/newsroom/settings/comments', who.admin, { defaultMode: 'open', closeAfterDays: '30', bannedWords: 'casino bonus' });
  });

  it('an admin requires two-step sign-in for editors; not for admins before setting it up', async () => {
    const refused = await post('/newsroom/settings/security', who.admin, { form: 'security', requireTotpFor: ['editor', 'admin'] });
    expect(refused.status).toBe(400);
    expect(alertOf(refused.html)).toMatch(/shut you out/);
    expect(refused.html).toMatch(/value="editor"[^>]*checked/);

    const saved = await post('/newsroom/settings/security', who.admin, { form: 'security', requireTotpFor: 'editor' });
    expect(saved.status).toBe(303);
    const api = await fetch(`${t.url}/api/admin/settings/security`, { headers: { cookie: who.admin.cookie } });
    expect((await api.json()).security.requireTotpFor).toEqual(['editor']);
    // The editor, not enrolled, is now kept out of the newsroom.
    expect((await get('/newsroom/tags', who.editor)).status).toBe(403);

    const none = await post('/newsroom/settings/security', who.admin, { form: 'security' });
    expect(none.status).toBe(303);
    expect((await get('/newsroom/tags', who.editor)).status).toBe(200);
  });
});

describe('comment moderation in the newsroom', () => {
  it('is a newsroom screen, reached from the navigation', async () => {
    const res = await get('/newsroom/comments', who.editor);
    expect(res.status).toBe(200);
    expect(res.html).toContain('class="nr-nav"');
    expect(res.html).toContain('href="/newsroom/comments" aria-current="page"');
    expect(res.html).toContain('<h1 class="nr-title">Comment moderation</h1>');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
  });
});
