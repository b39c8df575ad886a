/**
 * Curated fronts, as editors arrange them (see front.model.ts for what a
 * layout is). Each front has at most one draft (being arranged), any number
 * of scheduled layouts, and one live layout; publishing the draft, or a
 * scheduled layout falling due (scheduler.service.ts), makes it the live one
 * and retires the one before. Every change is audited and purges the front's
 * cache key (`home`, `section:<slug>`) in every process.
 */
import type { Kysely } from 'kysely';
import type { Database, FrontLayoutStatus } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { authorize, can } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { audit } from '../audit/audit.service.js';
import { sectionStore } from './section.store.js';
import { frontStore, frontStoryStore, type SlotStory, type StoredLayout } from './front.store.js';
import { paths } from './content.model.js';
import {
  defaultLatest, HOME_FRONT, MAX_LATEST, MAX_SLOTS, roleOf, sectionFront, TOP_SLOTS, type LiveLayout, type SlotRole,
} from './front.model.js';

export interface FrontDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
}

/** A front as the newsroom names it: "home" or a section's slug. */
export interface FrontRef {
  /** "home" or the section's slug (URLs and the API). */
  name: string;
  title: string;
  /** Where readers see it. */
  path: string;
  /** Its key in the database. */
  key: string;
  /** Its page-cache key. */
  cacheKey: string;
  /** The section's id and its subsections' (a section front shows theirs too); undefined for the home page. */
  sectionIds?: number[];
}

export interface SlotView {
  position: number;
  role: SlotRole;
  article: { id: number; headline: string; path: string; status: string; public: boolean };
}

export interface LayoutView {
  id: number;
  status: FrontLayoutStatus;
  latestCount: number;
  goLiveAt: string | null;
  wentLiveAt: string | null;
  updatedAt: string;
  slots: SlotView[];
}

export interface FrontView extends FrontRef {
  live: LayoutView | null;
  draft: LayoutView | null;
  scheduled: LayoutView[];
}

export interface DraftInput {
  /** Story ids in slot order: the lead first. */
  slots: number[];
  latestCount?: number;
}

export type FrontService = ReturnType<typeof createFrontService>;

export function createFrontService({ db, events, now }: FrontDeps) {
  const stamp = () => now().toISOString();
  const isPublic = (s: SlotStory, at: string) => s.status === 'published' && !!s.published_at && s.published_at <= at;

  async function allFronts(): Promise<FrontRef[]> {
    const sections = await sectionStore.all(db);
    const home: FrontRef = { name: HOME_FRONT, title: 'Home page', path: paths.home(), key: HOME_FRONT, cacheKey: 'home' };
    return [
      home,
      ...sections.map((s) => ({
        name: s.slug, title: s.name, path: paths.section(s.slug), key: sectionFront(s.id), cacheKey: `section:${s.slug}`,
        sectionIds: [s.id, ...sections.filter((c) => c.parent_id === s.id).map((c) => c.id)],
      })),
    ];
  }

  async function frontNamed(name: string): Promise<FrontRef> {
    const front = (await allFronts()).find((f) => f.name === name);
    if (!front) throw new NotFoundError(`There is no front "${name}": a front is "home" or a section's slug.`);
    return front;
  }

  function present(layout: StoredLayout, stories: Map<number, SlotStory>, at: string): LayoutView {
    return {
      id: layout.id, status: layout.status, latestCount: layout.latest_count, goLiveAt: layout.go_live_at, wentLiveAt: layout.went_live_at, updatedAt: layout.updated_at,
      slots: layout.articleIds.map((id, position) => {
        const s = stories.get(id)!;
        return { position, role: roleOf(position), article: { id, headline: s.headline, path: paths.article(s.section, s.id, s.slug), status: s.status, public: isPublic(s, at) } };
      }),
    };
  }

  async function views(fronts: FrontRef[]): Promise<FrontView[]> {
    const layouts = await frontStore.current(db, fronts.map((f) => f.key));
    const stories = await frontStoryStore.byIds(db, layouts.flatMap((l) => l.articleIds));
    const at = stamp();
    return fronts.map((f) => {
      const mine = layouts.filter((l) => l.front === f.key);
      const live = mine.find((l) => l.status === 'live');
      const draft = mine.find((l) => l.status === 'draft');
      return {
        ...f,
        live: live ? present(live, stories, at) : null,
        draft: draft ? present(draft, stories, at) : null,
        scheduled: mine.filter((l) => l.status === 'scheduled').map((l) => present(l, stories, at)),
      };
    });
  }

  /** Refuses a layout that is not one: too many slots, a story twice, a story unknown or not public. */
  async function checkLayout(input: DraftInput, at: string): Promise<void> {
    const { slots } = input;
    if (slots.length > MAX_SLOTS) {
      throw new ValidationError(`A front arranges at most ${MAX_SLOTS} stories (a lead, ${TOP_SLOTS} top stories and ${MAX_SLOTS - 1 - TOP_SLOTS} pinned); this layout has ${slots.length}.`);
    }
    const seen = new Map<number, number>();
    for (const [i, id] of slots.entries()) {
      const first = seen.get(id);
      if (first !== undefined) throw new ValidationError(`Story ${id} is in the layout twice (slots ${first + 1} and ${i + 1}); a story has one slot on a front.`);
      seen.set(id, i);
    }
    if (input.latestCount !== undefined && (!Number.isInteger(input.latestCount) || input.latestCount < 0 || input.latestCount > MAX_LATEST)) {
      throw new ValidationError(`latestCount must be a whole number from 0 to ${MAX_LATEST}.`);
    }
    const stories = await frontStoryStore.byIds(db, slots);
    const unknown = slots.filter((id) => !stories.has(id));
    if (unknown.length) throw new ValidationError(`There is no story ${unknown.join(', ')}.`);
    const hidden = slots.map((id) => stories.get(id)!).filter((s) => !isPublic(s, at));
    if (hidden.length) {
      const named = hidden.map((s) => `${s.id} (“${s.headline}”, ${s.status === 'published' ? 'not yet public' : s.status})`).join(', ');
      throw new ValidationError(`Only published stories can be placed on a front; ${hidden.length === 1 ? 'this one is' : 'these are'} not: ${named}.`);
    }
  }

  async function changed(front: FrontRef): Promise<void> {
    await events.emit('content.changed', { keys: [front.cacheKey] });
  }

  return {
    async list(staff: Staff): Promise<FrontView[]> {
      authorize(can(staff, 'front.manage'));
      return views(await allFronts());
    },

    async get(staff: Staff, name: string): Promise<FrontView> {
      authorize(can(staff, 'front.manage'));
      return (await views([await frontNamed(name)]))[0]!;
    },

    /** The newest public stories an editor may add to the front (its section's, or the site's for the home page). */
    async candidates(staff: Staff, name: string, limit = 40): Promise<Array<{ id: number; headline: string; publishedAt: string }>> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      const rows = await frontStoryStore.newest(db, stamp(), limit, front.sectionIds);
      return rows.map((r) => ({ id: r.id, headline: r.headline, publishedAt: r.published_at! }));
    },

    /** Saves the front's draft (readers see nothing of it until it is published). */
    async saveDraft(staff: Staff, name: string, input: DraftInput): Promise<FrontView> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      const at = stamp();
      await checkLayout(input, at);
      await db.transaction().execute(async (trx) => {
        const latest = input.latestCount ?? (await frontStore.draft(trx, front.key))?.latest_count ?? (await frontStore.live(trx, front.key))?.latest_count ?? defaultLatest(front.key);
        await frontStore.saveDraft(trx, front.key, input.slots, latest, at, staff.userId);
        await audit(trx, staff, now(), 'front.draft', `front:${front.name}`, { slots: input.slots, latestCount: latest });
      });
      return (await views([front]))[0]!;
    },

    /** Throws the draft away; the live layout stays. */
    async discardDraft(staff: Staff, name: string): Promise<void> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      await db.transaction().execute(async (trx) => {
        if (!(await frontStore.discardDraft(trx, front.key))) throw new NotFoundError(`The ${front.title} front has no draft.`);
        await audit(trx, staff, now(), 'front.discard', `front:${front.name}`);
      });
    },

    /**
     * The draft goes live now, or (with `at`) at that time. Its stories are
     * checked again: one taken down since the draft was saved is named.
     */
    async publish(staff: Staff, name: string, { at }: { at?: string } = {}): Promise<FrontView> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      const nowIso = stamp();
      if (at && Number.isNaN(new Date(at).getTime())) throw new ValidationError(`"${at}" is not a date and time.`);
      const goLiveAt = at ? new Date(at).toISOString() : null;
      if (goLiveAt && goLiveAt <= nowIso) throw new ValidationError(`The time ${goLiveAt} has passed (it is ${nowIso} now): publish now, or choose a later time.`);
      const draft = await frontStore.draft(db, front.key);
      if (!draft) throw new ConflictError('There is no draft of this front to publish: arrange it and save the draft first.');
      await checkLayout({ slots: draft.articleIds }, nowIso);
      await db.transaction().execute(async (trx) => {
        if (goLiveAt) {
          await frontStore.schedule(trx, draft.id, goLiveAt, nowIso, staff.userId);
          await audit(trx, staff, now(), 'front.schedule', `front:${front.name}`, { layoutId: draft.id, goLiveAt });
        } else {
          if (!(await frontStore.goLive(trx, draft.id, 'draft', nowIso))) throw new ConflictError('The draft changed while it was being published; nothing was published. Try again.');
          await audit(trx, staff, now(), 'front.publish', `front:${front.name}`, { layoutId: draft.id, slots: draft.articleIds, latestCount: draft.latest_count });
        }
      });
      if (!goLiveAt) await changed(front);
      return (await views([front]))[0]!;
    },

    /** A scheduled layout will not go live after all. */
    async cancelScheduled(staff: Staff, name: string, layoutId: number): Promise<void> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      await db.transaction().execute(async (trx) => {
        if (!(await frontStore.cancelScheduled(trx, front.key, layoutId))) throw new NotFoundError(`The ${front.title} front has no scheduled layout ${layoutId}.`);
        await audit(trx, staff, now(), 'front.unschedule', `front:${front.name}`, { layoutId });
      });
    },

    /** The draft as readers would see it (the preview); null when there is no draft. */
    async draftLayout(staff: Staff, name: string): Promise<{ front: FrontRef; layout: LiveLayout } | null> {
      authorize(can(staff, 'front.manage'));
      const front = await frontNamed(name);
      const draft = await frontStore.draft(db, front.key);
      return draft ? { front, layout: { articleIds: draft.articleIds, latestCount: draft.latest_count } } : null;
    },

    /** The cache keys of fronts whose live layout arranges this story (other sections' fronts among them). */
    async cacheKeysShowing(articleId: number): Promise<string[]> {
      const keys = await frontStore.frontsShowing(db, articleId);
      if (!keys.length) return [];
      const fronts = await allFronts();
      return fronts.filter((f) => keys.includes(f.key)).map((f) => f.cacheKey);
    },

    /** The page-cache key of a front by its database key (the scheduler's purge). */
    async cacheKeyOf(key: string): Promise<string | null> {
      return (await allFronts()).find((f) => f.key === key)?.cacheKey ?? null;
    },
  };
}
