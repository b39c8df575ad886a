import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { ArticleCorrectionTable, Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type CorrectionRow = Selectable<ArticleCorrectionTable>;

/** A correction across the site, with what its listing links to. */
export interface SiteCorrectionRow extends CorrectionRow {
  headline: string;
  slug: string;
  section: string;
}

/**
 * The corrections log (`article_corrections`): entries are appended and their
 * wording may be fixed; there is deliberately no way to delete one.
 */
export const correctionStore = {
  async append(db: Conn, row: Insertable<ArticleCorrectionTable>): Promise<CorrectionRow> {
    return db.insertInto('article_corrections').values(row).returningAll().executeTakeFirstOrThrow();
  },

  /** Fixes the wording of a note; the date it was published stays. */
  async editNote(db: Conn, articleId: number, id: number, set: { note: string; edited_at: string; edited_by: number | null }): Promise<boolean> {
    const r = await db.updateTable('article_corrections').set(set).where('id', '=', id).where('article_id', '=', articleId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  byId(db: Conn, articleId: number, id: number): Promise<CorrectionRow | undefined> {
    return db.selectFrom('article_corrections').selectAll().where('id', '=', id).where('article_id', '=', articleId).executeTakeFirst();
  },

  /** A story's entries, oldest first (the order readers read them in). */
  forArticle(db: Conn, articleId: number): Promise<CorrectionRow[]> {
    return db.selectFrom('article_corrections').selectAll().where('article_id', '=', articleId).orderBy('id').execute();
  },

  /** The entries of several stories, each story's oldest first. */
  async forArticles(db: Conn, articleIds: number[]): Promise<Map<number, CorrectionRow[]>> {
    const out = new Map<number, CorrectionRow[]>();
    if (!articleIds.length) return out;
    const rows = await db.selectFrom('article_corrections').selectAll().where('article_id', 'in', [...new Set(articleIds)]).orderBy('id').execute();
    for (const r of rows) {
      const list = out.get(r.article_id) ?? [];
      list.push(r);
      out.set(r.article_id, list);
    }
    return out;
  },

  /** Entries of stories readers can see now, newest first: the /corrections page and its feeds. */
  listPublic(db: Conn, now: string, limit: number, offset = 0): Promise<SiteCorrectionRow[]> {
    return db
      .selectFrom('article_corrections as c')
      .innerJoin('articles', 'articles.id', 'c.article_id')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .selectAll('c')
      .select(['articles.headline', 'articles.slug', 'sections.slug as section'])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  },

  async countPublic(db: Conn, now: string): Promise<number> {
    const row = await db
      .selectFrom('article_corrections as c')
      .innerJoin('articles', 'articles.id', 'c.article_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  async countFor(db: Conn, articleId: number): Promise<number> {
    const row = await db.selectFrom('article_corrections').select((eb) => eb.fn.countAll<number | string>().as('n')).where('article_id', '=', articleId).executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
