/**
 * The editorial desk: stories created, edited, moved through the workflow
 * (draft → review → scheduled → published → unpublished), corrected and
 * restored from revisions. Every change checks the policy with the story in
 * hand, runs in one transaction with its revision and audit entry, and, when
 * readers can see it, emits the article event that purges caches in every
 * process (and keeps search and feeds current).
 */
import type { Kysely, Transaction } from 'kysely';
import type { ArticleRow, ArticleRowUpdate, Database } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { BodyError, markdownToDoc, parseBodyDoc, readStoredBody, type BodyDoc } from './body.js';
import { safeUrl } from '../web/urls.js';
import { paths, slugify } from './content.model.js';
import { authorize, can, mayCreateTags, seesAllStories, type StoryAction } from '../accounts/staff.policy.js';
import { storyStore, type StoryFilter, type StoryListRow, type StorySort } from './story.store.js';
import { revisionStore, type RevisionRow } from './revision.store.js';
import { correctionStore, type CorrectionRow } from './correction.store.js';
import { CORRECTIONS_KEY, type CorrectionKind } from './content.model.js';
import { authorWrites, sectionWrites, tagWrites } from './taxonomy.store.js';
import { SNAPSHOT_FIELDS, type StorySnapshot } from './story.model.js';
import { isLiveOrDue, moveProblem, publishProblems, publishTiming } from './story.model.js';
import { audit } from '../audit/audit.service.js';
import type { Staff } from '../accounts/staff.js';
import type { CreateStoryBody, UpdateStoryBody } from './story.schemas.js';

export type { RevisionRow } from './revision.store.js';
export type { StorySort } from './story.store.js';
export type { CorrectionRow } from './correction.store.js';

type Trx = Transaction<Database>;

export interface NewsroomDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
}

interface Ref {
  id: number;
  slug: string;
  name: string;
}

interface Person {
  id: number;
  name: string;
}

/** A story as the newsroom shows it: the row, its current snapshot and the names behind its ids. */
/** A save based on a revision that is no longer the latest. */
export class EditConflictError extends AppError {
  constructor(message: string) {
    super(409, 'edit_conflict', message);
  }
}

export interface StoryView {
  row: ArticleRow;
  snapshot: StorySnapshot;
  section: Ref;
  tags: Ref[];
  authors: Ref[];
  createdBy: Person | null;
  modifiedBy: Person | null;
  path: string;
  /** The latest revision's id: what an editor sends back as `baseRevision` so a save cannot silently undo a colleague's. */
  revision: number | null;
  /** The corrections log, oldest first. */
  corrections: CorrectionRow[];
}

export interface StorySummaryView {
  row: StoryListRow;
  section: Ref;
  authors: Ref[];
  createdBy: Person | null;
  modifiedBy: Person | null;
  path: string;
}

export interface StoryListInput {
  status?: StoryListRow['status'];
  section?: string;
  author?: string;
  createdBy?: number;
  q?: string;
  /** Only these stories (another domain's selection, e.g. the wire desk's "update available"). */
  ids?: number[];
  sort: StorySort;
  order: 'asc' | 'desc';
  page: number;
  limit: number;
}

export interface RevisionView {
  row: RevisionRow;
  snapshot: StorySnapshot;
  section: Ref | null;
  tags: Ref[];
  authors: Ref[];
}

const EMPTY_DOC: BodyDoc = { type: 'doc', content: [] };

function subjectOf(row: ArticleRow) {
  return { ownerId: row.created_by, status: row.status };
}

function snapshotOf(row: ArticleRow, tagIds: number[], authorIds: number[]): StorySnapshot {
  return {
    headline: row.headline,
    standfirst: row.standfirst,
    body: parseStoredBody(row.body),
    sectionId: row.section_id,
    tagIds,
    authorIds,
    credit: row.credit_line,
    hero: row.hero_image_url
      ? { url: row.hero_image_url, alt: row.hero_image_alt ?? '', caption: row.hero_caption, credit: row.hero_credit }
      : null,
    slug: row.slug,
    seoTitle: row.seo_title,
    seoDescription: row.seo_description,
    commentsMode: row.comments_mode,
    language: row.language,
  };
}

/**
 * A stored revision, read defensively: one saved before a field existed gets
 * that field's empty value rather than breaking the history.
 */
function readSnapshot(json: string): StorySnapshot {
  let raw: Partial<StorySnapshot> = {};
  try {
    raw = JSON.parse(json) as Partial<StorySnapshot>;
  } catch {
    /* an unreadable revision shows as empty */
  }
  const ids = (xs: unknown): number[] => (Array.isArray(xs) ? xs.filter((x): x is number => Number.isInteger(x)) : []);
  const text = (x: unknown): string | null => (typeof x === 'string' ? x : null);
  return {
    headline: text(raw.headline) ?? '',
    standfirst: text(raw.standfirst) ?? '',
    body: parseStoredBody(JSON.stringify(raw.body ?? EMPTY_DOC)),
    sectionId: Number.isInteger(raw.sectionId) ? raw.sectionId! : 0,
    tagIds: ids(raw.tagIds),
    authorIds: ids(raw.authorIds),
    credit: text(raw.credit),
    hero: raw.hero && typeof raw.hero.url === 'string'
      ? { url: raw.hero.url, alt: text(raw.hero.alt) ?? '', caption: text(raw.hero.caption), credit: text(raw.hero.credit) }
      : null,
    slug: text(raw.slug) ?? 'story',
    seoTitle: text(raw.seoTitle),
    seoDescription: text(raw.seoDescription),
    commentsMode: raw.commentsMode === 'open' || raw.commentsMode === 'closed' || raw.commentsMode === 'premoderated' ? raw.commentsMode : null,
    language: text(raw.language) ?? 'en',
  };
}

function parseStoredBody(body: string): BodyDoc {
  return readStoredBody(body);
}

/** The article columns a snapshot sets. */
function columnsOf(s: StorySnapshot): ArticleRowUpdate {
  return {
    headline: s.headline,
    standfirst: s.standfirst,
    body: JSON.stringify(s.body),
    section_id: s.sectionId,
    credit_line: s.credit,
    hero_image_url: s.hero?.url ?? null,
    hero_image_alt: s.hero?.alt ?? null,
    hero_caption: s.hero?.caption ?? null,
    hero_credit: s.hero?.credit ?? null,
    slug: s.slug,
    seo_title: s.seoTitle,
    seo_description: s.seoDescription,
    comments_mode: s.commentsMode,
    language: s.language,
  };
}

function changedFields(before: StorySnapshot, after: StorySnapshot): string[] {
  return SNAPSHOT_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

function titleOf(slug: string): string {
  const words = slug.split('-');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];

export type StoryService = ReturnType<typeof createStoryService>;

/**
 * A rule another domain adds to publishing (the wire desk's embargo): asked
 * before a story is published now (`at` is now) or scheduled (`at` is the
 * time asked for); a refusal says why, and nothing changes. Content never
 * knows who registered it.
 */
export type PublishGuard = (check: { articleId: number; at: string; kind: 'publish' | 'schedule' }) => Promise<{ code: string; message: string } | null>;

/** A publish or schedule refused by a registered guard (409, with the guard's code). */
export class PublishRefusedError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export function createStoryService({ db, events, now }: NewsroomDeps) {
  const publishGuards: PublishGuard[] = [];

  async function checkGuards(articleId: number, at: string, kind: 'publish' | 'schedule'): Promise<void> {
    for (const guard of publishGuards) {
      const refusal = await guard({ articleId, at, kind });
      if (refusal) throw new PublishRefusedError(refusal.code, refusal.message);
    }
  }
  async function load(trx: Kysely<Database> | Trx, id: number): Promise<ArticleRow> {
    const row = await storyStore.byId(trx, id);
    if (!row) throw new NotFoundError(`There is no story ${id}.`);
    return row;
  }

  /** Loads the story and checks the policy with it in hand. */
  async function loadFor(trx: Kysely<Database> | Trx, staff: Staff, id: number, action: StoryAction): Promise<ArticleRow> {
    const row = await load(trx, id);
    authorize(can(staff, action, subjectOf(row)));
    return row;
  }

  async function people(trx: Kysely<Database> | Trx, ids: Array<number | null>): Promise<Map<number, Person>> {
    const wanted = unique(ids.filter((x): x is number => x !== null));
    if (!wanted.length) return new Map();
    const rows = await trx.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
    return new Map(rows.map((r) => [r.id, { id: r.id, name: r.display_name }]));
  }

  async function view(trx: Kysely<Database> | Trx, id: number): Promise<StoryView> {
    const row = await load(trx, id);
    const [tagIds, authorIds] = await Promise.all([storyStore.tagIds(trx, id), storyStore.authorIds(trx, id)]);
    const [section, tags, authors, who, latest, corrections] = await Promise.all([
      sectionWrites.byId(trx, row.section_id),
      tagWrites.byIds(trx, tagIds),
      authorWrites.byIds(trx, authorIds),
      people(trx, [row.created_by, row.modified_by]),
      revisionStore.latest(trx, id),
      correctionStore.forArticle(trx, id),
    ]);
    const ref = (x: Ref): Ref => ({ id: x.id, slug: x.slug, name: x.name });
    return {
      row,
      snapshot: snapshotOf(row, tagIds, authorIds),
      section: ref(section!),
      tags: tagIds.map((t) => tags.find((x) => x.id === t)).filter((x): x is NonNullable<typeof x> => !!x).map(ref),
      authors: authorIds.map((a) => authors.find((x) => x.id === a)).filter((x): x is NonNullable<typeof x> => !!x).map(ref),
      createdBy: row.created_by !== null ? who.get(row.created_by) ?? null : null,
      modifiedBy: row.modified_by !== null ? who.get(row.modified_by) ?? null : null,
      path: paths.article(section!.slug, row.id, row.slug),
      revision: latest?.id ?? null,
      corrections,
    };
  }

  /**
   * Turns a request's fields into a full snapshot over `base` (the story as it
   * is, or defaults for a new one), resolving slugs to ids. Unknown sections
   * and authors are refused; unknown tags are created for those who may.
   */
  async function resolve(trx: Trx, staff: Staff, input: UpdateStoryBody, base: StorySnapshot, opts: { neverPublished: boolean; isNew: boolean }): Promise<{ snapshot: StorySnapshot; createdTags: string[] }> {
    const s: StorySnapshot = { ...base };
    if (input.headline !== undefined) s.headline = input.headline.trim();
    if (!s.headline) throw new ValidationError('The headline must not be empty.');
    if (input.standfirst !== undefined) s.standfirst = input.standfirst.trim();

    if (input.body !== undefined && input.markdown !== undefined) throw new ValidationError('Send the body as `body` (the editor\'s document) or as `markdown`, not both.');
    try {
      if (input.body !== undefined) s.body = parseBodyDoc(input.body);
      else if (input.markdown !== undefined) s.body = parseBodyDoc(markdownToDoc(input.markdown));
    } catch (err) {
      if (err instanceof BodyError) throw new ValidationError(`Invalid body: ${err.message}`);
      throw err;
    }

    if (input.section !== undefined) {
      const section = await sectionWrites.bySlug(trx, input.section);
      if (!section) throw new ValidationError(`There is no section "${input.section}".`);
      s.sectionId = section.id;
    }

    const createdTags: string[] = [];
    if (input.tags !== undefined) {
      const slugs = unique(input.tags);
      const found = await tagWrites.bySlugs(trx, slugs);
      const missing = slugs.filter((slug) => !found.some((t) => t.slug === slug));
      if (missing.length && !mayCreateTags(staff)) {
        throw new ValidationError(`Unknown tag${missing.length > 1 ? 's' : ''} "${missing.join('", "')}": pick existing tags, or ask an editor to create ${missing.length > 1 ? 'them' : 'it'}.`);
      }
      const ids: number[] = [];
      for (const slug of slugs) {
        const known = found.find((t) => t.slug === slug);
        if (known) ids.push(known.id);
        else {
          ids.push(await tagWrites.insert(trx, { slug, name: titleOf(slug), description: '', special_coverage: 0, created_at: now().toISOString() }));
          createdTags.push(slug);
        }
      }
      s.tagIds = ids;
    }

    if (input.authors !== undefined) {
      const slugs = unique(input.authors);
      const found = await authorWrites.bySlugs(trx, slugs);
      const missing = slugs.filter((slug) => !found.some((a) => a.slug === slug));
      if (missing.length) throw new ValidationError(`Unknown author${missing.length > 1 ? 's' : ''} "${missing.join('", "')}".`);
      s.authorIds = slugs.map((slug) => found.find((a) => a.slug === slug)!.id);
    }

    if (input.credit !== undefined) s.credit = input.credit?.trim() || null;
    if (input.hero !== undefined) {
      if (input.hero === null) s.hero = null;
      else {
        const url = safeUrl(input.hero.url);
        if (!url) throw new ValidationError('The hero image URL must be an http(s) URL or a path on this site (starting with a single /).');
        s.hero = { url, alt: input.hero.alt.trim(), caption: input.hero.caption?.trim() || null, credit: input.hero.credit?.trim() || null };
      }
    }
    if (input.seoTitle !== undefined) s.seoTitle = input.seoTitle?.trim() || null;
    if (input.seoDescription !== undefined) s.seoDescription = input.seoDescription?.trim() || null;
    if (input.commentsMode !== undefined) s.commentsMode = input.commentsMode;
    if (input.language !== undefined) s.language = input.language;

    // The slug follows the headline until the story is first published; after
    // that it changes only when asked (the old address then answers 301).
    if (input.slug !== undefined) s.slug = input.slug;
    else if (opts.isNew || (opts.neverPublished && input.headline !== undefined)) s.slug = slugify(s.headline);
    return { snapshot: s, createdTags };
  }

  async function saveRevision(trx: Trx, staff: Staff, articleId: number, snapshot: StorySnapshot, note: string | null): Promise<number> {
    return revisionStore.insert(trx, {
      article_id: articleId, author_id: staff.userId, token_id: staff.tokenId, created_at: now().toISOString(), snapshot: JSON.stringify(snapshot), note,
    });
  }

  /**
   * Writes `after` over the story as one save: a revision, an audit entry and,
   * for a published story, "Updated" now and a purge of every page it was or
   * is on. Saving what is already there writes nothing.
   */
  async function applySnapshot(staff: Staff, id: number, action: StoryAction, make: (trx: Trx, row: ArticleRow, before: StorySnapshot) => Promise<{ after: StorySnapshot; note: string | null; auditAction: string; details?: Record<string, unknown> }>): Promise<StoryView> {
    const result = await db.transaction().execute(async (trx) => {
      const row = await loadFor(trx, staff, id, action);
      const before = snapshotOf(row, await storyStore.tagIds(trx, id), await storyStore.authorIds(trx, id));
      const { after, note, auditAction, details } = await make(trx, row, before);
      const changed = changedFields(before, after);
      if (!changed.length) return { keys: null as string[] | null };
      if (isLiveOrDue(row.status)) {
        const problems = publishProblems(after);
        if (problems.length) throw new ValidationError(`This story is ${row.status}, so it must stay fit to publish. ${problems.join(' ')}`);
      }
      const live = row.status === 'published';
      const keysBefore = live ? await storyStore.cacheKeys(trx, id) : [];
      const at = now().toISOString();
      const set: ArticleRowUpdate = { ...columnsOf(after), modified_at: at, modified_by: staff.userId, ...(live ? { updated_at: at } : {}) };
      if (!(await storyStore.transition(trx, id, [row.status], set))) throw new ConflictError('The story changed while you were saving; reload it and try again.');
      if (changed.includes('tagIds')) await storyStore.setTags(trx, id, after.tagIds);
      if (changed.includes('authorIds')) await storyStore.setAuthors(trx, id, after.authorIds);
      await saveRevision(trx, staff, id, after, note);
      await audit(trx, staff, now(), auditAction, `article:${id}`, { changed, ...details });
      return { keys: live ? unique([...keysBefore, ...(await storyStore.cacheKeys(trx, id))]) : null };
    });
    if (result.keys) await events.emit('article.updated', { articleId: id, keys: result.keys });
    return view(db, id);
  }

  return {
    /** Adds a rule every publish and schedule must pass (see PublishGuard). */
    registerPublishGuard(guard: PublishGuard): void {
      publishGuards.push(guard);
    },

    /** Asks the registered guards whether the story may go out at `at` (the scheduler asks when a story falls due). */
    publishRefusal: async (articleId: number, at: string): Promise<{ code: string; message: string } | null> => {
      for (const guard of publishGuards) {
        const refusal = await guard({ articleId, at, kind: 'publish' });
        if (refusal) return refusal;
      }
      return null;
    },

    async list(staff: Staff, q: StoryListInput): Promise<{ items: StorySummaryView[]; total: number }> {
      const filter: StoryFilter = {};
      if (q.status) filter.status = q.status;
      if (q.q) filter.q = q.q;
      if (q.createdBy !== undefined) filter.createdBy = q.createdBy;
      if (q.ids !== undefined) filter.ids = q.ids;
      // Contributors see their own stories only, whatever they ask for.
      if (!seesAllStories(staff)) filter.createdBy = staff.userId ?? -1;
      const sections = await sectionWrites.all(db);
      if (q.section) {
        const s = sections.find((x) => x.slug === q.section);
        if (!s) throw new ValidationError(`There is no section "${q.section}".`);
        filter.sectionIds = [s.id, ...sections.filter((c) => c.parent_id === s.id).map((c) => c.id)];
      }
      if (q.author) {
        const [a] = await authorWrites.bySlugs(db, [q.author]);
        if (!a) throw new ValidationError(`There is no author "${q.author}".`);
        filter.authorId = a.id;
      }
      const [rows, total] = await Promise.all([
        storyStore.list(db, filter, q.sort, q.order, q.limit, (q.page - 1) * q.limit),
        storyStore.count(db, filter),
      ]);
      const [authors, who] = await Promise.all([
        storyStore.authorsOf(db, rows.map((r) => r.id)),
        people(db, rows.flatMap((r) => [r.created_by, r.modified_by])),
      ]);
      const byId = new Map(sections.map((s) => [s.id, s]));
      const items = rows.map((row): StorySummaryView => {
        const s = byId.get(row.section_id)!;
        return {
          row,
          section: { id: s.id, slug: s.slug, name: s.name },
          authors: authors.get(row.id) ?? [],
          createdBy: row.created_by !== null ? who.get(row.created_by) ?? null : null,
          modifiedBy: row.modified_by !== null ? who.get(row.modified_by) ?? null : null,
          path: paths.article(s.slug, row.id, row.slug),
        };
      });
      return { items, total };
    },

    async get(staff: Staff, id: number): Promise<StoryView> {
      await loadFor(db, staff, id, 'article.read');
      return view(db, id);
    },

    /** A new draft, owned by whoever creates it. */
    async create(staff: Staff, input: CreateStoryBody): Promise<StoryView> {
      authorize(can(staff, 'article.create'));
      const id = await db.transaction().execute(async (trx) => {
        const base: StorySnapshot = {
          headline: '', standfirst: '', body: EMPTY_DOC, sectionId: 0, tagIds: [], authorIds: [], credit: null, hero: null, slug: 'story',
          seoTitle: null, seoDescription: null, commentsMode: null, language: 'en',
        };
        const { snapshot, createdTags } = await resolve(trx, staff, input, base, { neverPublished: true, isNew: true });
        const at = now().toISOString();
        const cols = columnsOf(snapshot);
        const id = await storyStore.insert(trx, {
          slug: snapshot.slug, headline: snapshot.headline, standfirst: snapshot.standfirst, body: cols.body as string,
          section_id: snapshot.sectionId, credit_line: snapshot.credit, hero_image_url: cols.hero_image_url ?? null, hero_image_alt: cols.hero_image_alt ?? null,
          hero_caption: cols.hero_caption ?? null, hero_credit: cols.hero_credit ?? null, status: 'draft', language: snapshot.language,
          published_at: null, updated_at: null, created_at: at, modified_at: at, comments_mode: snapshot.commentsMode,
          seo_title: snapshot.seoTitle, seo_description: snapshot.seoDescription, created_by: staff.userId, modified_by: staff.userId,
        });
        await storyStore.setTags(trx, id, snapshot.tagIds);
        await storyStore.setAuthors(trx, id, snapshot.authorIds);
        await saveRevision(trx, staff, id, snapshot, null);
        await audit(trx, staff, now(), 'article.create', `article:${id}`, { headline: snapshot.headline, ...(createdTags.length ? { createdTags } : {}) });
        return id;
      });
      return view(db, id);
    },

    /**
     * Saves changes. With `baseRevision` (the revision the editor started
     * from), a story someone else has saved since is refused with 409
     * `edit_conflict`, naming who and when, instead of undoing their work.
     */
    update(staff: Staff, id: number, input: UpdateStoryBody): Promise<StoryView> {
      const { baseRevision, ...changes } = input;
      return applySnapshot(staff, id, 'article.edit', async (trx, row, before) => {
        if (baseRevision !== undefined) {
          const latest = await revisionStore.latest(trx, id);
          // 0: the editor saw a story without revisions (imported); any revision since is someone else's save.
          if (latest && latest.id !== baseRevision) {
            const who = latest.author_id === staff.userId && staff.userId !== null ? 'you (in another window)' : latest.author_name ?? 'an integration';
            throw new EditConflictError(`This story was saved by ${who} at ${latest.created_at.slice(11, 16)} UTC, after you opened it. Reload to see those changes; nothing of yours was saved.`);
          }
        }
        const { snapshot, createdTags } = await resolve(trx, staff, changes, before, { neverPublished: row.published_at === null, isNew: false });
        return { after: snapshot, note: null, auditAction: 'article.update', ...(createdTags.length ? { details: { createdTags } } : {}) };
      });
    },

    async remove(staff: Staff, id: number): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.delete');
        const problem = moveProblem(row.status, 'delete');
        if (problem) throw new ConflictError(problem);
        // The corrections log is kept forever: a story that carries one stays, unpublished.
        if ((await correctionStore.countFor(trx, id)) > 0) throw new ConflictError('This story carries corrections, which are kept for the record; it can be unpublished but not deleted.');
        await storyStore.delete(trx, id);
        await audit(trx, staff, now(), 'article.delete', `article:${id}`, { headline: row.headline, status: row.status });
      });
    },

    async submit(staff: Staff, id: number): Promise<StoryView> {
      await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.submit');
        const problem = moveProblem(row.status, 'submit');
        if (problem) throw new ConflictError(problem);
        const at = now().toISOString();
        if (!(await storyStore.transition(trx, id, ['draft'], { status: 'review', modified_at: at, modified_by: staff.userId }))) {
          throw new ConflictError('The story changed meanwhile; reload it and try again.');
        }
        await audit(trx, staff, now(), 'article.submit', `article:${id}`);
      });
      return view(db, id);
    },

    /**
     * Publishes now, or schedules for `at`. A story is published only with a
     * headline, a body and alt text on every image. Republishing an
     * unpublished story keeps its first publication time and marks it updated.
     */
    async publish(staff: Staff, id: number, at: string | undefined): Promise<StoryView> {
      const timing = publishTiming(at, now());
      if (timing.kind === 'refused') throw new ValidationError(timing.message);
      // Asked before the transaction: a guard reads its own domain's tables (SQLite has one connection).
      await loadFor(db, staff, id, 'article.publish');
      await checkGuards(id, timing.kind === 'schedule' ? timing.at : now().toISOString(), timing.kind === 'schedule' ? 'schedule' : 'publish');
      const published = await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.publish');
        const problem = moveProblem(row.status, timing.kind === 'schedule' ? 'schedule' : 'publish');
        if (problem) throw new ConflictError(problem);
        const before = snapshotOf(row, await storyStore.tagIds(trx, id), await storyStore.authorIds(trx, id));
        const problems = publishProblems(before);
        if (problems.length) throw new ValidationError(`This story cannot be published yet. ${problems.join(' ')}`);
        const stamp = now().toISOString();
        if (timing.kind === 'schedule') {
          const moved = await storyStore.transition(trx, id, [row.status], { status: 'scheduled', scheduled_at: timing.at, modified_at: stamp, modified_by: staff.userId });
          if (!moved) throw new ConflictError('The story changed meanwhile; reload it and try again.');
          await audit(trx, staff, now(), 'article.schedule', `article:${id}`, { at: timing.at });
          return false;
        }
        const republished = row.status === 'unpublished' && row.published_at !== null;
        const moved = await storyStore.transition(trx, id, [row.status], {
          status: 'published',
          published_at: republished ? row.published_at : stamp,
          updated_at: republished ? stamp : row.updated_at,
          scheduled_at: null,
          modified_at: stamp,
          modified_by: staff.userId,
        });
        if (!moved) throw new ConflictError('The story changed meanwhile; reload it and try again.');
        await audit(trx, staff, now(), 'article.publish', `article:${id}`, republished ? { republished: true } : {});
        return true;
      });
      // Its corrections (if any) are back on /corrections too.
      if (published) await events.emit('article.published', { articleId: id, keys: [...(await storyStore.cacheKeys(db, id)), CORRECTIONS_KEY] });
      return view(db, id);
    },

    /** Takes a published story off the site (404, gone from lists), or cancels a schedule. */
    async unpublish(staff: Staff, id: number): Promise<StoryView> {
      const keys = await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.unpublish');
        const problem = moveProblem(row.status, 'unpublish');
        if (problem) throw new ConflictError(problem);
        const stamp = now().toISOString();
        if (row.status === 'scheduled') {
          if (!(await storyStore.transition(trx, id, ['scheduled'], { status: 'draft', scheduled_at: null, modified_at: stamp, modified_by: staff.userId }))) {
            throw new ConflictError('The story changed meanwhile (perhaps it just went live); reload it and try again.');
          }
          await audit(trx, staff, now(), 'article.unschedule', `article:${id}`, { was: row.scheduled_at });
          return null;
        }
        // Its corrections leave /corrections with it.
        const keys = [...(await storyStore.cacheKeys(trx, id)), CORRECTIONS_KEY];
        if (!(await storyStore.transition(trx, id, ['published'], { status: 'unpublished', modified_at: stamp, modified_by: staff.userId }))) {
          throw new ConflictError('The story changed meanwhile; reload it and try again.');
        }
        await audit(trx, staff, now(), 'article.unpublish', `article:${id}`);
        return keys;
      });
      if (keys) await events.emit('article.unpublished', { articleId: id, keys });
      return view(db, id);
    },

    /**
     * Appends a correction, clarification or update to a published story's
     * log (kept forever, shown in order); it counts as an update of the story.
     */
    async correct(staff: Staff, id: number, input: { kind?: CorrectionKind; note: string }): Promise<{ story: StoryView; correction: CorrectionRow }> {
      const text = input.note.trim();
      if (!text) throw new ValidationError('Write the correction or update note first.');
      const kind = input.kind ?? 'correction';
      const { keys, correction } = await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.correct');
        const problem = moveProblem(row.status, 'correct');
        if (problem) throw new ConflictError(problem);
        const stamp = now().toISOString();
        if (!(await storyStore.transition(trx, id, ['published'], { updated_at: stamp, modified_at: stamp, modified_by: staff.userId }))) {
          throw new ConflictError('The story changed meanwhile; reload it and try again.');
        }
        const correction = await correctionStore.append(trx, { article_id: id, kind, note: text, created_at: stamp, created_by: staff.userId });
        await audit(trx, staff, now(), 'article.correct', `article:${id}`, { correction: correction.id, kind, note: text });
        return { keys: [...(await storyStore.cacheKeys(trx, id)), CORRECTIONS_KEY], correction };
      });
      await events.emit('article.updated', { articleId: id, keys });
      return { story: await view(db, id), correction };
    },

    /** A story's corrections log, oldest first. */
    async corrections(staff: Staff, id: number): Promise<CorrectionRow[]> {
      await loadFor(db, staff, id, 'article.read');
      return correctionStore.forArticle(db, id);
    },

    /**
     * Fixes the wording of a note (a typo): the entry keeps its published
     * date and shows it was edited; the audit log keeps both wordings.
     */
    async editCorrection(staff: Staff, id: number, correctionId: number, note: string): Promise<CorrectionRow> {
      const text = note.trim();
      if (!text) throw new ValidationError('A correction cannot be emptied; it is kept for the record. Fix its wording instead.');
      const result = await db.transaction().execute(async (trx) => {
        const row = await loadFor(trx, staff, id, 'article.correct');
        const before = await correctionStore.byId(trx, id, correctionId);
        if (!before) throw new NotFoundError(`Story ${id} has no correction ${correctionId}.`);
        if (before.note === text) return { after: before, keys: null };
        const stamp = now().toISOString();
        await correctionStore.editNote(trx, id, correctionId, { note: text, edited_at: stamp, edited_by: staff.userId });
        await audit(trx, staff, now(), 'article.correction_edit', `article:${id}`, { correction: correctionId, was: before.note, note: text });
        const keys = row.status === 'published' ? [...(await storyStore.cacheKeys(trx, id)), CORRECTIONS_KEY] : null;
        return { after: (await correctionStore.byId(trx, id, correctionId))!, keys };
      });
      if (result.keys) await events.emit('article.updated', { articleId: id, keys: result.keys });
      return result.after;
    },

    async revisions(staff: Staff, id: number): Promise<Array<{ row: RevisionRow; headline: string }>> {
      await loadFor(db, staff, id, 'article.revisions');
      const rows = await revisionStore.list(db, id);
      return rows.map((row) => ({ row, headline: readSnapshot(row.snapshot).headline }));
    },

    async revision(staff: Staff, id: number, rev: number): Promise<RevisionView> {
      await loadFor(db, staff, id, 'article.revisions');
      const row = await revisionStore.get(db, id, rev);
      if (!row) throw new NotFoundError(`Story ${id} has no revision ${rev}.`);
      const snapshot = readSnapshot(row.snapshot);
      const [section, tags, authors] = await Promise.all([
        sectionWrites.byId(db, snapshot.sectionId), tagWrites.byIds(db, snapshot.tagIds), authorWrites.byIds(db, snapshot.authorIds),
      ]);
      const ref = (x: Ref): Ref => ({ id: x.id, slug: x.slug, name: x.name });
      return {
        row,
        snapshot,
        section: section ? ref(section) : null,
        tags: snapshot.tagIds.map((t) => tags.find((x) => x.id === t)).filter((x): x is NonNullable<typeof x> => !!x).map(ref),
        authors: snapshot.authorIds.map((a) => authors.find((x) => x.id === a)).filter((x): x is NonNullable<typeof x> => !!x).map(ref),
      };
    },

    /** Saves an earlier revision as the story's current state (a new revision; nothing is lost). */
    restore(staff: Staff, id: number, rev: number): Promise<StoryView> {
      return applySnapshot(staff, id, 'article.restore', async (trx) => {
        const r = await revisionStore.get(trx, id, rev);
        if (!r) throw new NotFoundError(`Story ${id} has no revision ${rev}.`);
        const old = readSnapshot(r.snapshot);
        if (!(await sectionWrites.byId(trx, old.sectionId))) throw new ConflictError('The section of that revision no longer exists; choose a section and save instead.');
        // Tags and authors deleted since are left out.
        const tags = await tagWrites.byIds(trx, old.tagIds);
        const authors = await authorWrites.byIds(trx, old.authorIds);
        const after: StorySnapshot = {
          ...old,
          tagIds: old.tagIds.filter((t) => tags.some((x) => x.id === t)),
          authorIds: old.authorIds.filter((a) => authors.some((x) => x.id === a)),
        };
        return { after, note: `restored from revision ${rev}`, auditAction: 'article.restore', details: { revision: rev } };
      });
    },
  };
}
