/**
 * Wire stories in the database, decided at ingest.
 *
 * `onStored` runs inside each stored item's transaction (the ingest seam
 * `wires.onStored`), so an item and its group are committed together or not
 * at all:
 *
 * - a new version of an item already grouped stays in its group; the group's
 *   last activity moves on, and its headline follows the item's when the item
 *   is the group's representative (its first item). Nothing else is
 *   recomputed: the item keeps the fingerprint of its first version;
 * - a new item (or one stored before grouping existed) gets its fingerprint
 *   (group.ts), its 48 band keys are looked up in its 72-hour bucket and both
 *   neighbours, the candidates' stored fingerprints are verified exactly as
 *   the in-memory index does (verifyCandidates), and it joins the group of the
 *   most similar one or starts its own; counts are updated in place.
 *
 * Concurrency. On SQLite one transaction writes at a time, and the item's
 * insert (before this hook) already holds the write lock, so grouping is
 * serial. On PostgreSQL two processes may store similar items at once; each
 * takes transaction-scoped advisory locks on its band hashes first (sorted,
 * so no deadlock), and two items that could be each other's candidates share
 * a band hash, so the second waits for the first to commit and then finds it
 * (READ COMMITTED reads what is committed when each statement starts). So
 * concurrent ingest groups as some serial order would; the locks are 32-bit
 * hashes, and a collision only makes two unrelated items wait for each other.
 * What is not done is merging groups afterwards: an item that bridges two
 * existing groups joins the more similar one.
 */
import { PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/types.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { bodyText, type BodyDoc } from '../../content/body.js';
import type { WireItem } from '../wire.model.js';
import { itemStore } from '../wire.store.js';
import { agencyContributions, diffVersions, type Contribution, type VersionDiff } from './diff.js';
import { fingerprint, groupFrom, partitionOf, timeOf, type CandidateSource, type GroupableItem, type GroupDecision, type GroupingOptions } from './group.js';
import { groupStore, type GroupedItemRow, type WireGroupRow } from './group.store.js';
import { bandHashes, bandKeys } from './lsh.js';

export type { GroupedItemRow, WireGroupRow } from './group.store.js';

/** What the ingest seam hands over (structurally wire.service's StoredVersion). */
export interface StoredItem {
  trx: Transaction<Database>;
  providerId: number;
  itemId: number;
  isNew: boolean;
  item: WireItem;
}

export interface GroupingDeps {
  db: Kysely<Database>;
  now: () => Date;
  options?: GroupingOptions;
}

export interface GroupWithItems {
  group: WireGroupRow;
  items: GroupedItemRow[];
}

export type WireGrouping = ReturnType<typeof createGroupingService>;

/** The body's text, one line per block, so diffs break at paragraphs as well as sentences. */
export function wireText(item: Pick<WireItem, 'body' | 'summary'>): string {
  const blocks = (item.body?.content ?? []).map((node) => bodyText({ type: 'doc', content: [node] } as BodyDoc)).filter(Boolean);
  return blocks.length ? blocks.join('\n') : item.summary ?? '';
}

/** The item as grouping sees it; its time is the agency's (first created, else this version's), else when we received it. */
export function groupable(itemId: number, providerId: number, item: WireItem, receivedAt: string): GroupableItem {
  const time = [item.firstCreated, item.versionTime].find((t) => t && Number.isFinite(Date.parse(t))) ?? receivedAt;
  return { id: itemId, guid: item.guid, provider: String(providerId), headline: item.headline, text: wireText(item), time };
}

export function createGroupingService({ db, now, options = {} }: GroupingDeps) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  /** Groups one stored item or version, inside its transaction; returns what was decided and the group. */
  async function onStored({ trx, providerId, itemId, isNew, item }: StoredItem): Promise<GroupDecision & { groupId: string }> {
    const at = now().toISOString();
    const g = groupable(itemId, providerId, item, at);
    const fp = fingerprint(g, options);
    const keys = fp.shingles.length ? bandKeys(fp.signature) : [];
    let locked = false;
    const source: CandidateSource = {
      async earlierVersion() {
        if (isNew) return undefined;
        const groupId = await groupStore.groupOfItem(trx, itemId);
        return groupId === null ? undefined : { groupId: String(groupId), id: itemId };
      },
      async candidates(_signature, buckets) {
        if (postgres) {
          await groupStore.lockBands(trx, bandHashes(fp.signature));
          locked = true;
        }
        return (await groupStore.candidates(trx, keys, buckets, options.verifyBy === 'estimate')).map((c) => ({
          id: c.itemId, groupId: String(c.groupId), time: Date.parse(c.at), shingles: c.shingles, signature: c.signature,
        }));
      },
    };
    const decision = await groupFrom(g, source, options, fp);
    if (decision.kind === 'version') {
      await groupStore.touch(trx, Number(decision.groupId), { id: itemId, headline: item.headline }, at);
      return decision;
    }
    const groupId = decision.kind === 'new' ? await groupStore.createGroup(trx, { at, itemId, headline: item.headline }) : Number(decision.groupId);
    if (decision.kind !== 'new') await groupStore.addItem(trx, groupId, { id: itemId, providerId }, at);
    // An item with words is findable by later ones; its lock (taken with the lookup) is held until commit.
    if (fp.shingles.length) {
      if (postgres && !locked) await groupStore.lockBands(trx, bandHashes(fp.signature));
      const time = timeOf(g.time);
      await groupStore.saveFingerprint(trx, {
        itemId, groupId, at: new Date(time).toISOString(), bucket: partitionOf(time, options), shingles: fp.shingles, signature: fp.signature, bandKeys: keys,
      });
    }
    return { ...decision, groupId: String(groupId) };
  }

  async function withItems(groups: WireGroupRow[]): Promise<GroupWithItems[]> {
    const items = await groupStore.itemsOf(db, groups.map((g) => g.id));
    const byGroup = new Map<number, GroupedItemRow[]>();
    for (const i of items) byGroup.set(i.group_id!, [...(byGroup.get(i.group_id!) ?? []), i]);
    return groups.map((group) => ({ group, items: byGroup.get(group.id) ?? [] }));
  }

  return {
    onStored,

    /** Removes a provider (`remove`, in `trx`) and recounts the groups its items were in; groups left empty go. */
    async removingProvider(trx: Transaction<Database>, providerId: number, remove: () => Promise<boolean>): Promise<boolean> {
      const affected = await groupStore.groupsOfProvider(trx, providerId);
      if (!(await remove())) return false;
      await groupStore.recount(trx, affected);
      return true;
    },

    /** Wire stories, newest activity first, each with its items (keyset pages; `minItems: 2` for those told more than once). */
    async list(f: { before?: { at: string; id: number }; minItems?: number; limit: number }): Promise<GroupWithItems[]> {
      return withItems(await groupStore.list(db, f));
    },

    /** One wire story with its items and, for each item's current version, what it adds that no other item of the group has. */
    async group(id: number): Promise<GroupWithItems & { contributions: Array<Contribution<number>> }> {
      const group = await groupStore.byId(db, id);
      if (!group) throw new NotFoundError('There is no such wire story.');
      const [withI] = await withItems([group]);
      const items = withI!.items;
      const current = new Map((await itemStore.currentVersions(db, items.map((i) => i.id))).map((v) => [v.item_id, JSON.parse(v.item) as WireItem]));
      const contributions = agencyContributions(items.map((i) => {
        const w = current.get(i.id);
        return { id: i.id, provider: String(i.provider_id), headline: w?.headline ?? i.headline, text: w ? wireText(w) : '' };
      }));
      return { group, items, contributions };
    },

    /** What changed between two stored versions of one item (by seq; `to` defaults to the current one, `from` to the one before `to`). */
    async itemDiff(itemId: number, q: { from?: number | undefined; to?: number | undefined }): Promise<{ itemId: number; from: VersionRef; to: VersionRef; diff: VersionDiff }> {
      const item = await itemStore.byId(db, itemId);
      if (!item) throw new NotFoundError('There is no such wire item.');
      const versions = await itemStore.versions(db, itemId);
      const to = q.to ?? item.current_seq;
      const from = q.from ?? to - 1;
      if (from >= to) throw new ValidationError('`from` must be an earlier version than `to`.');
      const a = versions.find((v) => v.seq === from);
      const b = versions.find((v) => v.seq === to);
      if (!a || !b) throw new NotFoundError(`This item has versions 1 to ${item.current_seq}${from < 1 && q.from === undefined ? ' (only one: nothing to compare)' : ''}.`);
      const wa = JSON.parse(a.item) as WireItem;
      const wb = JSON.parse(b.item) as WireItem;
      const ref = (v: typeof a, w: WireItem): VersionRef => ({ seq: v.seq, version: v.version, versionTime: v.version_time, headline: w.headline, signal: w.signal, pubStatus: w.pubStatus });
      return {
        itemId,
        from: ref(a, wa),
        to: ref(b, wb),
        diff: diffVersions({ headline: wa.headline, text: wireText(wa) }, { headline: wb.headline, text: wireText(wb) }),
      };
    },
  };
}

export interface VersionRef {
  seq: number;
  version: number;
  versionTime: string | null;
  headline: string;
  signal: WireItem['signal'];
  pubStatus: WireItem['pubStatus'];
}

/**
 * The desk's group source (`WireGroupSource` in src/wires/groups.ts) over the
 * stored wire stories: newest activity first, each with its item ids, the
 * representative (first) item first.
 */
export function storedGroupSource(grouping: Pick<WireGrouping, 'list'>) {
  return {
    async listGroups({ limit }: { limit: number }): Promise<Array<{ id: string; itemIds: number[] }>> {
      return (await grouping.list({ limit })).map(({ group, items }) => {
        const lead = items.filter((i) => i.id === group.representative_item_id);
        return { id: String(group.id), itemIds: [...lead, ...items.filter((i) => i.id !== group.representative_item_id)].map((i) => i.id) };
      });
    },
  };
}
