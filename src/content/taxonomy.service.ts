/**
 * How stories are organised, as editors and admins change it: sections (admins:
 * they are the site's navigation), tags and authors (editors), and the
 * breaking-news strip. A rename keeps the old slug as a redirect, so old
 * addresses answer 301. Every change is audited and purges the pages it shows on.
 */
import type { Transaction } from 'kysely';
import type { Author, Database, Section, SlugKind, Tag } from '../platform/db/types.js';
import { ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { safeUrl } from '../web/urls.js';
import { RESERVED_SLUGS, slugify } from './content.model.js';
import { authorize, can } from '../accounts/staff.policy.js';
import { authorWrites, sectionWrites, slugRedirectWrites, tagWrites } from './taxonomy.store.js';
import { breakingStore, type BreakingSetting } from './settings.store.js';
import { audit } from '../audit/audit.service.js';
import type { Staff } from '../accounts/staff.js';
import type { NewsroomDeps } from './story.service.js';
import type {
  BreakingBody, CreateAuthorBody, CreateSectionBody, CreateTagBody, UpdateAuthorBody, UpdateSectionBody, UpdateTagBody,
} from './taxonomy.schemas.js';

export type { BreakingSetting } from './settings.store.js';

type Trx = Transaction<Database>;

const unique = <T>(xs: T[]): T[] => [...new Set(xs)];
const articleKeys = (ids: number[]) => ids.map((id) => `article:${id}`);

export type TaxonomyService = ReturnType<typeof createTaxonomyService>;

export function createTaxonomyService({ db, events, now }: NewsroomDeps) {
  const stamp = () => now().toISOString();

  /** Runs a change in a transaction, then purges what it returns. */
  async function change<T>(work: (trx: Trx) => Promise<{ result: T; keys: string[] }>): Promise<T> {
    const { result, keys } = await db.transaction().execute(work);
    if (keys.length) await events.emit('content.changed', { keys: unique(keys) });
    return result;
  }

  /** Taking a slug: it stops being anyone's old slug; renaming: the old one redirects to the renamed thing. */
  async function moveSlug(trx: Trx, kind: SlugKind, id: number, from: string | null, to: string): Promise<void> {
    await slugRedirectWrites.forget(trx, kind, to);
    if (from && from !== to) await slugRedirectWrites.remember(trx, kind, from, id, stamp());
  }

  function checkSectionSlug(slug: string): void {
    if (RESERVED_SLUGS.has(slug)) throw new ValidationError(`"${slug}" is used by the site itself and cannot name a section.`);
  }

  async function sectionParent(trx: Trx, parentSlug: string | null | undefined, self: Section | null): Promise<number | null> {
    if (!parentSlug) return null;
    const parent = await sectionWrites.bySlug(trx, parentSlug);
    if (!parent) throw new ValidationError(`There is no section "${parentSlug}".`);
    if (self && parent.id === self.id) throw new ValidationError('A section cannot be its own parent.');
    // The navigation has two levels: sections, and their subsections.
    if (parent.parent_id !== null) throw new ValidationError(`"${parentSlug}" is a subsection; subsections cannot have subsections.`);
    if (self) {
      const all = await sectionWrites.all(trx);
      if (all.some((s) => s.parent_id === self.id)) throw new ValidationError(`"${self.slug}" has subsections, so it cannot become one.`);
    }
    return parent.id;
  }

  /** Every page that shows sections: the navigation is on all of them. */
  const SECTION_KEYS = ['chrome', 'sections', 'home', 'articles'];

  return {
    // --- sections ---------------------------------------------------------------

    async sections(staff: Staff): Promise<Section[]> {
      authorize(can(staff, 'section.list'));
      return sectionWrites.all(db);
    },

    createSection(staff: Staff, input: CreateSectionBody): Promise<Section> {
      authorize(can(staff, 'section.manage'));
      return change(async (trx) => {
        const slug = input.slug ?? slugify(input.name, 60);
        checkSectionSlug(slug);
        if (await sectionWrites.bySlug(trx, slug)) throw new ConflictError(`There is already a section "${slug}".`);
        const parentId = await sectionParent(trx, input.parent, null);
        const id = await sectionWrites.insert(trx, {
          slug, name: input.name.trim(), description: input.description?.trim() ?? '', parent_id: parentId, icon: input.icon ?? 'news',
          position: await sectionWrites.nextPosition(trx), created_at: stamp(),
        });
        await moveSlug(trx, 'section', id, null, slug);
        await audit(trx, staff, now(), 'section.create', `section:${id}`, { slug, name: input.name });
        return { result: (await sectionWrites.byId(trx, id))!, keys: [...SECTION_KEYS, `section:${slug}`] };
      });
    },

    updateSection(staff: Staff, id: number, input: UpdateSectionBody): Promise<Section> {
      authorize(can(staff, 'section.manage'));
      return change(async (trx) => {
        const s = await sectionWrites.byId(trx, id);
        if (!s) throw new NotFoundError(`There is no section ${id}.`);
        const set: Parameters<typeof sectionWrites.update>[2] = {};
        if (input.slug !== undefined && input.slug !== s.slug) {
          checkSectionSlug(input.slug);
          if (await sectionWrites.bySlug(trx, input.slug)) throw new ConflictError(`There is already a section "${input.slug}".`);
          set.slug = input.slug;
        }
        if (input.name !== undefined) set.name = input.name.trim();
        if (input.description !== undefined) set.description = input.description.trim();
        if (input.icon !== undefined) set.icon = input.icon;
        if (input.parent !== undefined) set.parent_id = await sectionParent(trx, input.parent, s);
        await sectionWrites.update(trx, id, set);
        if (set.slug) await moveSlug(trx, 'section', id, s.slug, set.slug);
        await audit(trx, staff, now(), 'section.update', `section:${id}`, { ...set, ...(set.slug ? { from: s.slug } : {}) });
        // Stories in it (and its subsections) carry its name and address.
        const all = await sectionWrites.all(trx);
        const ids = await sectionWrites.articleIds(trx, [id, ...all.filter((c) => c.parent_id === id).map((c) => c.id)]);
        return {
          result: (await sectionWrites.byId(trx, id))!,
          keys: [...SECTION_KEYS, `section:${s.slug}`, ...(set.slug ? [`section:${set.slug}`] : []), ...articleKeys(ids)],
        };
      });
    },

    deleteSection(staff: Staff, id: number): Promise<void> {
      authorize(can(staff, 'section.manage'));
      return change(async (trx) => {
        const s = await sectionWrites.byId(trx, id);
        if (!s) throw new NotFoundError(`There is no section ${id}.`);
        const all = await sectionWrites.all(trx);
        if (all.some((c) => c.parent_id === id)) throw new ConflictError(`"${s.slug}" has subsections; move or delete them first.`);
        const stories = await sectionWrites.articleIds(trx, [id]);
        if (stories.length) throw new ConflictError(`"${s.slug}" holds ${stories.length} stor${stories.length === 1 ? 'y' : 'ies'}; move them to another section first.`);
        await slugRedirectWrites.forgetTarget(trx, 'section', id);
        await sectionWrites.delete(trx, id);
        await audit(trx, staff, now(), 'section.delete', `section:${id}`, { slug: s.slug, name: s.name });
        return { result: undefined, keys: [...SECTION_KEYS, `section:${s.slug}`] };
      });
    },

    /** Puts the sections in the given order; the list must name every section once. */
    reorderSections(staff: Staff, ids: number[]): Promise<Section[]> {
      authorize(can(staff, 'section.manage'));
      return change(async (trx) => {
        const all = await sectionWrites.all(trx);
        const known = new Set(all.map((s) => s.id));
        const unknown = ids.filter((i) => !known.has(i));
        if (unknown.length) throw new ValidationError(`Unknown section id${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`);
        if (ids.length !== all.length) throw new ValidationError(`Name every section once (${all.length} of them); ${all.length - ids.length} missing.`);
        for (const [position, id] of ids.entries()) await sectionWrites.update(trx, id, { position });
        await audit(trx, staff, now(), 'section.reorder', 'site:sections', { ids });
        return { result: await sectionWrites.all(trx), keys: SECTION_KEYS };
      });
    },

    // --- tags -------------------------------------------------------------------

    async tags(staff: Staff): Promise<Tag[]> {
      authorize(can(staff, 'tag.list'));
      return tagWrites.all(db);
    },

    createTag(staff: Staff, input: CreateTagBody): Promise<Tag> {
      authorize(can(staff, 'tag.manage'));
      return change(async (trx) => {
        const slug = input.slug ?? slugify(input.name, 80);
        if ((await tagWrites.bySlugs(trx, [slug])).length) throw new ConflictError(`There is already a tag "${slug}".`);
        const id = await tagWrites.insert(trx, {
          slug, name: input.name.trim(), description: input.description?.trim() ?? '', special_coverage: input.specialCoverage ? 1 : 0, created_at: stamp(),
        });
        await moveSlug(trx, 'tag', id, null, slug);
        await audit(trx, staff, now(), 'tag.create', `tag:${id}`, { slug, name: input.name, specialCoverage: !!input.specialCoverage });
        return { result: (await tagWrites.byId(trx, id))!, keys: input.specialCoverage ? ['home', `tag:${slug}`] : [`tag:${slug}`] };
      });
    },

    updateTag(staff: Staff, id: number, input: UpdateTagBody): Promise<Tag> {
      authorize(can(staff, 'tag.manage'));
      return change(async (trx) => {
        const t = await tagWrites.byId(trx, id);
        if (!t) throw new NotFoundError(`There is no tag ${id}.`);
        const set: Parameters<typeof tagWrites.update>[2] = {};
        if (input.slug !== undefined && input.slug !== t.slug) {
          if ((await tagWrites.bySlugs(trx, [input.slug])).length) throw new ConflictError(`There is already a tag "${input.slug}".`);
          set.slug = input.slug;
        }
        if (input.name !== undefined) set.name = input.name.trim();
        if (input.description !== undefined) set.description = input.description.trim();
        if (input.specialCoverage !== undefined) set.special_coverage = input.specialCoverage ? 1 : 0;
        await tagWrites.update(trx, id, set);
        if (set.slug) await moveSlug(trx, 'tag', id, t.slug, set.slug);
        await audit(trx, staff, now(), 'tag.update', `tag:${id}`, { ...set, ...(set.slug ? { from: t.slug } : {}) });
        const ids = await tagWrites.articleIds(trx, id);
        return {
          result: (await tagWrites.byId(trx, id))!,
          // The home page's special-coverage banners and every story page listing the tag.
          keys: ['home', 'articles', `tag:${t.slug}`, ...(set.slug ? [`tag:${set.slug}`] : []), ...articleKeys(ids)],
        };
      });
    },

    /** Deletes a tag; its stories simply lose it. */
    deleteTag(staff: Staff, id: number): Promise<void> {
      authorize(can(staff, 'tag.manage'));
      return change(async (trx) => {
        const t = await tagWrites.byId(trx, id);
        if (!t) throw new NotFoundError(`There is no tag ${id}.`);
        const ids = await tagWrites.articleIds(trx, id);
        await slugRedirectWrites.forgetTarget(trx, 'tag', id);
        await tagWrites.delete(trx, id);
        await audit(trx, staff, now(), 'tag.delete', `tag:${id}`, { slug: t.slug, name: t.name, stories: ids.length });
        return { result: undefined, keys: ['home', 'articles', `tag:${t.slug}`, ...articleKeys(ids)] };
      });
    },

    // --- authors ----------------------------------------------------------------

    async authors(staff: Staff): Promise<Author[]> {
      authorize(can(staff, 'author.list'));
      return authorWrites.all(db);
    },

    createAuthor(staff: Staff, input: CreateAuthorBody): Promise<Author> {
      authorize(can(staff, 'author.manage'));
      return change(async (trx) => {
        const slug = input.slug ?? slugify(input.name, 80);
        if ((await authorWrites.bySlugs(trx, [slug])).length) throw new ConflictError(`There is already an author "${slug}".`);
        const photo = input.photoUrl ? checkedUrl(input.photoUrl, 'photoUrl') : null;
        const id = await authorWrites.insert(trx, { slug, name: input.name.trim(), bio: input.bio?.trim() ?? '', photo_url: photo, created_at: stamp() });
        await moveSlug(trx, 'author', id, null, slug);
        await audit(trx, staff, now(), 'author.create', `author:${id}`, { slug, name: input.name });
        return { result: (await authorWrites.byId(trx, id))!, keys: [`author:${slug}`] };
      });
    },

    updateAuthor(staff: Staff, id: number, input: UpdateAuthorBody): Promise<Author> {
      authorize(can(staff, 'author.manage'));
      return change(async (trx) => {
        const a = await authorWrites.byId(trx, id);
        if (!a) throw new NotFoundError(`There is no author ${id}.`);
        const set: Parameters<typeof authorWrites.update>[2] = {};
        if (input.slug !== undefined && input.slug !== a.slug) {
          if ((await authorWrites.bySlugs(trx, [input.slug])).length) throw new ConflictError(`There is already an author "${input.slug}".`);
          set.slug = input.slug;
        }
        if (input.name !== undefined) set.name = input.name.trim();
        if (input.bio !== undefined) set.bio = input.bio.trim();
        if (input.photoUrl !== undefined) set.photo_url = input.photoUrl ? checkedUrl(input.photoUrl, 'photoUrl') : null;
        await authorWrites.update(trx, id, set);
        if (set.slug) await moveSlug(trx, 'author', id, a.slug, set.slug);
        await audit(trx, staff, now(), 'author.update', `author:${id}`, { ...set, ...(set.slug ? { from: a.slug } : {}) });
        // Bylines appear on story cards everywhere: the story pages, and every list (home, sections, tags).
        const ids = await authorWrites.articleIds(trx, id);
        const touchesLists = ids.length > 0 && (set.name !== undefined || set.slug !== undefined);
        return {
          result: (await authorWrites.byId(trx, id))!,
          keys: [`author:${a.slug}`, ...(set.slug ? [`author:${set.slug}`] : []), ...articleKeys(ids), ...(touchesLists ? ['chrome', 'articles'] : [])],
        };
      });
    },

    /** Only an author with no bylines can go: stories keep who wrote them. */
    deleteAuthor(staff: Staff, id: number): Promise<void> {
      authorize(can(staff, 'author.manage'));
      return change(async (trx) => {
        const a = await authorWrites.byId(trx, id);
        if (!a) throw new NotFoundError(`There is no author ${id}.`);
        const ids = await authorWrites.articleIds(trx, id);
        if (ids.length) throw new ConflictError(`${a.name} has ${ids.length} byline${ids.length === 1 ? '' : 's'}; remove them from those stories first.`);
        await slugRedirectWrites.forgetTarget(trx, 'author', id);
        await authorWrites.delete(trx, id);
        await audit(trx, staff, now(), 'author.delete', `author:${id}`, { slug: a.slug, name: a.name });
        return { result: undefined, keys: [`author:${a.slug}`] };
      });
    },

    // --- breaking news ----------------------------------------------------------

    async breaking(staff: Staff): Promise<BreakingSetting | null> {
      authorize(can(staff, 'breaking.manage'));
      return breakingStore.get(db);
    },

    setBreaking(staff: Staff, input: BreakingBody): Promise<BreakingSetting> {
      authorize(can(staff, 'breaking.manage'));
      const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : null;
      if (expiresAt && expiresAt <= stamp()) throw new ValidationError('expiresAt is in the past; the strip would never show.');
      const value: BreakingSetting = { text: input.text.trim(), path: input.path ? checkedUrl(input.path, 'path') : null, expiresAt };
      return change(async (trx) => {
        await breakingStore.set(trx, value);
        await audit(trx, staff, now(), 'breaking.set', 'site:breaking', { ...value });
        return { result: value, keys: ['chrome'] };
      });
    },

    clearBreaking(staff: Staff): Promise<void> {
      authorize(can(staff, 'breaking.manage'));
      return change(async (trx) => {
        const removed = await breakingStore.clear(trx);
        if (removed) await audit(trx, staff, now(), 'breaking.clear', 'site:breaking');
        return { result: undefined, keys: removed ? ['chrome'] : [] };
      });
    },
  };
}

function checkedUrl(url: string, field: string): string {
  const safe = safeUrl(url);
  if (!safe) throw new ValidationError(`${field} must be a path on this site (starting with a single /) or an http(s) URL.`);
  return safe;
}

