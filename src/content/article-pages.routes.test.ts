/**
 * The article page's read model, end to end: a story's page is read in a fixed,
 * small number of queries (asserted, so it cannot creep back up), and it follows
 * every change that reaches it: publish, edit, unpublish, a correction, a renamed
 * section, tag or author, the breaking strip, related stories; a story written
 * some other way (another process, a direct insert) is built when first read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag, createStory, postComment, publishStory } from '../../test/helpers/factories.js';
import { buildStaff, signedInUser, type SignedIn } from '../../test/helpers/accounts.js';
import { QueryCounter } from '../../test/helpers/query-count.js';

/**
 * Queries of an uncached article page with comments and a "Most read" list, the
 * chrome, special coverage and the discussion's settings already in memory: the
 * page with its related cards (1), the discussion's first page and its replies (2),
 * "Most read": the counts, then its cards (2). (It was 15 before the read model.)
 */
const QUERIES_PER_ARTICLE_RENDER = 5;

const HOUR = 3600_000;
const counter = new QueryCounter();
let t: TestApp;
let staff: Record<'editor' | 'admin', SignedIn>;
const ids = {} as Record<'africa' | 'amara' | 'drought' | 'water' | 'seeded', number>;

beforeAll(async () => {
  t = await startTestApp({
    appDb: (db) => counter.wrap(db),
    build: { commentLimits: { minGapMs: 0 } },
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World', position: 0 });
      ids.africa = (await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id })).id;
      ids.amara = (await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo' })).id;
      ids.drought = (await buildTag(db, { slug: 'kesra-drought', name: 'Kesra Valley drought', specialCoverage: true })).id;
      ids.water = (await buildTag(db, { slug: 'water', name: 'Water' })).id;
      // Written before the app started: no page row yet, built when first read (or by the filler).
      ids.seeded = (await buildArticle(db, {
        sectionId: ids.africa, headline: 'Wells refill across the valley', authorIds: [ids.amara], tagIds: [ids.drought, ids.water],
        publishedAt: new Date(Date.now() - 5 * HOUR),
      })).id;
      for (let i = 0; i < 3; i++) {
        await buildArticle(db, { sectionId: ids.africa, headline: `Valley brief ${i}`, tagIds: [ids.water], publishedAt: new Date(Date.now() - (10 + i) * HOUR) });
      }
    },
  });
  staff = await buildStaff(t.db.kysely, { editor: 'editor', admin: 'admin' });
});
afterAll(async () => t?.close());

async function page(path: string): Promise<{ status: number; html: string }> {
  const res = await t.get(path);
  return { status: res.status, html: await res.text() };
}

/** The related stories' headlines on a page. */
function relatedOf(html: string): string[] {
  const start = html.indexOf('<section class="related"');
  if (start < 0) return [];
  const section = html.slice(start, html.indexOf('</section>', start));
  return [...section.matchAll(/<h3[^>]*>\s*<a[^>]*>([^<]*)<\/a>/g)].map((m) => m[1]!);
}

async function pathOf(id: number): Promise<string> {
  const view = await t.app.deps.content.articlePage(id);
  return view!.article.path;
}

describe('queries per article render', () => {
  it(`renders an uncached article page in ${QUERIES_PER_ARTICLE_RENDER} queries`, async () => {
    await t.app.deps.content.fillMissingPages(); // what `dispatch serve` does on start
    const path = await pathOf(ids.seeded);
    const reader = await signedInUser(t.db.kysely, { displayName: 'Reader' });
    const posted = await postComment(t, ids.seeded, reader, 'The wells near us are full again.');
    expect(posted.res.status).toBe(201);
    await postComment(t, ids.seeded, reader, 'And the school reopened.', posted.body.comment.id);
    const other = (await t.db.kysely.selectFrom('articles').select('id').where('headline', '=', 'Valley brief 0').executeTakeFirstOrThrow()).id;
    for (const articleId of [ids.seeded, other]) {
      expect(await t.app.deps.readership.recordRead({ articleId, address: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0' })).toBe('counted');
    }
    expect((await page(path)).status).toBe(200); // reads the chrome and the coverage once
    expect((await page('/')).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      t.app.deps.cache.clear();
      counter.reset();
      const { status, html } = await page(path);
      expect(status).toBe(200);
      expect(html).toContain('Wells refill across the valley');
      expect(html).toContain('Kesra Valley drought'); // the special-coverage banner, from memory
      expect(html).toContain('And the school reopened.');
      expect(html).toMatch(/class="most-read__link" href="[^"]*">Valley brief 0</);
      expect(counter.count, counter.kinds.join(', ')).toBe(QUERIES_PER_ARTICLE_RENDER);
    }
  });

  it('builds the page of a story without one once, then reads it in one query', async () => {
    const fresh = await buildArticle(t.db.kysely, { sectionId: ids.africa, headline: 'Inserted while the site runs', tagIds: [ids.water] });
    counter.reset();
    const first = await t.app.deps.content.articlePage(fresh.id);
    expect(first!.article.headline).toBe('Inserted while the site runs');
    expect(counter.count).toBeGreaterThan(1);
    counter.reset();
    const again = await t.app.deps.content.articlePage(fresh.id);
    expect(again!.article.headline).toBe('Inserted while the site runs');
    expect(again!.related.map((r) => r.headline)).toEqual(first!.related.map((r) => r.headline));
    expect(again!.related.length).toBeGreaterThan(0);
    expect(counter.count).toBe(1);
  });
});

describe('the page follows every change', () => {
  it('publish, edit, correction and unpublish reach the page', async () => {
    const story = await createStory(t, staff.editor, { headline: 'Dam gates open at dawn', section: 'africa', tags: ['water'], authors: ['amara-diallo'] });
    expect((await page(story.path)).status).toBe(404); // a draft has no page
    await publishStory(t, staff.editor, story.id);
    let html = (await page(story.path)).html;
    expect(html).toContain('Dam gates open at dawn');
    expect(html).toContain('Amara Diallo');

    const edited = await t.api<{ article: { path: string } }>('PATCH', `/api/admin/articles/${story.id}`, { as: staff.editor, body: { standfirst: 'Engineers released the first water at six.' } });
    expect(edited.status).toBe(200);
    html = (await page(story.path)).html;
    expect(html).toContain('Engineers released the first water at six.');

    const corrected = await t.api('POST', `/api/admin/articles/${story.id}/corrections`, { as: staff.editor, body: { kind: 'correction', note: 'The gates opened at six, not five.' } });
    expect(corrected.status).toBe(201);
    expect((await page(story.path)).html).toContain('The gates opened at six, not five.');

    const unpublished = await t.api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor });
    expect(unpublished.status).toBe(200);
    expect((await page(story.path)).status).toBe(404);
    const [row] = await t.db.kysely.selectFrom('article_pages').select('article_id').where('article_id', '=', story.id).execute();
    expect(row).toBeUndefined();
  });

  it('a new story joins the related stories of the stories it is related to; a story taken down leaves them', async () => {
    const seededPath = await pathOf(ids.seeded);
    const story = await createStory(t, staff.editor, { headline: 'Drought relief reaches the upper valley', section: 'africa', tags: ['kesra-drought', 'water'] });
    await publishStory(t, staff.editor, story.id);
    // It shares both tags with the seeded story, so it leads that story's related list, and the other way round.
    expect(relatedOf((await page(seededPath)).html)[0]).toBe('Drought relief reaches the upper valley');
    expect(relatedOf((await page(story.path)).html)[0]).toBe('Wells refill across the valley');

    await t.api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor });
    const after = relatedOf((await page(seededPath)).html);
    expect(after).not.toContain('Drought relief reaches the upper valley');
    expect(after.length).toBe(4); // refilled, not left a story short
  });

  it('an edited related story shows its new headline on the pages that list it', async () => {
    const a = await createStory(t, staff.editor, { headline: 'Herders move south early', section: 'africa', tags: ['kesra-drought'] });
    await publishStory(t, staff.editor, a.id);
    const seededPath = await pathOf(ids.seeded);
    expect(relatedOf((await page(seededPath)).html)).toContain('Herders move south early');
    await t.api('PATCH', `/api/admin/articles/${a.id}`, { as: staff.editor, body: { headline: 'Herders move south a month early' } });
    expect(relatedOf((await page(seededPath)).html)).toContain('Herders move south a month early');
  });

  it('a renamed section, tag or author reaches the page', async () => {
    const path = await pathOf(ids.seeded);
    expect((await t.api('PATCH', `/api/admin/sections/${ids.africa}`, { as: staff.admin, body: { name: 'African news' } })).status).toBe(200);
    expect((await page(path)).html).toMatch(/>\s*African news\s*</);
    expect((await t.api('PATCH', `/api/admin/tags/${ids.water}`, { as: staff.editor, body: { name: 'Water supply' } })).status).toBe(200);
    expect((await page(path)).html).toContain('Water supply');
    expect((await t.api('PATCH', `/api/admin/authors/${ids.amara}`, { as: staff.editor, body: { name: 'Amara K. Diallo' } })).status).toBe(200);
    expect((await page(path)).html).toContain('Amara K. Diallo');
  });

  it('the breaking strip set and cleared reaches every page, though the chrome is kept in memory', async () => {
    const path = await pathOf(ids.seeded);
    expect((await t.api('PUT', '/api/admin/breaking', { as: staff.editor, body: { text: 'Spillway opened after record inflow' } })).status).toBe(200);
    expect((await page(path)).html).toContain('Spillway opened after record inflow');
    expect((await page('/')).html).toContain('Spillway opened after record inflow');
    expect((await t.api('DELETE', '/api/admin/breaking', { as: staff.editor })).status).toBeLessThan(300);
    expect((await page(path)).html).not.toContain('Spillway opened after record inflow');
  });

  it('the filler builds every missing page, with the same related stories as a page built alone', async () => {
    const built = new Map<number, number[]>();
    for (const r of await t.db.kysely.selectFrom('article_page_related').select(['article_id', 'related_id']).orderBy('article_id').orderBy('position').execute()) {
      built.set(r.article_id, [...(built.get(r.article_id) ?? []), r.related_id]);
    }
    await t.db.kysely.deleteFrom('article_page_related').execute();
    await t.db.kysely.deleteFrom('article_pages').execute();
    const n = await t.app.deps.content.fillMissingPages();
    const published = await t.db.kysely.selectFrom('articles').select('id').where('status', '=', 'published').execute();
    expect(n).toBe(published.length);
    for (const [id, related] of built) {
      const rows = await t.db.kysely.selectFrom('article_page_related').select('related_id').where('article_id', '=', id).orderBy('position').execute();
      if (published.some((p) => p.id === id)) expect(rows.map((r) => r.related_id), `story ${id}`).toEqual(related);
    }
  });
});
