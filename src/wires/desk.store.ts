/**
 * SQL for where stories came from on the wire desk (`wire_story_sources`,
 * owned by wires): which items and versions a story was made from, which
 * version an editor last saw, and what that says now (embargo, kill, update).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, WireStorySourceTable } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** A story's source with the item's current state. */
export interface StorySourceRow {
  article_id: number;
  item_id: number;
  seq: number;
  seen_seq: number;
  current_seq: number;
  headline: string;
  embargo_at: string | null;
  pubstatus: string;
  signal: string | null;
  provider_id: number;
}

export const sourceStore = {
  async insert(db: Conn, rows: Array<Insertable<WireStorySourceTable>>): Promise<void> {
    if (rows.length) await db.insertInto('wire_story_sources').values(rows).execute();
  },

  /** The sources of these stories, with each item's current state. */
  ofArticles(db: Conn, articleIds: number[]): Promise<StorySourceRow[]> {
    if (!articleIds.length) return Promise.resolve([]);
    return db.selectFrom('wire_story_sources as s').innerJoin('wire_items as i', 'i.id', 's.item_id')
      .select(['s.article_id', 's.item_id', 's.seq', 's.seen_seq', 'i.current_seq', 'i.headline', 'i.embargo_at', 'i.pubstatus', 'i.signal', 'i.provider_id'])
      .where('s.article_id', 'in', articleIds).orderBy('s.id').execute();
  },

  /** The stories made from an item. */
  async articlesOf(db: Conn, itemId: number): Promise<number[]> {
    const rows = await db.selectFrom('wire_story_sources').select('article_id').where('item_id', '=', itemId).execute();
    return rows.map((r) => r.article_id);
  },

  /** Stories with a source whose item has moved past the version an editor last saw. */
  async articlesWithUpdates(db: Conn): Promise<number[]> {
    const rows = await db.selectFrom('wire_story_sources as s').innerJoin('wire_items as i', 'i.id', 's.item_id')
      .select('s.article_id').distinct().whereRef('i.current_seq', '>', 's.seen_seq').execute();
    return rows.map((r) => r.article_id);
  },

  /** The editor has seen every source's current version. */
  async markSeen(db: Conn, articleId: number): Promise<number> {
    const sources = await db.selectFrom('wire_story_sources as s').innerJoin('wire_items as i', 'i.id', 's.item_id')
      .select(['s.id', 'i.current_seq']).where('s.article_id', '=', articleId).whereRef('i.current_seq', '>', 's.seen_seq').execute();
    for (const s of sources) await db.updateTable('wire_story_sources').set({ seen_seq: s.current_seq }).where('id', '=', s.id).execute();
    return sources.length;
  },

  /** The latest embargo among a story's sources still in force at `at`. */
  async embargoAfter(db: Conn, articleId: number, at: string): Promise<{ embargo_at: string; provider_id: number } | undefined> {
    return db.selectFrom('wire_story_sources as s').innerJoin('wire_items as i', 'i.id', 's.item_id')
      .select(['i.embargo_at as embargo_at', 'i.provider_id']).where('s.article_id', '=', articleId).where('i.embargo_at', '>', at)
      .orderBy('i.embargo_at', 'desc').limit(1).executeTakeFirst() as Promise<{ embargo_at: string; provider_id: number } | undefined>;
  },
};
