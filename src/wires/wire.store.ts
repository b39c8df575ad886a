/**
 * SQL for the wire desk's tables: providers and their polling state, wire
 * items and their versions, the quarantine, and recent push signatures.
 * Only the wires domain reads and writes these.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type {
  Database, WireItemTable, WireItemVersionTable, WireProviderTable, WireQuarantineStatus, WireQuarantineTable,
} from '../platform/db/types.js';
import type { Insertable, Selectable, Updateable } from 'kysely';

type Conn = Kysely<Database> | Transaction<Database>;

export type WireProviderRow = Selectable<WireProviderTable>;
export type WireItemRow = Selectable<WireItemTable>;
export type WireItemVersionRow = Selectable<WireItemVersionTable>;
export type WireQuarantineRow = Selectable<WireQuarantineTable>;

export const providerStore = {
  all(db: Conn): Promise<WireProviderRow[]> {
    return db.selectFrom('wire_providers').selectAll().orderBy('name').execute();
  },
  byId(db: Conn, id: number): Promise<WireProviderRow | undefined> {
    return db.selectFrom('wire_providers').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byName(db: Conn, name: string): Promise<WireProviderRow | undefined> {
    return db.selectFrom('wire_providers').selectAll().where('name', '=', name).executeTakeFirst();
  },
  async insert(db: Conn, row: Insertable<WireProviderTable>): Promise<number> {
    const { id } = await db.insertInto('wire_providers').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },
  async update(db: Conn, id: number, set: Updateable<WireProviderTable>): Promise<void> {
    await db.updateTable('wire_providers').set(set).where('id', '=', id).execute();
  },
  async delete(db: Conn, id: number): Promise<boolean> {
    const r = await db.deleteFrom('wire_providers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },
  /** Enabled polled providers (http, folder) whose time has come, soonest first. */
  due(db: Conn, at: string, limit: number): Promise<WireProviderRow[]> {
    return db.selectFrom('wire_providers').selectAll()
      .where('enabled', '=', 1).where('transport', 'in', ['http', 'folder']).where('next_poll_at', '<=', at)
      .orderBy('next_poll_at').limit(limit).execute();
  },
  /**
   * Takes a due provider for one poll: moves next_poll_at to `leaseUntil` only
   * if it still holds the value this process saw, so of several processes
   * exactly one wins. A crashed poller's lease runs out and the provider is due again.
   */
  async claim(db: Conn, id: number, seenNextPollAt: string, leaseUntil: string): Promise<boolean> {
    const r = await db.updateTable('wire_providers').set({ next_poll_at: leaseUntil })
      .where('id', '=', id).where('next_poll_at', '=', seenNextPollAt).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** Items first received from each provider since `since`. */
  async receivedSince(db: Conn, since: string): Promise<Map<number, number>> {
    const rows = await db.selectFrom('wire_items').select(['provider_id', sql<number | string>`count(*)`.as('n')])
      .where('received_at', '>=', since).groupBy('provider_id').execute();
    return new Map(rows.map((r) => [r.provider_id, Number(r.n)]));
  },
};

export interface ItemFilters {
  providerId?: number;
  urgency?: number;
  language?: string;
  subject?: string;
  q?: string;
  embargoedAt?: string;
  killed?: boolean;
  /** Items of this wire story (group). */
  groupId?: number;
  /** Only items changed at or after this time (the live desk asks with the newest change it shows). */
  changedSince?: string;
  /** Keyset: items strictly older than this (updated_at, id). */
  before?: { updatedAt: string; id: number };
  limit: number;
}

export const itemStore = {
  /** Inserts the item unless the provider already has its guid; its id when inserted. */
  async insertIfNew(db: Conn, row: Insertable<WireItemTable>): Promise<number | null> {
    const r = await db.insertInto('wire_items').values(row)
      .onConflict((oc) => oc.columns(['provider_id', 'guid']).doNothing())
      .returning('id').executeTakeFirst();
    return r?.id ?? null;
  },
  byGuid(db: Conn, providerId: number, guid: string): Promise<WireItemRow | undefined> {
    return db.selectFrom('wire_items').selectAll().where('provider_id', '=', providerId).where('guid', '=', guid).executeTakeFirst();
  },
  byId(db: Conn, id: number): Promise<WireItemRow | undefined> {
    return db.selectFrom('wire_items').selectAll().where('id', '=', id).executeTakeFirst();
  },
  byIds(db: Conn, ids: readonly number[]): Promise<WireItemRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('wire_items').selectAll().where('id', 'in', [...ids]).execute();
  },
  /** Makes a new version current, only if the item is still at `seenSeq` (compare-and-set). */
  async advance(db: Conn, id: number, seenSeq: number, set: Updateable<WireItemTable>): Promise<boolean> {
    const r = await db.updateTable('wire_items').set(set).where('id', '=', id).where('current_seq', '=', seenSeq).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  /** The version row, unless one with its (item, seq) is already there; its id when inserted. */
  async insertVersionIfNew(db: Conn, row: Insertable<WireItemVersionTable>): Promise<number | null> {
    const r = await db.insertInto('wire_item_versions').values(row)
      .onConflict((oc) => oc.columns(['item_id', 'seq']).doNothing())
      .returning('id').executeTakeFirst();
    return r?.id ?? null;
  },
  versions(db: Conn, itemId: number): Promise<WireItemVersionRow[]> {
    return db.selectFrom('wire_item_versions').selectAll().where('item_id', '=', itemId).orderBy('seq').execute();
  },
  currentVersions(db: Conn, itemIds: number[]): Promise<WireItemVersionRow[]> {
    if (!itemIds.length) return Promise.resolve([]);
    return db.selectFrom('wire_item_versions as v').innerJoin('wire_items as i', (j) => j.onRef('i.id', '=', 'v.item_id').onRef('i.current_seq', '=', 'v.seq'))
      .selectAll('v').where('v.item_id', 'in', itemIds).execute();
  },
  /** The queue: newest change first, filtered, one page (keyset on updated_at, id). */
  list(db: Conn, f: ItemFilters): Promise<WireItemRow[]> {
    let q = db.selectFrom('wire_items').selectAll();
    if (f.providerId !== undefined) q = q.where('provider_id', '=', f.providerId);
    if (f.urgency !== undefined) q = q.where('urgency', '<=', f.urgency).where('urgency', 'is not', null);
    if (f.language) q = q.where((eb) => eb.or([eb('language', '=', f.language!), eb('language', 'like', `${escapeLike(f.language!)}-%`)]));
    if (f.subject) q = q.where(sql<boolean>`lower(subjects) like ${`%|${escapeLike(f.subject.toLowerCase())}|%`} escape '\\'`);
    if (f.q) q = q.where(sql<boolean>`lower(headline) like ${`%${escapeLike(f.q.toLowerCase())}%`} escape '\\'`);
    if (f.embargoedAt) q = q.where('embargo_at', '>', f.embargoedAt);
    if (f.groupId !== undefined) q = q.where('group_id', '=', f.groupId);
    if (f.killed !== undefined) q = f.killed ? q.where('pubstatus', 'in', ['canceled', 'withheld']) : q.where('pubstatus', '=', 'usable');
    if (f.changedSince) q = q.where('updated_at', '>=', f.changedSince);
    if (f.before) {
      const { updatedAt, id } = f.before;
      q = q.where((eb) => eb.or([eb('updated_at', '<', updatedAt), eb.and([eb('updated_at', '=', updatedAt), eb('id', '<', id)])]));
    }
    return q.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  },
};

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const quarantineStore = {
  /** Quarantines a payload, unless the same payload from the provider is already waiting there. */
  async insertIfNew(db: Conn, row: Insertable<WireQuarantineTable>): Promise<number | null> {
    const open = await db.selectFrom('wire_quarantine').select('id')
      .where('provider_id', '=', row.provider_id).where('raw_hash', '=', row.raw_hash).where('status', '=', 'open').executeTakeFirst();
    if (open) return null;
    const { id } = await db.insertInto('wire_quarantine').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },
  byId(db: Conn, id: number): Promise<WireQuarantineRow | undefined> {
    return db.selectFrom('wire_quarantine').selectAll().where('id', '=', id).executeTakeFirst();
  },
  list(db: Conn, f: { status?: WireQuarantineStatus; providerId?: number; beforeId?: number; limit: number }): Promise<WireQuarantineRow[]> {
    let q = db.selectFrom('wire_quarantine').selectAll();
    if (f.status) q = q.where('status', '=', f.status);
    if (f.providerId !== undefined) q = q.where('provider_id', '=', f.providerId);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  },
  /** Moves an open entry to `status`; false when it was no longer open (someone else resolved it). */
  async resolve(db: Conn, id: number, status: WireQuarantineStatus, at: string): Promise<boolean> {
    const r = await db.updateTable('wire_quarantine').set({ status, resolved_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
  async setReason(db: Conn, id: number, reason: string): Promise<void> {
    await db.updateTable('wire_quarantine').set({ reason }).where('id', '=', id).execute();
  },
};

export const signatureStore = {
  /** Records a push signature; false when it was seen before (a replay). */
  async remember(db: Conn, signatureHash: string, providerId: number, at: string): Promise<boolean> {
    const r = await db.insertInto('wire_push_signatures').values({ signature_hash: signatureHash, provider_id: providerId, seen_at: at })
      .onConflict((oc) => oc.column('signature_hash').doNothing()).returning('signature_hash').executeTakeFirst();
    return r !== undefined;
  },
  async seen(db: Conn, signatureHash: string): Promise<boolean> {
    return !!(await db.selectFrom('wire_push_signatures').select('signature_hash').where('signature_hash', '=', signatureHash).executeTakeFirst());
  },
  async forgetBefore(db: Conn, at: string): Promise<void> {
    await db.deleteFrom('wire_push_signatures').where('seen_at', '<', at).execute();
  },
};
