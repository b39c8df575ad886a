/**
 * The newsroom's story list (/newsroom) and media library (/newsroom/media):
 * server-rendered pages over the same services and policies as the admin API.
 * Filters are a GET form; uploads, edits and deletions are plain POST forms
 * that answer 303 back to the list (or the list again with what went wrong),
 * so everything works without JavaScript.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppDeps } from '../../services.js';
import type { ArticleStatus } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { can, seesAllStories } from '../../accounts/staff.policy.js';
import { type StorySummaryView } from '../../content/story.service.js';
import type { AuditService } from '../../audit/audit.service.js';
import { sendNewsroomPage, staffPage, type StaffPage } from '../staff-page.js';
import { STATUS_FILTERS, SORTS, StoryList, type LastChange, type StatusFilter, type StoryListEntry, type StoryListFilters } from '../views/stories.js';
import { MediaLibrary, type LibraryView, type MediaCard } from '../views/media.js';
import { canMedia, NEWSROOM_EQUIVALENT } from '../../media/media.policy.js';
import { parseVariants, type MediaRow } from '../../media/media.model.js';
import { multipartLimits, readUpload } from '../../media/upload.js';
import { MediaIdParams, TEXT_LIMITS } from '../../media/media.schemas.js';
import { variantUrl } from '../../media/srcset.js';

/** Stories on one page of the list. */
const STORIES_PER_PAGE = 25;
/** Images on one page of the library. */
const IMAGES_PER_PAGE = 24;

// --- the story list -------------------------------------------------------------------

/**
 * The list's query, read leniently: it comes from a GET form whose "any"
 * choices are empty strings, and an unknown sort or status falls back to
 * the default rather than failing. An unknown section or author is refused
 * by the service, which says which.
 */
const StoryListPageQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 20 })),
  section: Type.Optional(Type.String({ maxLength: 120 })),
  author: Type.Optional(Type.String({ maxLength: 120 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  mine: Type.Optional(Type.String({ maxLength: 5 })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
  order: Type.Optional(Type.String({ maxLength: 4 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  done: Type.Optional(Type.String({ maxLength: 40 })),
});
type StoryListPageQuery = Static<typeof StoryListPageQuery>;

function storyFilters(q: StoryListPageQuery): StoryListFilters {
  const status = STATUS_FILTERS.find((s) => s.value === q.status)?.value ?? 'all';
  const sort = SORTS.find((s) => s.value === q.sort)?.value ?? 'modified';
  return {
    status,
    section: q.section?.trim() ?? '',
    author: q.author?.trim() ?? '',
    q: q.q?.trim() ?? '',
    mine: q.mine === '1' || q.mine === 'on',
    sort,
    order: q.order === 'asc' ? 'asc' : 'desc',
  };
}

/**
 * The notices the list shows after an action elsewhere sent people back to it
 * (the `done` code of a 303: the editor's delete). Only these codes say
 * anything; the query's text itself is never shown.
 */
const STORY_LIST_NOTICES: Readonly<Record<string, string>> = {
  deleted: 'Story deleted.',
};

function storyListNotice(done: string | undefined): string | null {
  return done !== undefined && Object.hasOwn(STORY_LIST_NOTICES, done) ? STORY_LIST_NOTICES[done]! : null;
}

/** The list's address for these filters and page, naming only what differs from the defaults. */
function storyListHref(f: StoryListFilters, page: number): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.status !== 'all') params.set('status', f.status);
  if (f.section) params.set('section', f.section);
  if (f.author) params.set('author', f.author);
  if (f.mine) params.set('mine', '1');
  if (f.sort !== 'modified') params.set('sort', f.sort);
  if (f.order !== 'desc') params.set('order', f.order);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/newsroom?${qs}` : '/newsroom';
}

/** What an audit action on a story is, said as the list says it ("Published by …"). */
const CHANGE_WORDS: Record<string, string> = {
  'article.create': 'Created',
  'article.update': 'Edited',
  'article.submit': 'Submitted for review',
  'article.publish': 'Published',
  'article.schedule': 'Scheduled',
  'article.unschedule': 'Schedule cancelled',
  'article.unpublish': 'Unpublished',
  'article.correct': 'Correction added',
  'article.correction_remove': 'Correction removed',
  'article.restore': 'Restored an earlier version',
};

type AuditLatest = Awaited<ReturnType<AuditService['latestFor']>>[number];

function detailsOf(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The latest change to a story: its newest audit entry, or (for stories that
 * came in without one: the demo edition, an import) the row's own last-change
 * columns.
 */
function lastChangeOf(item: StorySummaryView, entry: AuditLatest | undefined): LastChange {
  if (!entry) return { what: 'Last changed', by: item.modifiedBy?.name ?? null, at: item.row.modified_at };
  const details = detailsOf(entry.details);
  let what = CHANGE_WORDS[entry.action] ?? 'Changed';
  if (entry.action === 'article.publish' && details.republished === true) what = 'Republished';
  let by: string | null = entry.actor_name ?? null;
  if (!by && entry.token_name) by = `the API token “${entry.token_name}”`;
  if (!by && entry.actor_user_id === null && entry.actor_token_id === null) by = details.scheduled === true ? 'the scheduler' : 'the system';
  return { what, by, at: entry.at };
}

function storyEntry(item: StorySummaryView, entry: AuditLatest | undefined): StoryListEntry {
  const { row } = item;
  return {
    id: row.id,
    headline: row.headline,
    status: row.status as ArticleStatus,
    section: { slug: item.section.slug, name: item.section.name },
    byline: item.authors.map((a) => a.name),
    lastChange: lastChangeOf(item, entry),
    scheduledAt: row.scheduled_at,
    publishedAt: row.published_at,
    publicPath: row.status === 'published' ? item.path : null,
  };
}

// --- the media library ----------------------------------------------------------------

const LibraryQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  missing: Type.Optional(Type.String({ maxLength: 10 })),
  done: Type.Optional(Type.String({ maxLength: 40 })),
});

/** Where a library form came from, to go back to it (hidden fields, all strings). */
const LibraryReturn = {
  page: Type.Optional(Type.String({ pattern: '^[0-9]{0,5}$' })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  missing: Type.Optional(Type.String({ maxLength: 10 })),
};

const MediaTextForm = Type.Object({
  alt: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.alt })),
  caption: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.caption })),
  credit: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.credit })),
  ...LibraryReturn,
});

const LibraryReturnForm = Type.Object(LibraryReturn);

function libraryView(q: { page?: number | string | undefined; q?: string | undefined; missing?: string | undefined }): LibraryView {
  const page = Number(q.page);
  return { page: Number.isInteger(page) && page >= 1 ? page : 1, q: q.q?.trim() ?? '', missingAlt: q.missing === 'alt' };
}

function libraryHref(view: LibraryView, page = view.page): string {
  const params = new URLSearchParams();
  if (view.q) params.set('q', view.q);
  if (view.missingAlt) params.set('missing', 'alt');
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/newsroom/media?${qs}` : '/newsroom/media';
}

/** The notices the library shows after an action (the `done` code of its redirect). */
function libraryNotice(done: string | undefined): string | null {
  const m = /^(uploaded|uploaded_noalt|saved|saved_noalt|deleted)-([0-9]{1,10})$/.exec(done ?? '');
  if (!m) return null;
  const id = m[2];
  switch (m[1]) {
    case 'uploaded': return `Image ${id} uploaded.`;
    case 'uploaded_noalt': return `Image ${id} uploaded. Write its alt text below: a story cannot be published with an image that has none.`;
    case 'saved': return `Image ${id} saved.`;
    case 'saved_noalt': return `Image ${id} saved. It still needs alt text before a story using it can be published.`;
    default: return `Image ${id} deleted.`;
  }
}

/** 303 back to the library page the form was on, with the notice code (and to the image, when there still is one). */
function backToLibrary(reply: FastifyReply, view: LibraryView, done: string, anchor?: string): FastifyReply {
  const url = libraryHref(view);
  const target = `${url}${url.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}${anchor ? `#${anchor}` : ''}`;
  return reply.code(303).header('Location', target).header('Cache-Control', 'no-store').send();
}

/** The smallest variant for the grid, all of them for `srcset`. */
function thumbOf(row: MediaRow): MediaCard['thumb'] {
  const variants = parseVariants(row);
  const webp = variants.filter((v) => v.format === 'webp');
  const pool = (webp.length ? webp : variants).slice().sort((a, b) => a.width - b.width);
  const smallest = pool[0];
  return {
    src: smallest ? variantUrl(smallest) : '',
    srcset: pool.map((v) => `${variantUrl(v)} ${v.width}w`).join(', '),
    width: smallest?.width ?? row.width,
    height: smallest?.height ?? row.height,
  };
}

/** The largest JPEG or PNG variant: the file someone downloading the image gets. */
function fileOf(row: MediaRow): MediaCard['file'] {
  const variants = parseVariants(row);
  const fallbacks = variants.filter((v) => v.format !== 'webp');
  const largest = (fallbacks.length ? fallbacks : variants).slice().sort((a, b) => b.width - a.width)[0];
  if (!largest) return { name: `image-${row.id}`, href: '#' };
  return { name: largest.path.split('/').pop() ?? largest.path, href: variantUrl(largest) };
}

/** What the upload form says when the service or the multipart reader refuses an upload. */
function uploadRefusal(err: AppError): string {
  if (err.code === 'empty_file' || err.code === 'file_required') return 'Choose an image file to upload.';
  return `The image was not uploaded. ${err.message}`;
}

/** Refusals of a form action that the library page shows in its own words; anything else goes to the error handler. */
function isRefusal(err: unknown): err is AppError {
  return err instanceof AppError && err.status < 500;
}

/**
 * The library's pages. Their own plugin, so the multipart parser they need
 * is registered for them alone.
 */
const mediaLibraryPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { media } = deps;
  const { limits } = media;
  await app.register(multipart, { limits: multipartLimits(limits) });

  /** Any staff member may open the library: the media API's own action for listing it. */
  const LIST_ACTION = NEWSROOM_EQUIVALENT['media.list'];

  async function renderLibrary(reply: FastifyReply, page: StaffPage, view: LibraryView, message: { notice?: string | null; error?: string | null; status?: number } = {}) {
    const { staff } = page;
    const { rows, total } = await media.list(staff, { q: view.q || undefined, missingAlt: view.missingAlt, page: view.page, limit: IMAGES_PER_PAGE });
    const names = await media.uploaderNames(staff, rows);
    const mayDelete = canMedia(staff, 'media.delete') === true;
    const items: MediaCard[] = rows.map((row) => ({
      id: row.id,
      thumb: thumbOf(row),
      file: fileOf(row),
      bytes: row.bytes,
      format: row.format,
      width: row.width,
      height: row.height,
      alt: row.alt,
      caption: row.caption,
      credit: row.credit,
      uploadedBy: row.uploaded_by !== null ? names.get(row.uploaded_by) ?? null : null,
      createdAt: row.created_at,
      canEdit: canMedia(staff, 'media.edit', { uploadedBy: row.uploaded_by }) === true,
      canDelete: mayDelete,
    }));
    const totalPages = Math.max(1, Math.ceil(total / IMAGES_PER_PAGE));
    return sendNewsroomPage(reply, page, {
      title: 'Media library',
      screen: 'media',
      notice: message.notice ?? null,
      error: message.error ?? null,
      children: (
        <MediaLibrary
          view={view}
          items={items}
          total={total}
          totalPages={totalPages}
          canUpload={canMedia(staff, 'media.upload') === true}
          maxBytes={limits.maxBytes}
          limits={TEXT_LIMITS}
          hrefForPage={(n) => libraryHref(view, n)}
          now={deps.now()}
        />
      ),
    }, message.status ?? 200);
  }

  app.get('/newsroom/media', { schema: { querystring: LibraryQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, LIST_ACTION);
    if (!page) return reply;
    return renderLibrary(reply, page, libraryView(req.query), { notice: libraryNotice(req.query.done) });
  });

  // The file is read only after the policy allowed the upload (staffPage throws first).
  app.post('/newsroom/media', async (req, reply) => {
    const page = await staffPage(deps, req, reply, LIST_ACTION);
    if (!page) return reply;
    let row: MediaRow;
    try {
      const { data, fields } = await readUpload(req, limits);
      row = await media.upload(page.staff, { data, ...fields });
    } catch (err) {
      if (!isRefusal(err)) throw err;
      return renderLibrary(reply, page, libraryView({}), { error: uploadRefusal(err), status: err.status });
    }
    return backToLibrary(reply, libraryView({}), `${row.alt ? 'uploaded' : 'uploaded_noalt'}-${row.id}`, `media-${row.id}`);
  });

  app.post('/newsroom/media/:id', { schema: { params: MediaIdParams, body: MediaTextForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, LIST_ACTION);
    if (!page) return reply;
    const view = libraryView(req.body);
    const { alt, caption, credit } = req.body;
    let row: MediaRow;
    try {
      row = await media.update(page.staff, req.params.id, { alt, caption, credit });
    } catch (err) {
      if (!isRefusal(err)) throw err;
      return renderLibrary(reply, page, view, { error: `Image ${req.params.id} was not changed. ${err.message}`, status: err.status });
    }
    return backToLibrary(reply, view, `${row.alt ? 'saved' : 'saved_noalt'}-${row.id}`, `media-${row.id}`);
  });

  app.post('/newsroom/media/:id/delete', { schema: { params: MediaIdParams, body: LibraryReturnForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, LIST_ACTION);
    if (!page) return reply;
    const view = libraryView(req.body ?? {});
    try {
      // The policy's refusal names publishing; say what it means for an image.
      if (canMedia(page.staff, 'media.delete') !== true) {
        throw new AppError(403, 'forbidden', 'Only editors and admins may delete images: a deleted image disappears from every story that shows it.');
      }
      await media.remove(page.staff, req.params.id);
    } catch (err) {
      if (!isRefusal(err)) throw err;
      return renderLibrary(reply, page, view, { error: `Image ${req.params.id} was not deleted. ${err.message}`, status: err.status });
    }
    return backToLibrary(reply, view, `deleted-${req.params.id}`);
  });
};

export const storiesPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { stories, taxonomy, now } = deps;

  app.get('/newsroom', { schema: { querystring: StoryListPageQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.list');
    if (!page) return reply;
    const { staff } = page;
    const filters = storyFilters(req.query);
    const pageNo = req.query.page ?? 1;
    const status: StatusFilter = filters.status;
    const [{ items, total }, sections, authors] = await Promise.all([
      stories.list(staff, {
        status: status === 'all' ? undefined : status,
        section: filters.section || undefined,
        author: filters.author || undefined,
        createdBy: filters.mine && staff.userId !== null ? staff.userId : undefined,
        q: filters.q || undefined,
        sort: filters.sort,
        order: filters.order,
        page: pageNo,
        limit: STORIES_PER_PAGE,
      }),
      taxonomy.sections(staff),
      taxonomy.authors(staff),
    ]);
    // Who changed each story last: one query for the whole page.
    const latest = await deps.audit.latestFor(items.map((i) => `article:${i.row.id}`));
    const bySubject = new Map(latest.map((e) => [e.subject, e]));
    const byId = new Map(sections.map((s) => [s.id, s]));
    // Subsections under their parents, as the site's navigation has them.
    const sectionOptions = sections
      .filter((s) => s.parent_id === null)
      .flatMap((parent) => [parent, ...sections.filter((c) => c.parent_id === parent.id)])
      .concat(sections.filter((s) => s.parent_id !== null && !byId.has(s.parent_id)))
      .map((s) => ({ value: s.slug, label: s.parent_id === null ? s.name : `— ${s.name}` }));
    const totalPages = Math.max(1, Math.ceil(total / STORIES_PER_PAGE));
    return sendNewsroomPage(reply, page, {
      title: 'Stories',
      screen: 'stories',
      notice: storyListNotice(req.query.done),
      children: (
        <StoryList
          filters={filters}
          sections={sectionOptions}
          authors={authors.map((a) => ({ value: a.slug, label: a.name }))}
          stories={items.map((i) => storyEntry(i, bySubject.get(`article:${i.row.id}`)))}
          page={pageNo}
          totalPages={totalPages}
          total={total}
          canCreate={can(staff, 'article.create') === true}
          seesAll={seesAllStories(staff)}
          hrefForPage={(n) => storyListHref(filters, n)}
          now={now()}
        />
      ),
    });
  });

  await app.register(mediaLibraryPages, { deps });
};
