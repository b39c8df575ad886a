/**
 * SQL for stories as the newsroom writes them: rows of `articles` with their
 * tags and authors, the workflow's conditional updates, and the scheduler's
 * claim. The public site reads the same rows through src/content.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleRow, ArticleStatus, Database, NewArticleRow, ArticleRowUpdate } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type StorySort = 'modified' | 'created' | 'published' | 'scheduled' | 'headline';

export interface StoryFilter {
  status?: ArticleStatus;
  sectionIds?: number[];
  /** Stories with this byline author. */
  authorId?: number;
  /** Stories created by this staff member. */
  createdBy?: number;
  /** Headline contains, case-insensitively. */
  q?: string;
  /** Only these stories. */
  ids?: number[];
}

/** The columns a story list shows; bodies stay in the database. */
const LIST_COLUMNS = [
  'id', 'slug', 'headline', 'status', 'section_id', 'created_by', 'modified_by', 'created_at', 'modified_at', 'published_at',
  'updated_at', 'scheduled_at', 'language',
] as const;

export type StoryListRow = Pick<ArticleRow, (typeof LIST_COLUMNS)[number]>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function filtered(db: Conn, f: StoryFilter) {
  let q = db.selectFrom('articles');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.sectionIds) q = q.where('section_id', 'in', f.sectionIds.length ? f.sectionIds : [-1]);
  if (f.createdBy !== undefined) q = q.where('created_by', '=', f.createdBy);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : [-1]);
  if (f.authorId !== undefined) {
    const authorId = f.authorId;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', authorId)),
    );
  }
  if (f.q) {
    // lower() on both sides: LIKE is case-insensitive in SQLite but not in PostgreSQL.
    const pattern = `%${escapeLike(f.q.toLowerCase())}%`;
    q = q.where(sql<boolean>`lower(headline) like ${pattern} escape '\\'`);
  }
  return q;
}

export const storyStore = {
  byId(db: Conn, id: number): Promise<ArticleRow | undefined> {
    return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  },

  list(db: Conn, f: StoryFilter, sort: StorySort, order: 'asc' | 'desc', limit: number, offset: number): Promise<StoryListRow[]> {
    const column = ({ modified: 'modified_at', created: 'created_at', published: 'published_at', scheduled: 'scheduled_at', headline: 'headline' } as const)[sort];
    return filtered(db, f)
      .select([...LIST_COLUMNS])
      // Stories without the date (never published, not scheduled) come last on both databases.
      .orderBy(column, (ob) => (order === 'asc' ? ob.asc() : ob.desc()).nullsLast())
      .orderBy('id', order)
      .limit(limit)
      .offset(offset)
      .execute();
  },

  async count(db: Conn, f: StoryFilter): Promise<number> {
    const row = await filtered(db, f).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async insert(db: Conn, row: NewArticleRow): Promise<number> {
    const { id } = await db.insertInto('articles').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async update(db: Conn, id: number, set: ArticleRowUpdate): Promise<void> {
    await db.updateTable('articles').set(set).where('id', '=', id).execute();
  },

  /**
   * Moves a story on only if it is still in one of `from`: of two editors
   * pressing Publish at once, one wins and the other is told. True when it moved.
   */
  async transition(db: Conn, id: number, from: readonly ArticleStatus[], set: ArticleRowUpdate): Promise<boolean> {
    const r = await db.updateTable('articles').set(set).where('id', '=', id).where('status', 'in', [...from]).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async delete(db: Conn, id: number): Promise<void> {
    await db.deleteFrom('articles').where('id', '=', id).execute();
  },

  async tagIds(db: Conn, id: number): Promise<number[]> {
    const rows = await db.selectFrom('article_tags').select('tag_id').where('article_id', '=', id).orderBy('position').execute();
    return rows.map((r) => r.tag_id);
  },

  async authorIds(db: Conn, id: number): Promise<number[]> {
    const rows = await db.selectFrom('article_authors').select('author_id').where('article_id', '=', id).orderBy('position').execute();
    return rows.map((r) => r.author_id);
  },

  async setTags(db: Conn, id: number, tagIds: number[]): Promise<void> {
    await db.deleteFrom('article_tags').where('article_id', '=', id).execute();
    if (tagIds.length) await db.insertInto('article_tags').values(tagIds.map((tag_id, position) => ({ article_id: id, tag_id, position }))).execute();
  },

  async setAuthors(db: Conn, id: number, authorIds: number[]): Promise<void> {
    await db.deleteFrom('article_authors').where('article_id', '=', id).execute();
    if (authorIds.length) {
      await db.insertInto('article_authors').values(authorIds.map((author_id, position) => ({ article_id: id, author_id, position }))).execute();
    }
  },

  /** Byline authors of many stories, for lists. */
  async authorsOf(db: Conn, ids: number[]): Promise<Map<number, Array<{ id: number; slug: string; name: string }>>> {
    const map = new Map<number, Array<{ id: number; slug: string; name: string }>>();
    if (!ids.length) return map;
    const rows = await db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .where('article_authors.article_id', 'in', ids)
      .select(['article_authors.article_id', 'authors.id', 'authors.slug', 'authors.name'])
      .orderBy('article_authors.position')
      .execute();
    for (const { article_id, ...a } of rows) map.set(article_id, [...(map.get(article_id) ?? []), a]);
    return map;
  },

  /**
   * The cache keys a change to the story touches: the story, its section (and
   * parent), tags and authors, the home page and the article lists.
   */
  async cacheKeys(db: Conn, id: number): Promise<string[]> {
    const row = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .leftJoin('sections as parent', 'parent.id', 'sections.parent_id')
      .select(['sections.slug as section', 'parent.slug as parent'])
      .where('articles.id', '=', id)
      .executeTakeFirst();
    if (!row) return [`article:${id}`, 'home', 'articles'];
    const [tags, authors] = await Promise.all([
      db.selectFrom('article_tags').innerJoin('tags', 'tags.id', 'article_tags.tag_id').select('tags.slug').where('article_tags.article_id', '=', id).execute(),
      db.selectFrom('article_authors').innerJoin('authors', 'authors.id', 'article_authors.author_id').select('authors.slug').where('article_authors.article_id', '=', id).execute(),
    ]);
    return [
      `article:${id}`,
      `section:${row.section}`,
      ...(row.parent ? [`section:${row.parent}`] : []),
      ...tags.map((t) => `tag:${t.slug}`),
      ...authors.map((a) => `author:${a.slug}`),
      'home',
      'articles',
    ];
  },

  /** Scheduled stories whose time has come, oldest first. */
  async due(db: Conn, now: string, limit: number): Promise<number[]> {
    const rows = await db
      .selectFrom('articles')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', now)
      .orderBy('scheduled_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  },

  /**
   * Publishes a due story only if it is still scheduled: with several app
   * processes, exactly one of them changes the row, and only that one goes on
   * to announce it. True when this call published it.
   */
  async claimDue(db: Conn, id: number, now: string): Promise<boolean> {
    const r = await db
      .updateTable('articles')
      .set((eb) => ({ status: 'published', published_at: eb.ref('scheduled_at'), scheduled_at: null }))
      .where('id', '=', id)
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
