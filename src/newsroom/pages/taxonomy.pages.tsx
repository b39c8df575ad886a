/**
 * The newsroom's management screens as plain HTML forms, over the same
 * services and policies as the admin API: sections (admins), tags, authors
 * and the breaking-news strip (editors), and the site settings (admins).
 *
 * Every POST answers in one of two ways: the change was made, and the browser
 * is sent back (303) with a notice code the page turns into words; or nothing
 * was written, and the same form comes back with what was typed and a clear
 * error (400 bad input, 409 a conflict such as a slug in use). Input is
 * checked here, in the form's own words, before the service checks it again.
 * Cross-site POSTs never get here (platform/csrf.ts refuses them).
 */
import type { ComponentChildren } from 'preact';
import { Type, type Static } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../services.js';
import type { Author, Section, Tag } from '../../platform/db/types.js';
import { AppError, NotFoundError } from '../../platform/errors.js';
import { SLUG_PATTERN } from '../../content/content.model.js';
import { requireUser } from '../../accounts/session.js';
import type { BreakingSetting } from '../../content/taxonomy.service.js';
import type { NewsroomScreen } from '../views/layout.js';
import { seeOther, sendNewsroomPage, staffPage, type StaffPage } from '../staff-page.js';
import { utcText, type FormState, type FormValues } from '../views/taxonomy-fields.js';
import { SectionEditScreen, sectionFormValues, SectionsScreen } from '../views/taxonomy-sections.js';
import { TagEditScreen, tagFormValues, TagsScreen } from '../views/taxonomy-tags.js';
import { AuthorEditScreen, authorFormValues, AuthorsScreen } from '../views/taxonomy-authors.js';
import { BreakingScreen, breakingFormValues } from '../views/taxonomy-breaking.js';
import { commentSettingsValues, SettingsScreen, TOTP_ROLES } from '../views/taxonomy-settings.js';

// --- form input -------------------------------------------------------------------

/** What a browser posts: fields as strings, a repeated field (checkboxes) as a list. */
const FormBody = Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 20_000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })]));
type FormBody = Static<typeof FormBody>;

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const NoticeQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ maxLength: 120 })),
});
const TagListQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 120 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const TAGS_PER_PAGE = 50;
/** The icons a section may show (the admin API's list); the others are the site's own (search, feed, …). */
const SECTION_ICONS = ['globe', 'landmark', 'chart', 'flask', 'palette', 'trophy', 'quote', 'news'];
const SLUG_RE = new RegExp(SLUG_PATTERN);

/** One field as typed (the first, if it came more than once), or '' when absent. */
function field(body: FormBody | undefined, name: string): string {
  const v = body?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? (v[0] ?? '') : '';
}

/** Every value of a repeated field (ticked checkboxes). */
function fieldList(body: FormBody | undefined, name: string): string[] {
  const v = body?.[name];
  return typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
}

function valuesOf(body: FormBody | undefined, names: string[]): FormValues {
  return Object.fromEntries(names.map((n) => [n, field(body, n)]));
}

/** Characters as a reader counts them (and as the API's length limits do), not UTF-16 units. */
const length = (s: string) => [...s].length;

/** Why nothing was written: the page's role=alert message, and the field it is about. */
interface Problem {
  status: 400 | 409;
  message: string;
  field?: string | null;
}

const NOTHING_SAVED = 'Nothing was saved.';
const bad = (message: string, field?: string): Problem => ({ status: 400, message: `${message} ${NOTHING_SAVED}`, field: field ?? null });

function checkName(name: string, max: number, what: string): Problem | null {
  if (!name) return bad(`Give the ${what} a name.`, 'name');
  if (length(name) > max) return bad(`The name is ${length(name)} characters long; the most is ${max}.`, 'name');
  return null;
}

function checkSlug(slug: string, required: boolean): Problem | null {
  if (!slug) return required ? bad('The slug cannot be empty: it is the address.', 'slug') : null;
  if (length(slug) > 120) return bad('The slug is too long (120 characters at most).', 'slug');
  if (!SLUG_RE.test(slug)) return bad(`"${slug}" is not a slug: use lowercase letters (a-z), digits and single hyphens, e.g. "middle-east".`, 'slug');
  return null;
}

function checkLength(value: string, max: number, label: string, name: string): Problem | null {
  return length(value) > max ? bad(`The ${label} is ${length(value)} characters long; the most is ${max}.`, name) : null;
}

const firstProblem = (...checks: Array<Problem | null>): Problem | null => checks.find((p) => p !== null) ?? null;

/**
 * Runs a service call; a refusal about the input (400) or a conflict (409)
 * becomes a Problem for the form, and anything else (403, 404, a failure)
 * goes to the error handler as usual. `fieldOf` names the field a refusal is about.
 */
async function attempt<T>(work: () => Promise<T>, fieldOf: (err: AppError) => string | null = () => null): Promise<{ ok: T } | { problem: Problem }> {
  try {
    return { ok: await work() };
  } catch (err) {
    if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
      const message = /nothing was (saved|changed|written)/i.test(err.message) ? err.message : `${err.message} ${NOTHING_SAVED}`;
      return { problem: { status: err.status, message, field: fieldOf(err) } };
    }
    throw err;
  }
}

/** The service's refusals of a section, tag or author: a slug in use or reserved, or (sections) a parent that cannot be. */
const taxonomyField = (err: AppError): string | null => {
  if (err.status === 409 || /used by the site/.test(err.message)) return 'slug';
  if (/parent|subsection|no section/i.test(err.message)) return 'parent';
  return null;
};

// --- notices ----------------------------------------------------------------------

/** "created-12" -> { what: "created", id: 12 }. */
function doneCode(done: string | undefined): { what: string; id: number | null } | null {
  const m = done ? /^([a-z]+)(?:-([0-9]{1,10}))?$/.exec(done) : null;
  return m ? { what: m[1]!, id: m[2] ? Number(m[2]) : null } : null;
}

/** The sentence about a slug change, if `from` is a slug this thing had. */
function movedNotice(from: string | undefined, oldPath: (slug: string) => string, newPath: string): string {
  if (!from || !SLUG_RE.test(from) || oldPath(from) === newPath) return '';
  return ` Its old address ${oldPath(from)} now redirects to ${newPath}.`;
}

function listNotice(done: string | undefined, kind: string, nameOf: (id: number) => string | undefined): string | null {
  const code = doneCode(done);
  if (!code) return null;
  const name = code.id !== null ? nameOf(code.id) : undefined;
  const named = name ? `${kind} “${name}”` : kind;
  switch (code.what) {
    case 'created':
      return `${named} created.`;
    case 'deleted':
      return `${kind} deleted.`;
    case 'moved':
      return `${named} moved. The site's navigation shows the new order now.`;
    default:
      return null;
  }
}

function editNotice(done: string | undefined, moved: string): string | null {
  const code = doneCode(done);
  if (code?.what === 'saved') return `Saved.${moved}`;
  if (code?.what === 'unchanged') return 'Nothing had changed, so nothing was saved.';
  return null;
}

// --- the plugin -------------------------------------------------------------------

interface Shown {
  title: string;
  screen: NewsroomScreen;
  notice?: string | null;
  problem?: Problem | null;
  children: ComponentChildren;
}

function show(reply: FastifyReply, page: StaffPage, { title, screen, notice, problem, children }: Shown): FastifyReply {
  return sendNewsroomPage(reply, page, { title, screen, notice: problem ? null : notice, error: problem?.message ?? null, children }, problem?.status ?? 200);
}

const form = (values: FormValues, problem?: Problem | null): FormState => ({ values, invalid: problem?.field ?? null });

export const taxonomyPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy, now } = deps;
  const totp = deps.totp;

  // --- sections (admins) ----------------------------------------------------------

  const SECTION_FIELDS = ['name', 'slug', 'parent', 'icon', 'description'];

  function sectionsList(reply: FastifyReply, page: StaffPage, sections: Section[], create: FormState, notice: string | null, problem?: Problem | null) {
    return show(reply, page, { title: 'Sections', screen: 'sections', notice, problem, children: <SectionsScreen sections={sections} create={create} icons={SECTION_ICONS} /> });
  }

  function sectionEdit(reply: FastifyReply, page: StaffPage, section: Section, sections: Section[], values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, {
      title: `Section: ${section.name}`, screen: 'sections', notice, problem,
      children: <SectionEditScreen section={section} sections={sections} form={form(values, problem)} icons={iconsFor(section)} />,
    });
  }

  async function sectionById(page: StaffPage, id: number): Promise<{ section: Section; sections: Section[] }> {
    const sections = await taxonomy.sections(page.staff);
    const section = sections.find((s) => s.id === id);
    if (!section) throw new NotFoundError(`There is no section ${id}; it may have been deleted.`);
    return { section, sections };
  }

  /** The icons offered: the usual ones, and whatever the section already has (from an import). */
  const iconsFor = (section?: Section): string[] => (section && !SECTION_ICONS.includes(section.icon) ? [...SECTION_ICONS, section.icon] : SECTION_ICONS);

  function checkSectionForm(v: FormValues, editing?: Section): Problem | null {
    return firstProblem(
      checkName(v.name!, 80, 'section'),
      checkSlug(v.slug!, !!editing),
      v.parent && !SLUG_RE.test(v.parent) ? bad('Choose the parent from the list.', 'parent') : null,
      iconsFor(editing).includes(v.icon!) ? null : bad('Choose an icon from the list.', 'icon'),
      checkLength(v.description!, 500, 'description', 'description'),
    );
  }

  const trimmed = (v: FormValues): FormValues => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim()]));

  app.get('/newsroom/sections', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const sections = await taxonomy.sections(page.staff);
    const notice = listNotice(req.query.done, 'Section', (id) => sections.find((s) => s.id === id)?.name);
    return sectionsList(reply, page, sections, form({ icon: 'news' }), notice);
  });

  app.post('/newsroom/sections', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const v = trimmed(valuesOf(req.body, SECTION_FIELDS));
    v.icon ||= 'news';
    const problem = checkSectionForm(v);
    const result = problem
      ? { problem }
      : await attempt(
          () => taxonomy.createSection(page.staff, { name: v.name!, slug: v.slug || undefined, parent: v.parent || null, icon: v.icon!, description: v.description! }),
          taxonomyField,
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', `created-${result.ok.id}`);
    return sectionsList(reply, page, await taxonomy.sections(page.staff), form(v, result.problem), null, result.problem);
  });

  app.post('/newsroom/sections/order', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const raw = field(req.body, 'ids');
    const ids = raw.split(',').map((x) => x.trim());
    const moved = field(req.body, 'moved');
    const stale: Problem = {
      status: 409,
      message: 'The sections changed since this page was loaded (one was added or removed), so nothing was moved. This is the order now; try again.',
    };
    if (!raw || ids.some((x) => !/^[0-9]{1,10}$/.test(x))) {
      return sectionsList(reply, page, await taxonomy.sections(page.staff), form({ icon: 'news' }), null, bad('That order was not a list of sections.'));
    }
    // The service refuses an order that does not name every section once: the list changed under the page.
    const result = await attempt(() => taxonomy.reorderSections(page.staff, ids.map(Number)));
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', /^[0-9]{1,10}$/.test(moved) ? `moved-${moved}` : 'moved');
    return sectionsList(reply, page, await taxonomy.sections(page.staff), form({ icon: 'news' }), null, stale);
  });

  app.get('/newsroom/sections/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const notice = editNotice(req.query.done, movedNotice(req.query.from, (s) => `/${s}`, `/${section.slug}`));
    return sectionEdit(reply, page, section, sections, sectionFormValues(section, sections), notice);
  });

  app.post('/newsroom/sections/:id', { schema: { params: IdParams, body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const saved = sectionFormValues(section, sections);
    const v = trimmed(valuesOf(req.body, SECTION_FIELDS));
    // A section with subsections has no parent field on its form: it stays where it is.
    const parentGiven = req.body?.parent !== undefined;
    if (!parentGiven) v.parent = saved.parent!;
    const problem = checkSectionForm(v, section);
    if (problem) return sectionEdit(reply, page, section, sections, v, null, problem);
    const change: { name?: string; slug?: string; parent?: string | null; icon?: string; description?: string } = {};
    if (v.name !== saved.name) change.name = v.name!;
    if (v.slug !== saved.slug) change.slug = v.slug!;
    if (v.parent !== saved.parent) change.parent = v.parent || null;
    if (v.icon !== saved.icon) change.icon = v.icon!;
    if (v.description !== saved.description) change.description = v.description!;
    const url = `/newsroom/sections/${section.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateSection(page.staff, section.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(section.slug)}` : url, 'saved');
    return sectionEdit(reply, page, section, sections, v, null, result.problem);
  });

  app.post('/newsroom/sections/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteSection(page.staff, section.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', 'deleted');
    const problem = { ...result.problem, message: result.problem.message.replace(NOTHING_SAVED, 'Nothing was deleted.') };
    return sectionEdit(reply, page, section, sections, sectionFormValues(section, sections), null, problem);
  });

  // --- tags (editors) -------------------------------------------------------------

  const TAG_FIELDS = ['name', 'slug', 'description', 'specialCoverage'];

  /** The tag list; `done` is the notice code of the action that led here. */
  async function tagsList(reply: FastifyReply, page: StaffPage, query: { q?: string | undefined; page?: number | undefined; done?: string | undefined }, create: FormState, problem?: Problem | null) {
    const all = await taxonomy.tags(page.staff);
    const notice = listNotice(query.done, 'Tag', (id) => all.find((t) => t.id === id)?.name);
    const q = (query.q ?? '').trim();
    const needle = q.toLowerCase();
    const matching = needle ? all.filter((t) => t.name.toLowerCase().includes(needle) || t.slug.includes(needle)) : all;
    const totalPages = Math.max(1, Math.ceil(matching.length / TAGS_PER_PAGE));
    const pageNo = Math.min(query.page ?? 1, totalPages);
    const items = matching.slice((pageNo - 1) * TAGS_PER_PAGE, pageNo * TAGS_PER_PAGE);
    return show(reply, page, {
      title: 'Tags', screen: 'tags', notice, problem,
      children: <TagsScreen tags={items} total={matching.length} page={pageNo} totalPages={totalPages} q={q} create={create} />,
    });
  }

  function tagEdit(reply: FastifyReply, page: StaffPage, tag: Tag, values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, { title: `Tag: ${tag.name}`, screen: 'tags', notice, problem, children: <TagEditScreen tag={tag} form={form(values, problem)} /> });
  }

  async function tagById(page: StaffPage, id: number): Promise<Tag> {
    const tag = (await taxonomy.tags(page.staff)).find((t) => t.id === id);
    if (!tag) throw new NotFoundError(`There is no tag ${id}; it may have been deleted.`);
    return tag;
  }

  function tagValues(body: FormBody | undefined): FormValues {
    const v = trimmed(valuesOf(body, TAG_FIELDS));
    v.specialCoverage = v.specialCoverage ? 'on' : '';
    return v;
  }

  function checkTagForm(v: FormValues, editing: boolean): Problem | null {
    return firstProblem(checkName(v.name!, 120, 'tag'), checkSlug(v.slug!, editing), checkLength(v.description!, 1000, 'description', 'description'));
  }

  app.get('/newsroom/tags', { schema: { querystring: TagListQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    return tagsList(reply, page, req.query, form({}));
  });

  app.post('/newsroom/tags', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const v = tagValues(req.body);
    const problem = checkTagForm(v, false);
    const result = problem
      ? { problem }
      : await attempt(
          () => taxonomy.createTag(page.staff, { name: v.name!, slug: v.slug || undefined, description: v.description!, specialCoverage: v.specialCoverage === 'on' }),
          taxonomyField,
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/tags', `created-${result.ok.id}`);
    return tagsList(reply, page, {}, form(v, result.problem), result.problem);
  });

  app.get('/newsroom/tags/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const notice = editNotice(req.query.done, movedNotice(req.query.from, (s) => `/tag/${s}`, `/tag/${tag.slug}`));
    return tagEdit(reply, page, tag, tagFormValues(tag), notice);
  });

  app.post('/newsroom/tags/:id', { schema: { params: IdParams, body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const saved = tagFormValues(tag);
    const v = tagValues(req.body);
    const problem = checkTagForm(v, true);
    if (problem) return tagEdit(reply, page, tag, v, null, problem);
    const change: { name?: string; slug?: string; description?: string; specialCoverage?: boolean } = {};
    if (v.name !== saved.name) change.name = v.name!;
    if (v.slug !== saved.slug) change.slug = v.slug!;
    if (v.description !== saved.description) change.description = v.description!;
    if (v.specialCoverage !== saved.specialCoverage) change.specialCoverage = v.specialCoverage === 'on';
    const url = `/newsroom/tags/${tag.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateTag(page.staff, tag.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(tag.slug)}` : url, 'saved');
    return tagEdit(reply, page, tag, v, null, result.problem);
  });

  app.post('/newsroom/tags/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteTag(page.staff, tag.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/tags', 'deleted');
    return tagEdit(reply, page, tag, tagFormValues(tag), null, result.problem);
  });

  // --- authors (editors) ----------------------------------------------------------

  const AUTHOR_FIELDS = ['name', 'slug', 'bio'];

  async function authorsList(reply: FastifyReply, page: StaffPage, create: FormState, notice: string | null, problem?: Problem | null, authors?: Author[]) {
    const all = authors ?? (await taxonomy.authors(page.staff));
    return show(reply, page, { title: 'Authors', screen: 'authors', notice, problem, children: <AuthorsScreen authors={all} create={create} /> });
  }

  function authorEdit(reply: FastifyReply, page: StaffPage, author: Author, values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, { title: `Author: ${author.name}`, screen: 'authors', notice, problem, children: <AuthorEditScreen author={author} form={form(values, problem)} /> });
  }

  async function authorById(page: StaffPage, id: number): Promise<Author> {
    const author = (await taxonomy.authors(page.staff)).find((a) => a.id === id);
    if (!author) throw new NotFoundError(`There is no author ${id}; they may have been deleted.`);
    return author;
  }

  function checkAuthorForm(v: FormValues, editing: boolean): Problem | null {
    return firstProblem(checkName(v.name!, 120, 'author'), checkSlug(v.slug!, editing), checkLength(v.bio!, 2000, 'bio', 'bio'));
  }

  app.get('/newsroom/authors', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const authors = await taxonomy.authors(page.staff);
    const notice = listNotice(req.query.done, 'Author', (id) => authors.find((a) => a.id === id)?.name);
    return authorsList(reply, page, form({}), notice, null, authors);
  });

  app.post('/newsroom/authors', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const v = trimmed(valuesOf(req.body, AUTHOR_FIELDS));
    const problem = checkAuthorForm(v, false);
    const result = problem
      ? { problem }
      : await attempt(() => taxonomy.createAuthor(page.staff, { name: v.name!, slug: v.slug || undefined, bio: v.bio! }), taxonomyField);
    if ('ok' in result) return seeOther(reply, '/newsroom/authors', `created-${result.ok.id}`);
    return authorsList(reply, page, form(v, result.problem), null, result.problem);
  });

  app.get('/newsroom/authors/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const notice = editNotice(req.query.done, movedNotice(req.query.from, (s) => `/author/${s}`, `/author/${author.slug}`));
    return authorEdit(reply, page, author, authorFormValues(author), notice);
  });

  app.post('/newsroom/authors/:id', { schema: { params: IdParams, body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const saved = authorFormValues(author);
    const v = trimmed(valuesOf(req.body, AUTHOR_FIELDS));
    const problem = checkAuthorForm(v, true);
    if (problem) return authorEdit(reply, page, author, v, null, problem);
    const change: { name?: string; slug?: string; bio?: string } = {};
    if (v.name !== saved.name) change.name = v.name!;
    if (v.slug !== saved.slug) change.slug = v.slug!;
    if (v.bio !== saved.bio) change.bio = v.bio!;
    const url = `/newsroom/authors/${author.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateAuthor(page.staff, author.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(author.slug)}` : url, 'saved');
    return authorEdit(reply, page, author, v, null, result.problem);
  });

  app.post('/newsroom/authors/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteAuthor(page.staff, author.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/authors', 'deleted');
    const problem = { ...result.problem, message: result.problem.message.replace(NOTHING_SAVED, 'Nothing was deleted.') };
    return authorEdit(reply, page, author, authorFormValues(author), null, problem);
  });

  // --- breaking news (editors) ----------------------------------------------------

  const BREAKING_FIELDS = ['text', 'path', 'expiresAt', 'expiresInHours'];
  const BREAKING_NOTICES: Record<string, string> = {
    set: 'The strip is saved; the site shows it now (unless its expiry has passed).',
    cleared: 'The strip is cleared; the site no longer shows it.',
    nothing: 'There was no strip to clear.',
  };

  function breakingPage(reply: FastifyReply, page: StaffPage, current: BreakingSetting | null, values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, {
      title: 'Breaking news', screen: 'breaking', notice, problem,
      children: <BreakingScreen current={current} now={now()} form={form(values, problem)} />,
    });
  }

  /** A datetime-local value ("2026-11-29T14:05"), read as UTC. */
  function parseUtc(value: string): Date | null {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
    const d = new Date(`${value}Z`);
    return Number.isNaN(d.getTime()) ? null : d;
  }

  /** The expiry the form asks for: "in N hours" wins over a time; neither is no expiry. */
  function expiryOf(v: FormValues): { at: string | null } | Problem {
    const at = now();
    if (v.expiresInHours) {
      const hours = Number(v.expiresInHours);
      if (!/^\d+(\.\d+)?$/.test(v.expiresInHours) || !(hours > 0) || hours > 8760) {
        return bad('"In this many hours" must be a number of hours above 0 and at most 8760 (a year).', 'expiresInHours');
      }
      return { at: new Date(at.getTime() + Math.round(hours * 3_600_000)).toISOString() };
    }
    if (!v.expiresAt) return { at: null };
    const d = parseUtc(v.expiresAt);
    if (!d) return bad('The expiry time is not a date and time (YYYY-MM-DDTHH:MM, in UTC).', 'expiresAt');
    if (d.getTime() <= at.getTime()) return bad(`The expiry time ${utcText(d.toISOString())} has already passed (it is ${utcText(at.toISOString())} now), so the strip would never show.`, 'expiresAt');
    return { at: d.toISOString() };
  }

  function checkPath(path: string): Problem | null {
    if (!path) return null;
    if (length(path) > 2000) return bad('The link is too long (2,000 characters at most).', 'path');
    const onSite = path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
    if (!onSite && !/^https?:\/\/[^\s/]+/i.test(path)) return bad('The link must be a path on this site (starting with /) or an http(s) address.', 'path');
    if (/\s/.test(path)) return bad('The link may not contain spaces.', 'path');
    return null;
  }

  app.get('/newsroom/breaking', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const current = await taxonomy.breaking(page.staff);
    return breakingPage(reply, page, current, breakingFormValues(current), BREAKING_NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/breaking', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const v = trimmed(valuesOf(req.body, BREAKING_FIELDS));
    const expiry = expiryOf(v);
    const expiryProblem = 'status' in expiry ? expiry : null;
    const problem = firstProblem(
      v.text ? null : bad('Write the text of the strip.', 'text'),
      checkLength(v.text!, 300, 'text', 'text'),
      checkPath(v.path!),
      expiryProblem,
    );
    const result = problem || 'status' in expiry
      ? { problem: problem ?? expiryProblem! }
      : await attempt(
          () => taxonomy.setBreaking(page.staff, { text: v.text!, path: v.path || null, expiresAt: expiry.at }),
          (err) => (/path/.test(err.message) ? 'path' : /expir/.test(err.message) ? 'expiresAt' : null),
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/breaking', 'set');
    return breakingPage(reply, page, await taxonomy.breaking(page.staff), v, null, result.problem);
  });

  app.post('/newsroom/breaking/clear', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const before = await taxonomy.breaking(page.staff);
    await taxonomy.clearBreaking(page.staff);
    return seeOther(reply, '/newsroom/breaking', before ? 'cleared' : 'nothing');
  });

  // --- settings (admins) ----------------------------------------------------------

  const SETTINGS_NOTICES: Record<string, string> = {
    security: 'Sign-in settings saved.',
    comments: 'Comment settings saved. Stories following the default show it now.',
  };
  const MODES = ['open', 'closed', 'premoderated'] as const;
  type Mode = (typeof MODES)[number];

  interface SettingsState {
    requireTotpFor?: string[];
    comments?: FormValues;
    invalidForm?: 'security' | 'comments';
    invalidField?: string | null;
  }

  async function settingsPage(reply: FastifyReply, page: StaffPage, actor: Awaited<ReturnType<typeof requireUser>>, state: SettingsState, notice: string | null, problem?: Problem | null) {
    const [security, comments, selfEnrolled] = await Promise.all([totp.settings(), deps.comments.getSettings(actor), totp.isEnabled(actor.id)]);
    const commentsForm: FormState = {
      values: state.comments ?? commentSettingsValues(comments),
      invalid: state.invalidForm === 'comments' ? (state.invalidField ?? null) : null,
    };
    return show(reply, page, {
      title: 'Settings', screen: 'settings', notice, problem,
      children: (
        <SettingsScreen
          requireTotpFor={state.requireTotpFor ?? security.requireTotpFor}
          selfEnrolled={selfEnrolled}
          comments={commentsForm}
          staffIdleMinutes={deps.config.staffIdleMinutes}
          invalidForm={state.invalidForm ?? null}
        />
      ),
    });
  }

  app.get('/newsroom/settings', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    return settingsPage(reply, page, actor, {}, SETTINGS_NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/settings/security', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    const roles = fieldList(req.body, 'requireTotpFor');
    const known: readonly string[] = TOTP_ROLES.map((r) => r.role);
    let problem: Problem | null = null;
    if (roles.some((r) => !known.includes(r))) problem = bad('Tick roles from the list only.', 'requireTotpFor');
    else if (roles.includes('admin') && actor.role === 'admin' && !(await totp.isEnabled(actor.id))) {
      problem = bad(
        'You have not set up two-step sign-in yourself, so requiring it for admins would shut you out of the newsroom. ' +
          'Set up an authenticator app for your account first.',
        'requireTotpFor',
      );
    }
    if (problem) return settingsPage(reply, page, actor, { requireTotpFor: roles, invalidForm: 'security' }, null, problem);
    await totp.setSettings({ requireTotpFor: roles.filter((r): r is 'contributor' | 'editor' | 'admin' => known.includes(r)) }, { userId: actor.id, role: actor.role, ip: req.ip });
    return seeOther(reply, '/newsroom/settings', 'security');
  });

  app.post('/newsroom/settings/comments', { schema: { body: FormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    const v = valuesOf(req.body, ['defaultMode', 'closeAfterDays', 'bannedWords']);
    v.closeAfterDays = v.closeAfterDays!.trim();
    const words = v.bannedWords!.split(/\r?\n/).map((w) => w.trim()).filter(Boolean);
    const longWord = words.find((w) => length(w) > 100);
    const problem = firstProblem(
      (MODES as readonly string[]).includes(v.defaultMode!) ? null : bad('Choose how comments start from the list.', 'defaultMode'),
      /^\d{1,4}$/.test(v.closeAfterDays) && Number(v.closeAfterDays) <= 3650
        ? null
        : bad('"Close comments on stories older than" must be a whole number of days from 0 to 3650.', 'closeAfterDays'),
      longWord ? bad(`"${longWord.slice(0, 40)}…" is too long for a banned word or phrase (100 characters at most).`, 'bannedWords') : null,
      words.length > 1000 ? bad(`That is ${words.length} banned words; the most is 1,000.`, 'bannedWords') : null,
    );
    const result = problem
      ? { problem }
      : await attempt(() =>
          deps.comments.updateSettings(actor, { defaultMode: v.defaultMode as Mode, closeAfterDays: Number(v.closeAfterDays), bannedWords: words }, { ip: req.ip }),
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/settings', 'comments');
    return settingsPage(reply, page, actor, { comments: v, invalidForm: 'comments', invalidField: result.problem.field ?? null }, null, result.problem);
  });
};
