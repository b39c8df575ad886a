/**
 * The wire desk's path from agency copy to our story, and what it keeps
 * watching afterwards:
 *
 * - "Use this": one item, or several about one event, become a draft story
 *   through content's story service (wires never writes articles): headline,
 *   standfirst and body prefilled, the credit from the providers ("Meridian
 *   Press" for one, "Staff, Agencies" for several), a section suggested from
 *   the subjects, and a record of which items and versions it came from
 *   (`wire_story_sources`).
 * - Embargo: a publish guard content consults before every publish and
 *   schedule refuses a time before the latest embargo among the story's
 *   sources.
 * - Kills: a canceled or withheld item is flagged on every story made from
 *   it; with the site setting on, those stories are also unpublished at once
 *   (content's service, audited).
 * - Updates: a source item with a version past the one an editor last saw
 *   shows "update available" with the diff.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { authorize, can } from '../accounts/staff.policy.js';
import { SYSTEM, type Staff } from '../accounts/staff.js';
import { audit } from '../audit/audit.service.js';
import { bodyText, type BodyDoc } from '../content/body.js';
import { readSetting, writeSetting } from '../content/settings.service.js';
import type { PublishGuard, StoryService, StoryView } from '../content/story.service.js';
import type { TaxonomyService } from '../content/taxonomy.service.js';
import { diffVersions, type VersionDiff } from './grouping/diff.js';
import { suggestSection } from './sections.js';
import { sourceStore, type StorySourceRow } from './desk.store.js';
import type { WireItem } from './wire.model.js';
import type { WireService } from './wire.service.js';

/** The site setting: unpublish stories automatically when a wire item behind them is killed or withheld. */
export const KILL_UNPUBLISH_SETTING = 'wires.kill_unpublish';
/** The credit of a story made from several agencies' copy. */
export const SEVERAL_AGENCIES_CREDIT = 'Staff, Agencies';
/** At most this many items go into one story. */
export const MAX_USE_ITEMS = 20;
const STANDFIRST_MAX = 600;

export interface DeskDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
  wires: WireService;
  stories: StoryService;
  taxonomy: TaxonomyService;
  onError?: (err: unknown) => void;
}

/** What the newsroom shows on a story made from wire copy. */
export interface StoryWireState {
  sources: Array<{
    itemId: number;
    headline: string;
    provider: string;
    seq: number;
    seenSeq: number;
    currentSeq: number;
    embargoUntil: string | null;
    pubStatus: string;
    signal: string | null;
  }>;
  /** A source was canceled (killed) or withheld. */
  killed: boolean;
  /** A source has a version an editor has not seen. */
  updateAvailable: boolean;
  /** The latest embargo still in force, or null. */
  embargoUntil: string | null;
}

export interface SourceUpdate {
  itemId: number;
  provider: string;
  fromSeq: number;
  toSeq: number;
  signal: string | null;
  diff: VersionDiff;
}

export type WireDesk = ReturnType<typeof createWireDesk>;

/** "14:00 UTC on 4 December 2026" */
export function embargoTime(iso: string): string {
  const d = new Date(iso);
  const hm = d.toISOString().slice(11, 16);
  const date = d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return `${hm} UTC on ${date}`;
}

/** The plain text of a paragraph-ish first block, for a standfirst. */
function firstParagraph(body: BodyDoc): string {
  for (const block of body.content) {
    if (block.type === 'paragraph') {
      const text = bodyText({ type: 'doc', content: [block] }).trim();
      if (text) return text;
    }
  }
  return '';
}

function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max / 2))}…`;
}

/** A language tag content accepts (`en`, `pt-BR`), from the item's, or `en`. */
function storyLanguage(tag: string | null): string {
  return tag && /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(tag) ? tag : tag?.split('-')[0]?.match(/^[a-z]{2,3}$/)?.[0] ?? 'en';
}

export function creditFor(credits: readonly string[]): string {
  const distinct = [...new Set(credits.map((c) => c.trim()).filter(Boolean))];
  return distinct.length === 1 ? distinct[0]! : SEVERAL_AGENCIES_CREDIT;
}

export function createWireDesk({ db, events, now, wires, stories, taxonomy, onError = () => {} }: DeskDeps) {
  async function providerNames(): Promise<Map<number, { credit: string; name: string }>> {
    return new Map((await wires.providers()).map((p) => [p.id, { credit: p.credit, name: p.display_name }]));
  }

  function itemOf(json: string): WireItem {
    return JSON.parse(json) as WireItem;
  }

  const textOf = (i: WireItem) => ({ headline: i.headline, text: [i.summary ?? '', bodyText(i.body)].filter(Boolean).join('\n') });

  async function stateOf(articleIds: number[]): Promise<Map<number, StoryWireState>> {
    const rows = await sourceStore.ofArticles(db, articleIds);
    if (!rows.length) return new Map();
    const providers = await providerNames();
    const at = now().toISOString();
    const out = new Map<number, StoryWireState>();
    for (const r of rows) {
      const s = out.get(r.article_id) ?? { sources: [], killed: false, updateAvailable: false, embargoUntil: null };
      s.sources.push({
        itemId: r.item_id, headline: r.headline, provider: providers.get(r.provider_id)?.credit ?? '', seq: r.seq, seenSeq: r.seen_seq, currentSeq: r.current_seq,
        embargoUntil: r.embargo_at, pubStatus: r.pubstatus, signal: r.signal,
      });
      if (r.pubstatus !== 'usable') s.killed = true;
      if (r.current_seq > r.seen_seq) s.updateAvailable = true;
      if (r.embargo_at && r.embargo_at > at && (!s.embargoUntil || r.embargo_at > s.embargoUntil)) s.embargoUntil = r.embargo_at;
      out.set(r.article_id, s);
    }
    return out;
  }

  /** Content asks this before every publish and schedule. */
  const publishGuard: PublishGuard = async ({ articleId, at }) => {
    const hit = await sourceStore.embargoAfter(db, articleId, at);
    if (!hit) return null;
    const credit = (await providerNames()).get(hit.provider_id)?.credit ?? 'agency';
    return { code: 'embargoed', message: `Embargoed until ${embargoTime(hit.embargo_at)}: this story uses ${credit} copy under embargo. Publish or schedule it for that time or later.` };
  };

  async function killUnpublishOn(): Promise<boolean> {
    return (await readSetting<boolean>(db, KILL_UNPUBLISH_SETTING)) === true;
  }

  /** A killed or withheld item: with the setting on, every published story made from it comes off the site. */
  async function onStored({ itemId }: { itemId: number }): Promise<void> {
    // Most items are behind no story: one indexed lookup, and nothing more.
    const articles = await sourceStore.articlesOf(db, itemId);
    if (!articles.length) return;
    const { item } = await wires.item(itemId);
    if (item.pubstatus === 'usable' || !(await killUnpublishOn())) return;
    for (const articleId of articles) {
      try {
        const story = await stories.get(SYSTEM, articleId);
        if (story.row.status !== 'published' && story.row.status !== 'scheduled') continue;
        await stories.unpublish(SYSTEM, articleId);
        await audit(db, SYSTEM, now(), 'wire.kill.unpublish', `article:${articleId}`, { itemId, pubStatus: item.pubstatus, headline: item.headline });
      } catch (err) {
        onError(err);
      }
    }
  }

  events.on('wire.item.stored', onStored);

  return {
    publishGuard,

    /** Makes a draft story from wire items (the first one given leads: its headline and body). */
    async use(staff: Staff, itemIds: number[]): Promise<StoryView> {
      authorize(can(staff, 'wire.read'));
      authorize(can(staff, 'article.create'));
      const ids = [...new Set(itemIds)];
      if (!ids.length) throw new ValidationError('Choose at least one wire item to use.');
      if (ids.length > MAX_USE_ITEMS) throw new ValidationError(`At most ${MAX_USE_ITEMS} wire items make one story.`);
      const loaded = await Promise.all(ids.map((id) => wires.item(id)));
      const used = loaded.map(({ item: row, versions }) => {
        const current = versions.find((v) => v.seq === row.current_seq) ?? versions[versions.length - 1];
        if (!current) throw new NotFoundError(`Wire item ${row.id} has no versions.`);
        return { row, seq: current.seq, item: itemOf(current.item) };
      });
      const providers = await providerNames();
      const lead = used[0]!;
      const sections = (await taxonomy.sections(staff)).map((s) => s.slug);
      const section = suggestSection(used.flatMap((u) => u.item.subjects), sections);
      if (!section) throw new ValidationError('The site has no sections yet: add one before using wire copy.');
      const standfirst = clip(lead.item.summary?.trim() || firstParagraph(lead.item.body), STANDFIRST_MAX);
      const view = await stories.create(staff, {
        headline: lead.item.headline.slice(0, 300),
        section,
        standfirst,
        body: lead.item.body,
        credit: creditFor(used.map((u) => providers.get(u.row.provider_id)?.credit ?? '')),
        language: storyLanguage(lead.item.language),
      });
      const at = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await sourceStore.insert(trx, used.map((u) => ({ article_id: view.row.id, item_id: u.row.id, seq: u.seq, seen_seq: u.seq, created_at: at })));
        await audit(trx, staff, now(), 'wire.use', `article:${view.row.id}`, { items: used.map((u) => ({ id: u.row.id, seq: u.seq })) });
      });
      return view;
    },

    /** The wire state of each of these stories (only those made from wire copy are in the map). */
    storyStates: stateOf,

    /** The stories made from an item. */
    storiesOfItem: (itemId: number) => sourceStore.articlesOf(db, itemId),

    /** Stories with a wire update an editor has not seen. */
    articlesWithUpdates: () => sourceStore.articlesWithUpdates(db),

    /** What changed in each source since the version an editor last saw. */
    async updates(staff: Staff, articleId: number): Promise<SourceUpdate[]> {
      await stories.get(staff, articleId);
      const rows: StorySourceRow[] = (await sourceStore.ofArticles(db, [articleId])).filter((r) => r.current_seq > r.seen_seq);
      const providers = await providerNames();
      const out: SourceUpdate[] = [];
      for (const r of rows) {
        const { versions } = await wires.item(r.item_id);
        const from = versions.find((v) => v.seq === r.seen_seq);
        const to = versions.find((v) => v.seq === r.current_seq);
        if (!from || !to) continue;
        out.push({
          itemId: r.item_id, provider: providers.get(r.provider_id)?.credit ?? '', fromSeq: r.seen_seq, toSeq: r.current_seq, signal: r.signal,
          diff: diffVersions(textOf(itemOf(from.item)), textOf(itemOf(to.item))),
        });
      }
      return out;
    },

    /** The editor has seen the sources' current versions: "update available" goes until the next one. */
    async markSeen(staff: Staff, articleId: number): Promise<number> {
      const story = await stories.get(staff, articleId);
      authorize(can(staff, 'article.edit', { ownerId: story.row.created_by, status: story.row.status }));
      return db.transaction().execute(async (trx) => {
        const n = await sourceStore.markSeen(trx, articleId);
        if (n) await audit(trx, staff, now(), 'wire.update.seen', `article:${articleId}`, { sources: n });
        return n;
      });
    },

    killUnpublish: killUnpublishOn,

    async setKillUnpublish(staff: Staff, on: boolean): Promise<void> {
      authorize(can(staff, 'wire.manage'));
      await db.transaction().execute(async (trx) => {
        await writeSetting(trx, KILL_UNPUBLISH_SETTING, on);
        await audit(trx, staff, now(), 'wire.setting.kill_unpublish', 'settings:wires', { on });
      });
    },
  };
}
