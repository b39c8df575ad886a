/**
 * The newsroom's media library (/newsroom/media): the images, paged and
 * searchable, with plain POST forms to upload one, edit its alt text,
 * caption and credit, or delete it. Each answers 303 back to the library
 * page it came from (or that page again with what went wrong), so everything
 * works without JavaScript.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { sendNewsroomPage, staffPage, type StaffPage } from './staff-page.js';
import { MediaLibrary, type LibraryView, type MediaCard } from './views/media.js';
import { canMedia, NEWSROOM_EQUIVALENT } from '../media/media.policy.js';
import { parseVariants, type MediaRow } from '../media/media.model.js';
import { multipartLimits, readUpload } from '../media/upload.js';
import { MediaIdParams, TEXT_LIMITS } from '../media/media.schemas.js';
import { LibraryReturnForm, MediaTextForm } from './newsroom-forms.schemas.js';
import { variantUrl } from '../media/srcset.js';

/** Images on one page of the library. */
const IMAGES_PER_PAGE = 24;

const LibraryQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  missing: Type.Optional(Type.String({ maxLength: 10 })),
  done: Type.Optional(Type.String({ maxLength: 40 })),
});

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
export const mediaLibraryPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
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
    const view = libraryView(req.body);
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
