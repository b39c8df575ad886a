/**
 * The kept counts behind "page N of M" on section, tag and author pages
 * (published_counts, kept by triggers): after every kind of write that moves
 * a story in or out of a list they equal a full count, and the pages page
 * through exactly that many stories. On whichever database the suite runs
 * against (SQLite by default, PostgreSQL with DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { PAGE_SIZE } from './content-pages.routes.js';
import { buildArticle, buildAuthor, buildSection, buildTag, createStory, publishStory } from '../../test/helpers/factories.js';

let t: TestApp;
let editor: SignedIn;
let admin: SignedIn;
const db = () => t.db.kysely;
const ids = {} as Record<'world' | 'africa' | 'politics' | 'water' | 'harvest' | 'amara' | 'kofi', number>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely } }) => {
      ids.world = (await buildSection(kysely, { slug: 'world', name: 'World' })).id;
      ids.africa = (await buildSection(kysely, { slug: 'africa', name: 'Africa', parentId: ids.world })).id;
      ids.politics = (await buildSection(kysely, { slug: 'politics', name: 'Politics' })).id;
      ids.water = (await buildTag(kysely, { slug: 'water', name: 'Water' })).id;
      ids.harvest = (await buildTag(kysely, { slug: 'harvest', name: 'Harvest' })).id;
      ids.amara = (await buildAuthor(kysely, { slug: 'amara-diallo', name: 'Amara Diallo' })).id;
      ids.kofi = (await buildAuthor(kysely, { slug: 'kofi-mensah', name: 'Kofi Mensah' })).id;
      // Written before the server starts, straight to the tables (as an import does): counted all the same.
      for (let i = 0; i < 23; i++) {
        await buildArticle(kysely, {
          sectionId: i % 2 ? ids.africa : ids.politics, headline: `Archive story ${i}`,
          tagIds: i % 3 ? [ids.water] : [ids.water, ids.harvest], authorIds: i % 4 ? [ids.amara] : [ids.amara, ids.kofi],
          publishedAt: new Date(Date.now() - (i + 2) * 3600_000),
        });
      }
      // Published, but its time is still ahead: in no reader's count until then.
      await buildArticle(kysely, { sectionId: ids.africa, headline: 'Embargoed until tomorrow', tagIds: [ids.water], authorIds: [ids.amara], publishedAt: new Date(Date.now() + 86_400_000) });
      await buildArticle(kysely, { sectionId: ids.africa, headline: 'A draft', status: 'draft', publishedAt: null, tagIds: [ids.water], authorIds: [ids.amara] });
    },
  });
  ({ editor, admin } = await buildStaff(db(), { editor: 'editor', admin: 'admin' }));
});
afterAll(async () => t?.close());

/** Every kept count equals a full count of the stories it stands for. */
async function expectCountsKept(): Promise<void> {
  const counted = "a.status = 'published' AND a.published_at IS NOT NULL";
  const full = await sql<{ kind: string; ref_id: number; n: number | string }>`
    SELECT 'section' AS kind, a.section_id AS ref_id, count(*) AS n FROM articles a WHERE ${sql.raw(counted)} GROUP BY a.section_id
    UNION ALL SELECT 'tag', l.tag_id, count(*) FROM article_tags l JOIN articles a ON a.id = l.article_id WHERE ${sql.raw(counted)} GROUP BY l.tag_id
    UNION ALL SELECT 'author', l.author_id, count(*) FROM article_authors l JOIN articles a ON a.id = l.article_id WHERE ${sql.raw(counted)} GROUP BY l.author_id`.execute(db());
  const kept = await db().selectFrom('published_counts').selectAll().where('published', '<>', 0).execute();
  const norm = (rows: Array<{ kind: string; ref_id: number; n: number | string }>) =>
    rows.map((r) => `${r.kind}:${Number(r.ref_id)}=${Number(r.n)}`).sort();
  expect(norm(kept.map((k) => ({ kind: k.kind, ref_id: k.ref_id, n: k.published })))).toEqual(norm(full.rows));
}

/** What a reader's list counts: public stories (time come) of a section and its subsections, a tag or an author. */
async function readerCount(scope: { sectionIds?: number[]; tagId?: number; authorId?: number }): Promise<number> {
  let q = db().selectFrom('articles').where('status', '=', 'published').where('published_at', '<=', new Date().toISOString());
  if (scope.sectionIds) q = q.where('section_id', 'in', scope.sectionIds);
  if (scope.tagId !== undefined) q = q.where('id', 'in', db().selectFrom('article_tags').select('article_id').where('tag_id', '=', scope.tagId));
  if (scope.authorId !== undefined) q = q.where('id', 'in', db().selectFrom('article_authors').select('article_id').where('author_id', '=', scope.authorId));
  return Number((await q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
}

/** The lists' totals as the content service gives them to the pages, against full counts. */
async function expectListTotals(): Promise<void> {
  const content = t.app.deps.content;
  const pairs: Array<[number | undefined, number]> = [
    [(await content.sectionArticles('world', 1, 10))?.total, await readerCount({ sectionIds: [ids.world, ids.africa] })],
    [(await content.sectionArticles('africa', 1, 10))?.total, await readerCount({ sectionIds: [ids.africa] })],
    [(await content.sectionArticles('politics', 1, 10))?.total, await readerCount({ sectionIds: [ids.politics] })],
    [(await content.tagArticles('water', 1, 10))?.total, await readerCount({ tagId: ids.water })],
    [(await content.tagArticles('harvest', 1, 10))?.total, await readerCount({ tagId: ids.harvest })],
    [(await content.authorArticles('amara-diallo', 1, 10))?.total, await readerCount({ authorId: ids.amara })],
    [(await content.authorArticles('kofi-mensah', 1, 10))?.total, await readerCount({ authorId: ids.kofi })],
    [(await content.listArticles({ page: 1, pageSize: 10 })).total, await readerCount({})],
  ];
  expect(pairs.map(([kept]) => kept)).toEqual(pairs.map(([, full]) => full));
  await expectCountsKept();
}

async function patch(id: number, body: Record<string, unknown>): Promise<void> {
  const r = await t.api('PATCH', `/api/admin/articles/${id}`, { as: editor, body });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

describe('published counts', () => {
  it('count what was written before the server started, embargoed and draft stories left out of readers\' counts', async () => {
    expect((await t.app.deps.content.sectionArticles('world', 1, 10))?.total).toBe(11); // its subsection Africa's
    expect((await t.app.deps.content.tagArticles('water', 1, 10))?.total).toBe(23);
    await expectListTotals();
  });

  it('follow publish, unpublish, republish, a section move, tag and byline changes and deletion', async () => {
    const story = await createStory(t, editor, { headline: 'Rains return to the Kesra Valley', section: 'africa', tags: ['water'], authors: ['kofi-mensah'] });
    await expectListTotals(); // a draft: nothing moves
    await publishStory(t, editor, story.id);
    await expectListTotals();
    await patch(story.id, { section: 'politics' });
    await expectListTotals();
    await patch(story.id, { tags: ['harvest', 'water'], authors: ['amara-diallo'] });
    await expectListTotals();
    await patch(story.id, { tags: [] });
    await expectListTotals();
    expect((await t.api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: editor })).status).toBe(200);
    await expectListTotals();
    await patch(story.id, { tags: ['water'] }); // retagged while off the site: counted only when back
    await expectListTotals();
    await publishStory(t, editor, story.id);
    await expectListTotals();
    expect((await t.api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: editor })).status).toBe(200);
    expect((await t.api('DELETE', `/api/admin/articles/${story.id}`, { as: editor })).status).toBe(204);
    await expectListTotals();

    // A published story deleted outright (as a clean-up script would): its section, tags and authors lose it.
    const gone = await buildArticle(db(), { sectionId: ids.africa, tagIds: [ids.water, ids.harvest], authorIds: [ids.amara, ids.kofi] });
    await expectListTotals();
    await db().deleteFrom('articles').where('id', '=', gone.id).execute();
    await expectListTotals();
  });

  it('follow a scheduled story going live, and an embargo coming to an end', async () => {
    const story = await createStory(t, editor, { headline: 'Budget vote tomorrow', section: 'politics', tags: ['harvest'], authors: ['amara-diallo'] });
    await publishStory(t, editor, story.id, new Date(Date.now() + 3600_000).toISOString());
    await expectListTotals(); // scheduled: not yet counted
    // Its time comes (moved back rather than waited for), and the scheduler claims it.
    await db().updateTable('articles').set({ scheduled_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', story.id).execute();
    expect(await t.app.deps.scheduler.runDueNow()).toEqual([story.id]);
    await expectListTotals();

    const embargoed = await buildArticle(db(), { sectionId: ids.politics, tagIds: [ids.harvest], authorIds: [ids.kofi], publishedAt: new Date(Date.now() + 1500) });
    const before = (await t.app.deps.content.tagArticles('harvest', 1, 10))!.total;
    await expectListTotals();
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect((await t.app.deps.content.tagArticles('harvest', 1, 10))!.total).toBe(before + 1);
    await expectListTotals();
    await db().deleteFrom('articles').where('id', '=', embargoed.id).execute();
  });

  it('forget a deleted tag, and count a tag, author or section only for what still exists', async () => {
    const tag = await buildTag(db(), { slug: 'drought', name: 'Drought' });
    await buildArticle(db(), { sectionId: ids.politics, tagIds: [tag.id, ids.water] });
    expect((await t.app.deps.content.tagArticles('drought', 1, 10))?.total).toBe(1);
    expect((await t.api('DELETE', `/api/admin/tags/${tag.id}`, { as: admin })).status).toBe(204);
    expect(await db().selectFrom('published_counts').selectAll().where('kind', '=', 'tag').where('ref_id', '=', tag.id).execute()).toEqual([]);
    await expectListTotals();
  });

  it('give the pages their page count: the last page, and 404 past it', async () => {
    const total = await readerCount({ tagId: ids.water });
    const pages = Math.ceil(total / PAGE_SIZE);
    expect(pages).toBeGreaterThan(1);
    const last = await t.page(`/tag/water?page=${pages}`);
    expect(last.status).toBe(200);
    expect(last.html).toContain(`Page ${pages} of ${pages}`);
    expect((await t.page(`/tag/water?page=${pages + 1}`)).status).toBe(404);
  });
});
