import type { Kysely, Transaction } from 'kysely';
import type { Database, FrontLayoutRow, FrontLayoutStatus } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface StoredLayout extends FrontLayoutRow {
  articleIds: number[];
}

async function withSlots(db: Conn, rows: FrontLayoutRow[]): Promise<StoredLayout[]> {
  if (!rows.length) return [];
  const slots = await db
    .selectFrom('front_slots')
    .select(['layout_id', 'article_id'])
    .where('layout_id', 'in', rows.map((r) => r.id))
    .orderBy('layout_id')
    .orderBy('position')
    .execute();
  return rows.map((r) => ({ ...r, articleIds: slots.filter((s) => s.layout_id === r.id).map((s) => s.article_id) }));
}

export const frontStore = {
  /** The live layout of a front, or undefined when nothing is arranged. */
  async live(db: Conn, front: string): Promise<StoredLayout | undefined> {
    const row = await db.selectFrom('front_layouts').selectAll().where('front', '=', front).where('status', '=', 'live').orderBy('id', 'desc').executeTakeFirst();
    return row ? (await withSlots(db, [row]))[0] : undefined;
  },

  /** Every layout of `fronts` (all when none named) that is not retired: live, draft and scheduled ones (these by go-live time). */
  async current(db: Conn, fronts?: string[]): Promise<StoredLayout[]> {
    let q = db.selectFrom('front_layouts').selectAll().where('status', '!=', 'retired');
    if (fronts) q = q.where('front', 'in', fronts.length ? fronts : ['']);
    return withSlots(db, await q.orderBy('go_live_at').orderBy('id').execute());
  },

  async byId(db: Conn, id: number): Promise<StoredLayout | undefined> {
    const row = await db.selectFrom('front_layouts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await withSlots(db, [row]))[0] : undefined;
  },

  async draft(db: Conn, front: string): Promise<StoredLayout | undefined> {
    const row = await db.selectFrom('front_layouts').selectAll().where('front', '=', front).where('status', '=', 'draft').executeTakeFirst();
    return row ? (await withSlots(db, [row]))[0] : undefined;
  },

  /** Writes a front's draft (creating it, or replacing its slots). */
  async saveDraft(db: Conn, front: string, articleIds: number[], latestCount: number, at: string, by: number | null): Promise<number> {
    const existing = await db.selectFrom('front_layouts').select('id').where('front', '=', front).where('status', '=', 'draft').executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      await db.updateTable('front_layouts').set({ latest_count: latestCount, updated_at: at, updated_by: by }).where('id', '=', id).execute();
      await db.deleteFrom('front_slots').where('layout_id', '=', id).execute();
    } else {
      const row = await db
        .insertInto('front_layouts')
        .values({ front, status: 'draft', latest_count: latestCount, go_live_at: null, went_live_at: null, created_at: at, updated_at: at, updated_by: by })
        .returning('id')
        .executeTakeFirstOrThrow();
      id = row.id;
    }
    if (articleIds.length) {
      await db.insertInto('front_slots').values(articleIds.map((article_id, position) => ({ layout_id: id, position, article_id }))).execute();
    }
    return id;
  },

  /** A layout (the draft, or a scheduled one falling due) becomes the front's live one; the one live before is retired. */
  async goLive(db: Conn, id: number, from: FrontLayoutStatus, at: string): Promise<boolean> {
    const row = await db.selectFrom('front_layouts').select('front').where('id', '=', id).where('status', '=', from).executeTakeFirst();
    if (!row) return false;
    // The conditional update claims it: of two processes running the schedule, one wins.
    const claimed = await db.updateTable('front_layouts').set({ status: 'live', went_live_at: at, go_live_at: null, updated_at: at }).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    await db.updateTable('front_layouts').set({ status: 'retired' }).where('front', '=', row.front).where('status', '=', 'live').where('id', '!=', id).execute();
    return true;
  },

  async schedule(db: Conn, id: number, goLiveAt: string, at: string, by: number | null): Promise<void> {
    await db.updateTable('front_layouts').set({ status: 'scheduled', go_live_at: goLiveAt, updated_at: at, updated_by: by }).where('id', '=', id).where('status', '=', 'draft').execute();
  },

  /** Deletes a scheduled layout of a front; false when there is none with that id. */
  async cancelScheduled(db: Conn, front: string, id: number): Promise<boolean> {
    const res = await db.deleteFrom('front_layouts').where('id', '=', id).where('front', '=', front).where('status', '=', 'scheduled').executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },

  async discardDraft(db: Conn, front: string): Promise<boolean> {
    const res = await db.deleteFrom('front_layouts').where('front', '=', front).where('status', '=', 'draft').executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  },

  /** Scheduled layouts whose time has come, oldest first. */
  async due(db: Conn, at: string, limit: number): Promise<Array<{ id: number; front: string }>> {
    return db.selectFrom('front_layouts').select(['id', 'front']).where('status', '=', 'scheduled').where('go_live_at', '<=', at).orderBy('go_live_at').orderBy('id').limit(limit).execute();
  },

  /** The fronts whose live layout arranges this story. */
  async frontsShowing(db: Conn, articleId: number): Promise<string[]> {
    const rows = await db
      .selectFrom('front_slots')
      .innerJoin('front_layouts', 'front_layouts.id', 'front_slots.layout_id')
      .select('front_layouts.front')
      .distinct()
      .where('front_slots.article_id', '=', articleId)
      .where('front_layouts.status', '=', 'live')
      .execute();
    return rows.map((r) => r.front);
  },
};

/** What the newsroom shows and checks of an arranged story. */
export interface SlotStory {
  id: number;
  headline: string;
  status: string;
  published_at: string | null;
  slug: string;
  section: string;
}

export const frontStoryStore = {
  async byIds(db: Conn, ids: number[]): Promise<Map<number, SlotStory>> {
    if (!ids.length) return new Map();
    const rows = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.headline', 'articles.status', 'articles.published_at', 'articles.slug', 'sections.slug as section'])
      .where('articles.id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  },

  /** The newest public stories (of some sections), for the newsroom's "add a story" list. */
  newest(db: Conn, now: string, limit: number, sectionIds?: number[]): Promise<SlotStory[]> {
    let q = db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.headline', 'articles.status', 'articles.published_at', 'articles.slug', 'sections.slug as section'])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now);
    if (sectionIds) q = q.where('articles.section_id', 'in', sectionIds.length ? sectionIds : [-1]);
    return q.orderBy('articles.published_at', 'desc').orderBy('articles.id', 'desc').limit(limit).execute();
  },
};
