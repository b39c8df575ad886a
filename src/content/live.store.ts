import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, LiveCoverageTable, LivePostTable } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type LiveCoverageRow = Selectable<LiveCoverageTable>;
export type LivePostRow = Selectable<LivePostTable>;
/** A post with the name of the staff member who wrote it. */
export type LivePostWithAuthor = LivePostRow & { author_name: string | null };

/** Live coverage and its posts (`live_coverages`, `live_posts`). Deleted posts keep their row; readers' queries leave them out. */
export const liveStore = {
  coverage(db: Conn, articleId: number): Promise<LiveCoverageRow | undefined> {
    return db.selectFrom('live_coverages').selectAll().where('article_id', '=', articleId).executeTakeFirst();
  },

  async startCoverage(db: Conn, row: Insertable<LiveCoverageTable>): Promise<void> {
    await db.insertInto('live_coverages').values(row).execute();
  },

  async setCoverage(db: Conn, articleId: number, set: Updateable<LiveCoverageTable>): Promise<void> {
    await db.updateTable('live_coverages').set(set).where('article_id', '=', articleId).execute();
  },

  /** Marks the stream changed (the version the updates endpoint reports). */
  async bumpRevision(db: Conn, articleId: number): Promise<void> {
    await db.updateTable('live_coverages').set((eb) => ({ revision: eb('revision', '+', 1) })).where('article_id', '=', articleId).execute();
  },

  /** Stories whose coverage is running now (for the "Live" marker on fronts). */
  async runningIds(db: Conn): Promise<number[]> {
    const rows = await db.selectFrom('live_coverages').select('article_id').where('ended_at', 'is', null).execute();
    return rows.map((r) => r.article_id);
  },

  insertPost(db: Conn, row: Insertable<LivePostTable>): Promise<LivePostRow> {
    return db.insertInto('live_posts').values(row).returningAll().executeTakeFirstOrThrow();
  },

  async updatePost(db: Conn, articleId: number, id: number, set: Updateable<LivePostTable>): Promise<void> {
    await db.updateTable('live_posts').set(set).where('id', '=', id).where('article_id', '=', articleId).execute();
  },

  /** Unpins every post of the story (only one is pinned at a time). */
  async unpinAll(db: Conn, articleId: number): Promise<void> {
    await db.updateTable('live_posts').set({ pinned: 0 }).where('article_id', '=', articleId).where('pinned', '=', 1).execute();
  },

  /** A post that has not been deleted. */
  post(db: Conn, articleId: number, id: number): Promise<LivePostRow | undefined> {
    return db.selectFrom('live_posts').selectAll().where('id', '=', id).where('article_id', '=', articleId).where('deleted_at', 'is', null).executeTakeFirst();
  },

  postWithAuthor(db: Conn, articleId: number, id: number): Promise<LivePostWithAuthor | undefined> {
    return withAuthor(db).where('live_posts.id', '=', id).where('live_posts.article_id', '=', articleId).where('live_posts.deleted_at', 'is', null).executeTakeFirst();
  },

  /** Visible posts of the stream, newest first: `limit` of them older than `before` (the post id a page starts below), the pinned one left out. */
  stream(db: Conn, articleId: number, { before, limit }: { before?: number; limit: number }): Promise<LivePostWithAuthor[]> {
    let q = withAuthor(db)
      .where('live_posts.article_id', '=', articleId)
      .where('live_posts.deleted_at', 'is', null)
      .where('live_posts.pinned', '=', 0);
    if (before) q = q.where('live_posts.id', '<', before);
    return q.orderBy('live_posts.id', 'desc').limit(limit).execute();
  },

  pinned(db: Conn, articleId: number): Promise<LivePostWithAuthor | undefined> {
    return withAuthor(db)
      .where('live_posts.article_id', '=', articleId).where('live_posts.deleted_at', 'is', null).where('live_posts.pinned', '=', 1)
      .orderBy('live_posts.id', 'desc').executeTakeFirst();
  },

  /** The key events, newest first (the timeline). */
  keyEvents(db: Conn, articleId: number, limit: number): Promise<Array<Pick<LivePostRow, 'id' | 'key_event_title' | 'created_at' | 'pinned'>>> {
    return db.selectFrom('live_posts').select(['id', 'key_event_title', 'created_at', 'pinned'])
      .where('article_id', '=', articleId).where('deleted_at', 'is', null).where('key_event', '=', 1)
      .orderBy('id', 'desc').limit(limit).execute();
  },

  /** Visible posts in the stream (pinned left out), for the page count. */
  async streamCount(db: Conn, articleId: number): Promise<number> {
    const r = await db.selectFrom('live_posts').select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('article_id', '=', articleId).where('deleted_at', 'is', null).where('pinned', '=', 0).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** Every post, deleted ones too, newest first: the newsroom's view of the stream. */
  allPosts(db: Conn, articleId: number, limit: number): Promise<LivePostWithAuthor[]> {
    return withAuthor(db).where('live_posts.article_id', '=', articleId).where('live_posts.deleted_at', 'is', null)
      .orderBy('live_posts.id', 'desc').limit(limit).execute();
  },
};

/** Special-coverage hubs: the lead editors chose, and the live story running under the tag. */
export const hubStore = {
  async lead(db: Conn, tagId: number): Promise<number | null> {
    const row = await db.selectFrom('special_coverage_hubs').select('lead_article_id').where('tag_id', '=', tagId).executeTakeFirst();
    return row?.lead_article_id ?? null;
  },

  async setLead(db: Conn, row: { tag_id: number; lead_article_id: number | null; updated_at: string; updated_by: number | null }): Promise<void> {
    await db.insertInto('special_coverage_hubs').values(row)
      .onConflict((oc) => oc.column('tag_id').doUpdateSet({ lead_article_id: row.lead_article_id, updated_at: row.updated_at, updated_by: row.updated_by }))
      .execute();
  },

  async hasTag(db: Conn, articleId: number, tagId: number): Promise<boolean> {
    return !!(await db.selectFrom('article_tags').select('article_id').where('article_id', '=', articleId).where('tag_id', '=', tagId).executeTakeFirst());
  },

  /** The newest published stories with the tag: what an editor may choose as the hub's lead. */
  async leadCandidates(db: Conn, tagId: number, nowIso: string, limit: number): Promise<Array<{ id: number; headline: string; published_at: string }>> {
    const rows = await db.selectFrom('articles')
      .innerJoin('article_tags', 'article_tags.article_id', 'articles.id')
      .select(['articles.id', 'articles.headline', 'articles.published_at'])
      .where('article_tags.tag_id', '=', tagId)
      .where('articles.status', '=', 'published').where('articles.published_at', '<=', nowIso)
      .orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ id: r.id, headline: r.headline, published_at: r.published_at ?? '' }));
  },

  /** The newest published story with the tag whose live coverage runs now. */
  async runningLiveStory(db: Conn, tagId: number, nowIso: string): Promise<number | null> {
    const row = await db.selectFrom('live_coverages')
      .innerJoin('article_tags', 'article_tags.article_id', 'live_coverages.article_id')
      .innerJoin('articles', 'articles.id', 'live_coverages.article_id')
      .select('live_coverages.article_id')
      .where('article_tags.tag_id', '=', tagId).where('live_coverages.ended_at', 'is', null)
      .where('articles.status', '=', 'published').where('articles.published_at', '<=', nowIso)
      .orderBy('live_coverages.started_at', 'desc').limit(1).executeTakeFirst();
    return row?.article_id ?? null;
  },
};

function withAuthor(db: Conn) {
  return db.selectFrom('live_posts').leftJoin('users', 'users.id', 'live_posts.author_id').selectAll('live_posts').select('users.display_name as author_name');
}
