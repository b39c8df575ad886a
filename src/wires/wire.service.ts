/**
 * The wire desk's storage rules: providers, ingest, versions, the quarantine.
 *
 * Exactly once: every item is stored in its own transaction, keyed by
 * (provider, agency guid). A new guid is an insert-or-ignore; a known guid
 * gets a new version only when it is newer than the current one (a higher
 * agency version, or the same number with a later version time, as RSS
 * sends it), and the version row's (item, seq) key plus a compare-and-set on
 * the item's current seq make two processes storing the same version at once
 * end with one row. An older or equal version is a duplicate and changes
 * nothing. So the same feed polled twice, a push retried, or a batch read
 * again after the process was killed half-way stores each item once.
 *
 * Whatever cannot be read goes to the quarantine with its raw payload and the
 * reason; one bad item never stops the rest of its document.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, WireProviderFormat, WireTransport } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { audit } from '../audit/audit.service.js';
import type { Staff } from '../accounts/staff.js';
import { parseWire } from './parse.js';
import type { WireItem } from './wire.model.js';
import { createGroupingService } from './grouping/grouping.service.js';
import {
  itemStore, providerStore, quarantineStore, signatureStore, type ItemFilters, type WireItemRow, type WireItemVersionRow, type WireProviderRow, type WireQuarantineRow,
} from './wire.store.js';

export type { WireItemRow, WireItemVersionRow, WireProviderRow, WireQuarantineRow } from './wire.store.js';

type Trx = Transaction<Database>;

export const PROVIDER_FORMATS: readonly WireProviderFormat[] = ['auto', 'rss', 'atom', 'ninjs', 'newsml-g2', 'nitf'];
export const TRANSPORTS: readonly WireTransport[] = ['http', 'folder', 'push'];
export const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Backoff after failed polls doubles the interval each time, up to this. */
export const MAX_BACKOFF_SECONDS = 3600;
/** Push timestamps are accepted within 5 minutes either way; signatures are kept twice that. */
const PUSH_SIGNATURE_WINDOW_MS = 5 * 60_000;
const DEFAULT_INTERVAL: Record<WireTransport, number> = { http: 300, folder: 10, push: 300 };

export interface IngestCounts {
  /** New items. */
  stored: number;
  /** New versions of items already stored. */
  updated: number;
  /** Items (or versions) stored before, or older than the one stored: nothing changed. */
  duplicates: number;
  /** Items, or the whole document, that could not be read. */
  quarantined: number;
}

/** What a stored-version hook receives, inside the item's transaction (grouping plugs in here). */
export interface StoredVersion {
  trx: Trx;
  providerId: number;
  itemId: number;
  versionId: number;
  seq: number;
  isNew: boolean;
  item: WireItem;
}

export interface ProviderInput {
  name: string;
  displayName?: string | undefined;
  credit: string;
  format: WireProviderFormat;
  transport: WireTransport;
  url?: string | null | undefined;
  intervalSeconds?: number | undefined;
  enabled?: boolean | undefined;
}

export type ProviderPatch = Partial<Omit<ProviderInput, 'name' | 'transport'>>;

export interface ProviderStatus extends WireProviderRow {
  itemsLastHour: number;
}

export interface WireDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
}

export type WireService = ReturnType<typeof createWireService>;

const zero = (): IngestCounts => ({ stored: 0, updated: 0, duplicates: 0, quarantined: 0 });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Retry signal: another process stored a version of this item between our read and our write. */
class LostRace extends Error {}

export function createWireService({ db, events, now }: WireDeps) {
  const stamp = () => now().toISOString();
  const storedHooks: Array<(v: StoredVersion) => Promise<void>> = [];
  // Wire stories are decided inside each item's transaction: an item is never stored ungrouped.
  const grouping = createGroupingService({ db, now });
  storedHooks.push(async (v) => void (await grouping.onStored(v)));

  function checkInput(input: ProviderPatch & { transport: WireTransport }): void {
    if (input.format !== undefined && !PROVIDER_FORMATS.includes(input.format)) throw new ValidationError(`format must be one of ${PROVIDER_FORMATS.join(', ')}`);
    if (input.credit !== undefined && !input.credit.trim()) throw new ValidationError('A provider needs a credit line (e.g. "Reuters", "Agencies").');
    if (input.intervalSeconds !== undefined && (!Number.isInteger(input.intervalSeconds) || input.intervalSeconds < 5 || input.intervalSeconds > 86_400)) {
      throw new ValidationError('The interval is a whole number of seconds from 5 to 86400.');
    }
    if (input.url) {
      let u: URL;
      try {
        u = new URL(input.url);
      } catch {
        throw new ValidationError(`"${input.url}" is not a URL.`);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ValidationError('A feed URL is http or https.');
    }
  }

  async function providerOr404(id: number): Promise<WireProviderRow> {
    const p = await providerStore.byId(db, id);
    if (!p) throw new NotFoundError('There is no such wire provider.');
    return p;
  }

  function quarantineRow(providerId: number, q: { raw: string; reason: string; guid: string | null; contentType: string | null }, at: string) {
    return { provider_id: providerId, guid: q.guid, reason: q.reason.slice(0, 2000), raw: q.raw, raw_hash: sha256(q.raw), content_type: q.contentType, status: 'open' as const, received_at: at, resolved_at: null };
  }

  function isNewer(item: WireItem, current: WireItemRow): boolean {
    if (item.version !== current.version) return item.version > current.version;
    if (!item.versionTime) return false;
    return !current.version_time || item.versionTime > current.version_time;
  }

  function currentFields(item: WireItem) {
    const subjects = item.subjects.flatMap((s) => [s.code, s.name]).filter((x): x is string => !!x);
    return {
      version: item.version,
      version_time: item.versionTime,
      format: item.format,
      headline: item.headline,
      language: item.language,
      urgency: item.urgency,
      subjects: subjects.length ? `|${subjects.map((s) => s.replace(/\|/g, ' ')).join('|')}|` : '',
      embargo_at: item.embargoUntil,
      pubstatus: item.pubStatus,
      signal: item.signal,
    };
  }

  /** Stores one item in one transaction: 'stored' (new), 'updated' (a new version) or 'duplicates'. */
  async function storeItem(providerId: number, item: WireItem, raw: string | null): Promise<keyof IngestCounts> {
    for (let attempt = 0; ; attempt++) {
      const at = stamp();
      try {
        const done = await db.transaction().execute(async (trx) => {
          const fields = currentFields(item);
          const version = { version: item.version, version_time: item.versionTime, item: JSON.stringify(item), raw, received_at: at };
          const newId = await itemStore.insertIfNew(trx, { provider_id: providerId, guid: item.guid, current_seq: 1, ...fields, received_at: at, updated_at: at });
          if (newId !== null) {
            const versionId = await itemStore.insertVersionIfNew(trx, { item_id: newId, seq: 1, ...version });
            if (versionId === null) throw new LostRace();
            for (const hook of storedHooks) await hook({ trx, providerId, itemId: newId, versionId, seq: 1, isNew: true, item });
            return { outcome: 'stored' as const, itemId: newId, versionId, seq: 1 };
          }
          const current = await itemStore.byGuid(trx, providerId, item.guid);
          if (!current) throw new LostRace(); // removed between the two statements
          if (!isNewer(item, current)) return { outcome: 'duplicates' as const };
          const seq = current.current_seq + 1;
          // Waits for, then yields to, another process that stored this seq first.
          const versionId = await itemStore.insertVersionIfNew(trx, { item_id: current.id, seq, ...version });
          if (versionId === null || !(await itemStore.advance(trx, current.id, current.current_seq, { ...fields, current_seq: seq, updated_at: at }))) throw new LostRace();
          for (const hook of storedHooks) await hook({ trx, providerId, itemId: current.id, versionId, seq, isNew: false, item });
          return { outcome: 'updated' as const, itemId: current.id, versionId, seq };
        });
        if (done.outcome !== 'duplicates') {
          await events.emit('wire.item.stored', { providerId, itemId: done.itemId, versionId: done.versionId, seq: done.seq, isNew: done.outcome === 'stored' });
        }
        return done.outcome;
      } catch (err) {
        // The other process's version is committed now: reading again compares against it.
        if (err instanceof LostRace && attempt < 5) continue;
        throw err;
      }
    }
  }

  async function quarantine(providerId: number, q: { raw: string; reason: string; guid: string | null; contentType: string | null }): Promise<void> {
    await quarantineStore.insertIfNew(db, quarantineRow(providerId, q, stamp()));
  }

  function rawText(bytes: Uint8Array): string {
    return new TextDecoder('utf-8').decode(bytes);
  }

  /** Reads a document and stores what it holds; never throws for bad input (only when the database fails). */
  async function ingest(provider: WireProviderRow, bytes: Uint8Array, contentType: string | null = null): Promise<IngestCounts> {
    const counts = zero();
    const parsed = parseWire(bytes, { ...(provider.format !== 'auto' ? { format: provider.format } : {}), contentType });
    if (!parsed.ok) {
      await quarantine(provider.id, { raw: parsed.raw, reason: parsed.reason, guid: null, contentType });
      counts.quarantined++;
      return counts;
    }
    // The raw payload is kept per version when the document is that one item (a push, a file per story).
    const single = parsed.items.length === 1 && !parsed.rejected.length ? rawText(bytes) : null;
    for (const item of parsed.items) counts[await storeItem(provider.id, item, single)]++;
    for (const r of parsed.rejected) {
      await quarantine(provider.id, { raw: r.raw, reason: r.reason, guid: r.guid, contentType });
      counts.quarantined++;
    }
    return counts;
  }

  /** An item's raw XML as a document of its own again (an RSS <item> or Atom <entry> needs its feed around it). */
  function retryDocument(raw: string): string {
    const head = raw.trimStart();
    if (head.startsWith('<item')) {
      return `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>retry</title>${raw}</channel></rss>`;
    }
    if (head.startsWith('<entry')) return `<feed xmlns="http://www.w3.org/2005/Atom"><title>retry</title>${raw}</feed>`;
    return raw;
  }

  async function quarantinedOpen(id: number): Promise<WireQuarantineRow> {
    const q = await quarantineStore.byId(db, id);
    if (!q) throw new NotFoundError('There is no such quarantine entry.');
    if (q.status !== 'open') throw new ConflictError(`This entry was already ${q.status}.`);
    return q;
  }

  return {
    /** Registers a step run inside every stored item's transaction (e.g. grouping); a failure undoes the item. */
    onStored(hook: (v: StoredVersion) => Promise<void>): void {
      storedHooks.push(hook);
    },

    ingest,

    /** Wire stories: items about one event across agencies and versions (grouping/grouping.service.ts). */
    grouping,

    /**
     * Reads a quarantined payload again (after a parser fix, or a provider's
     * format was corrected). When it now reads cleanly its items are stored
     * (exactly once, as always) and the entry is marked retried; otherwise it
     * stays open with the new reason.
     */
    async retryQuarantined(id: number, staff?: Staff): Promise<IngestCounts & { resolved: boolean; reason: string | null }> {
      const q = await quarantinedOpen(id);
      const provider = await providerOr404(q.provider_id);
      const counts = zero();
      const parsed = parseWire(Buffer.from(retryDocument(q.raw), 'utf8'), { ...(provider.format !== 'auto' ? { format: provider.format } : {}), contentType: q.content_type });
      const reason = !parsed.ok ? parsed.reason : parsed.rejected[0]?.reason ?? (parsed.items.length ? null : 'the payload holds no items');
      if (reason !== null || !parsed.ok) {
        await quarantineStore.setReason(db, id, reason ?? 'unreadable');
        return { ...counts, quarantined: 1, resolved: false, reason };
      }
      for (const item of parsed.items) counts[await storeItem(provider.id, item, parsed.items.length === 1 ? q.raw : null)]++;
      await db.transaction().execute(async (trx) => {
        await quarantineStore.resolve(trx, id, 'retried', stamp());
        if (staff) await audit(trx, staff, now(), 'wire.quarantine.retry', `wire_quarantine:${id}`, { ...counts });
      });
      return { ...counts, resolved: true, reason: null };
    },

    async discardQuarantined(id: number, staff?: Staff): Promise<void> {
      await quarantinedOpen(id);
      await db.transaction().execute(async (trx) => {
        if (!(await quarantineStore.resolve(trx, id, 'discarded', stamp()))) throw new ConflictError('This entry was resolved meanwhile.');
        if (staff) await audit(trx, staff, now(), 'wire.quarantine.discard', `wire_quarantine:${id}`);
      });
    },

    quarantineEntry: (id: number) => quarantineStore.byId(db, id),
    quarantineList: (f: Parameters<typeof quarantineStore.list>[1]) => quarantineStore.list(db, f),

    // --- providers ------------------------------------------------------------

    /** Makes a provider; for push, its secret is generated and returned (shown once). */
    async createProvider(input: ProviderInput, staff?: Staff): Promise<{ provider: WireProviderRow; secret: string | null }> {
      const name = input.name.trim().toLowerCase();
      if (!PROVIDER_NAME.test(name)) throw new ValidationError('A provider name is a slug: lowercase letters, digits and "-", up to 63.');
      if (!TRANSPORTS.includes(input.transport)) throw new ValidationError(`transport must be one of ${TRANSPORTS.join(', ')}`);
      checkInput(input);
      if (input.transport === 'http' && !input.url) throw new ValidationError('An http provider needs the URL of its feed.');
      if (await providerStore.byName(db, name)) throw new ConflictError(`There is already a provider "${name}".`);
      const secret = input.transport === 'push' ? randomBytes(32).toString('base64url') : null;
      const at = stamp();
      const id = await db.transaction().execute(async (trx) => {
        const newId = await providerStore.insert(trx, {
          name, display_name: input.displayName?.trim() || name, credit: input.credit.trim(), format: input.format, transport: input.transport,
          url: input.url ?? null, interval_seconds: input.intervalSeconds ?? DEFAULT_INTERVAL[input.transport], push_secret: secret,
          etag: null, last_modified: null, last_success_at: null, last_error_at: null, last_error_code: null, last_error_message: null,
          next_poll_at: at, enabled: input.enabled === false ? 0 : 1, created_at: at, updated_at: at,
        });
        if (staff) await audit(trx, staff, now(), 'wire.provider.create', `wire_provider:${newId}`, { name, transport: input.transport });
        return newId;
      });
      return { provider: await providerOr404(id), secret };
    },

    async updateProvider(id: number, patch: ProviderPatch, staff?: Staff): Promise<WireProviderRow> {
      const p = await providerOr404(id);
      checkInput({ ...patch, transport: p.transport });
      if (p.transport === 'http' && patch.url === null) throw new ValidationError('An http provider needs the URL of its feed.');
      await db.transaction().execute(async (trx) => {
        await providerStore.update(trx, id, {
          ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() || p.name } : {}),
          ...(patch.credit !== undefined ? { credit: patch.credit.trim() } : {}),
          ...(patch.format !== undefined ? { format: patch.format } : {}),
          // A new URL is a new feed: its validators and errors are the old one's.
          ...(patch.url !== undefined && patch.url !== p.url ? { url: patch.url, etag: null, last_modified: null, consecutive_failures: 0, next_poll_at: stamp() } : {}),
          ...(patch.intervalSeconds !== undefined ? { interval_seconds: patch.intervalSeconds } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled ? 1 : 0, ...(patch.enabled ? { next_poll_at: stamp(), consecutive_failures: 0 } : {}) } : {}),
          updated_at: stamp(),
        });
        if (staff) await audit(trx, staff, now(), 'wire.provider.update', `wire_provider:${id}`, { fields: Object.keys(patch) });
      });
      return providerOr404(id);
    },

    /** Removes a provider with its items, versions and quarantine; the wire stories they were in are counted again. */
    async removeProvider(id: number, staff?: Staff): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (!(await grouping.removingProvider(trx, id, () => providerStore.delete(trx, id)))) throw new NotFoundError('There is no such wire provider.');
        if (staff) await audit(trx, staff, now(), 'wire.provider.delete', `wire_provider:${id}`);
      });
    },

    provider: (id: number) => providerOr404(id),
    providerByName: (name: string) => providerStore.byName(db, name),

    /** Every provider with its status, including the items first received in the last hour. */
    async providers(): Promise<ProviderStatus[]> {
      const counts = await providerStore.receivedSince(db, new Date(now().getTime() - 3600_000).toISOString());
      return (await providerStore.all(db)).map((p) => ({ ...p, itemsLastHour: counts.get(p.id) ?? 0 }));
    },
    async providerStatus(id: number): Promise<ProviderStatus> {
      const p = await providerOr404(id);
      const counts = await providerStore.receivedSince(db, new Date(now().getTime() - 3600_000).toISOString());
      return { ...p, itemsLastHour: counts.get(p.id) ?? 0 };
    },

    // --- polling state (the transports and the poller) ------------------------

    /** Providers due for a poll or a folder scan, soonest first. */
    due: (limit: number) => providerStore.due(db, stamp(), limit),
    /** Takes a due provider for this process for `leaseSeconds` (see providerStore.claim). */
    claim: (p: WireProviderRow, leaseSeconds: number) => providerStore.claim(db, p.id, p.next_poll_at, new Date(now().getTime() + leaseSeconds * 1000).toISOString()),

    async recordPollSuccess(p: WireProviderRow, validators?: { etag: string | undefined; lastModified: string | undefined }): Promise<void> {
      const at = now();
      await providerStore.update(db, p.id, {
        last_success_at: at.toISOString(), consecutive_failures: 0, next_poll_at: new Date(at.getTime() + p.interval_seconds * 1000).toISOString(),
        ...(validators ? { etag: validators.etag ?? null, last_modified: validators.lastModified ?? null } : {}),
      });
    },

    /** Records a failed poll; the next one waits twice as long each time, up to an hour. Returns the wait in seconds. */
    async recordPollFailure(p: WireProviderRow, code: string, message: string): Promise<number> {
      const at = now();
      const current = (await providerStore.byId(db, p.id)) ?? p;
      const failures = current.consecutive_failures + 1;
      const wait = Math.max(p.interval_seconds, Math.min(p.interval_seconds * 2 ** failures, MAX_BACKOFF_SECONDS));
      await providerStore.update(db, p.id, {
        last_error_at: at.toISOString(), last_error_code: code, last_error_message: message.slice(0, 1000), consecutive_failures: failures,
        next_poll_at: new Date(at.getTime() + wait * 1000).toISOString(),
      });
      return wait;
    },

    // --- push replay protection -----------------------------------------------

    signatureSeen: (hash: string) => signatureStore.seen(db, hash),
    /** Records an accepted push signature, and forgets those older than twice the window. */
    async rememberSignature(p: WireProviderRow, hash: string): Promise<void> {
      await signatureStore.remember(db, hash, p.id, stamp());
      await signatureStore.forgetBefore(db, new Date(now().getTime() - 2 * PUSH_SIGNATURE_WINDOW_MS).toISOString());
    },

    // --- the desk's reading ---------------------------------------------------

    items: (f: ItemFilters) => itemStore.list(db, f),
    currentVersions: (ids: number[]) => itemStore.currentVersions(db, ids),
    /** Items by id in the order asked (ids that name none are left out), without their versions. */
    async itemsByIds(ids: readonly number[]): Promise<WireItemRow[]> {
      const rows = new Map((await itemStore.byIds(db, ids)).map((r) => [r.id, r]));
      return ids.flatMap((id) => rows.get(id) ?? []);
    },

    async item(id: number): Promise<{ item: WireItemRow; versions: WireItemVersionRow[] }> {
      const item = await itemStore.byId(db, id);
      if (!item) throw new NotFoundError('There is no such wire item.');
      return { item, versions: await itemStore.versions(db, id) };
    },
  };
}
