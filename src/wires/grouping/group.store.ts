/**
 * SQL for wire stories: the groups, each item's fingerprint and its LSH band
 * keys, and the item's group_id. Only the wires domain reads and writes these.
 */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, WireGroupTable, WireItemTable } from '../../platform/db/types.js';
import { signatureFromBuffer, signatureToBuffer } from './minhash.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type WireGroupRow = Selectable<WireGroupTable>;
export type GroupedItemRow = Selectable<WireItemTable>;

export interface StoredCandidate {
  itemId: number;
  groupId: number;
  at: string;
  shingles: Uint32Array;
  signature?: Uint32Array;
}

/** PostgreSQL binds at most 65,535 parameters a statement; chunks stay well under. */
const CHUNK = 2000;
/** The advisory-lock namespace of grouping ('WIRE' as a 32-bit integer), apart from any other use of advisory locks. */
const LOCK_NAMESPACE = 0x57495245;

export const groupStore = {
  /**
   * PostgreSQL only: takes this transaction's advisory locks on the band
   * hashes, in ascending order (so two transactions never wait on each other
   * in a circle), held until commit. Two items that could be each other's
   * candidates share a band hash, so the second waits for the first to commit
   * and then sees it (READ COMMITTED: each statement reads what is committed
   * when it starts). SQLite needs none: one writer at a time, and the item's
   * insert before grouping already holds the write lock.
   */
  async lockBands(db: Conn, bandHashes: Uint32Array): Promise<void> {
    const keys = [...new Set(Array.from(bandHashes, (h) => h | 0))].sort((a, b) => a - b);
    await sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int4, k) from unnest(${keys}::int4[]) with ordinality as u(k, n) order by n`.execute(db);
  },

  /** The group of an item already stored (a new version keeps it), or null when it has none yet. */
  async groupOfItem(db: Conn, itemId: number): Promise<number | null> {
    const r = await db.selectFrom('wire_items').select('group_id').where('id', '=', itemId).executeTakeFirst();
    return r?.group_id ?? null;
  },

  /**
   * Items sharing a band key with the signature in one of the buckets, with
   * their groups and word hashes (and signatures when asked: only verification
   * by estimate needs them), in one statement.
   */
  async candidates(db: Conn, bandKeys: string[], buckets: readonly number[], withSignature = false): Promise<StoredCandidate[]> {
    const rows = await db.selectFrom('wire_item_fingerprints')
      .select(['item_id', 'group_id', 'at', 'shingles'])
      .$if(withSignature, (q) => q.select('signature'))
      .where('item_id', 'in', (eb) => eb.selectFrom('wire_item_bands').select('item_id').where('band_key', 'in', bandKeys).where('bucket', 'in', [...buckets]))
      .execute();
    return rows.map((r) => ({
      itemId: r.item_id, groupId: r.group_id, at: r.at, shingles: signatureFromBuffer(r.shingles),
      ...('signature' in r && r.signature ? { signature: signatureFromBuffer(r.signature as Uint8Array) } : {}),
    }));
  },

  /** Stores the item's fingerprint and its band keys under its bucket. */
  async saveFingerprint(db: Conn, f: { itemId: number; groupId: number; at: string; bucket: number; shingles: Uint32Array; signature: Uint32Array; bandKeys: string[] }): Promise<void> {
    await db.insertInto('wire_item_fingerprints')
      .values({ item_id: f.itemId, group_id: f.groupId, at: f.at, bucket: f.bucket, shingles: signatureToBuffer(f.shingles), signature: signatureToBuffer(f.signature) })
      .onConflict((oc) => oc.column('item_id').doNothing()).execute();
    const bands = [...new Set(f.bandKeys)].map((band_key) => ({ band_key, bucket: f.bucket, item_id: f.itemId }));
    if (bands.length) await db.insertInto('wire_item_bands').values(bands).execute();
  },

  /** A new group of one item (its representative), and the item put in it. */
  async createGroup(db: Conn, g: { at: string; itemId: number; headline: string }): Promise<number> {
    const { id } = await db.insertInto('wire_groups')
      .values({ first_seen_at: g.at, last_seen_at: g.at, representative_item_id: g.itemId, headline: g.headline, item_count: 1, provider_count: 1 })
      .returning('id').executeTakeFirstOrThrow();
    await db.updateTable('wire_items').set({ group_id: id }).where('id', '=', g.itemId).execute();
    return id;
  },

  /**
   * Puts an item in an existing group and counts it: one more item, and one
   * more provider unless another item of the group is from the same provider.
   * Counts are updated in place (`item_count = item_count + 1`), so two
   * transactions joining one group both count.
   */
  async addItem(db: Conn, groupId: number, item: { id: number; providerId: number }, at: string): Promise<void> {
    await db.updateTable('wire_groups')
      .set((eb) => ({
        item_count: eb('item_count', '+', 1),
        provider_count: sql<number>`provider_count + case when exists (select 1 from wire_items where group_id = ${groupId} and provider_id = ${item.providerId} and id <> ${item.id}) then 0 else 1 end`,
        last_seen_at: sql<string>`case when last_seen_at < ${at} then ${at} else last_seen_at end`,
      }))
      .where('id', '=', groupId).execute();
    await db.updateTable('wire_items').set({ group_id: groupId }).where('id', '=', item.id).execute();
  },

  /** A new version arrived: the group was active now, and shows the new headline when the item is its representative. */
  async touch(db: Conn, groupId: number, item: { id: number; headline: string }, at: string): Promise<void> {
    await db.updateTable('wire_groups')
      .set({ last_seen_at: sql<string>`case when last_seen_at < ${at} then ${at} else last_seen_at end` })
      .where('id', '=', groupId).execute();
    await db.updateTable('wire_groups').set({ headline: item.headline }).where('id', '=', groupId).where('representative_item_id', '=', item.id).execute();
  },

  /** The groups holding items of a provider. */
  async groupsOfProvider(db: Conn, providerId: number): Promise<number[]> {
    const rows = await db.selectFrom('wire_items').select('group_id').distinct().where('provider_id', '=', providerId).where('group_id', 'is not', null).execute();
    return rows.map((r) => r.group_id!);
  },

  /**
   * Counts the groups again from their items (after items were removed): the
   * first remaining item becomes the representative, and a group left with
   * none is deleted.
   */
  async recount(db: Conn, groupIds: number[]): Promise<void> {
    for (let i = 0; i < groupIds.length; i += CHUNK) {
      const ids = groupIds.slice(i, i + CHUNK);
      await db.updateTable('wire_groups').set({
        item_count: sql<number>`(select count(*) from wire_items i where i.group_id = wire_groups.id)`,
        provider_count: sql<number>`(select count(distinct i.provider_id) from wire_items i where i.group_id = wire_groups.id)`,
        representative_item_id: sql<number>`(select min(i.id) from wire_items i where i.group_id = wire_groups.id)`,
      }).where('id', 'in', ids).execute();
      await db.updateTable('wire_groups')
        .set({ headline: sql<string>`(select i.headline from wire_items i where i.id = wire_groups.representative_item_id)` })
        .where('id', 'in', ids).where('item_count', '>', 0).execute();
      await db.deleteFrom('wire_groups').where('id', 'in', ids).where('item_count', '=', 0).execute();
    }
  },

  byId(db: Conn, id: number): Promise<WireGroupRow | undefined> {
    return db.selectFrom('wire_groups').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Groups with at least one item, newest activity first (keyset on last_seen_at, id). */
  list(db: Conn, f: { before?: { at: string; id: number }; minItems?: number; limit: number }): Promise<WireGroupRow[]> {
    let q = db.selectFrom('wire_groups').selectAll().where('item_count', '>=', Math.max(1, f.minItems ?? 1));
    if (f.before) {
      const { at, id } = f.before;
      q = q.where((eb) => eb.or([eb('last_seen_at', '<', at), eb.and([eb('last_seen_at', '=', at), eb('id', '<', id)])]));
    }
    return q.orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },

  /** The items of some groups, oldest first within each. */
  async itemsOf(db: Conn, groupIds: number[]): Promise<GroupedItemRow[]> {
    const out: GroupedItemRow[] = [];
    for (let i = 0; i < groupIds.length; i += CHUNK) {
      const ids = groupIds.slice(i, i + CHUNK);
      out.push(...await db.selectFrom('wire_items').selectAll().where('group_id', 'in', ids).orderBy('received_at').orderBy('id').execute());
    }
    return out;
  },
};
