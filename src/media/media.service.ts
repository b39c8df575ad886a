/**
 * The media library: uploads become re-encoded variants on disk and one row
 * in `media`. Files are written before the row and removed again if the row
 * cannot be written, so a refused or failed upload leaves nothing behind.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { NotFoundError } from '../platform/errors.js';
import { authorize, type Actor } from '../accounts/staff.policy.js';
import { canMedia } from './media.policy.js';
import { mediaStore, type MediaListQuery } from './media.store.js';
import { parseVariants, type MediaLimits, type MediaRow, type MediaVariant } from './media.model.js';
import { processImage } from './image.js';
import { libraryImagesByUrl, uploadCandidates, type LibraryImage } from './srcset.js';

export interface MediaServiceDeps {
  db: Kysely<Database>;
  /** `<data>/media`: served at /media/; uploads go in its `uploads/` folder. */
  mediaDir: string;
  limits: MediaLimits;
  now: () => Date;
}

export interface UploadInput {
  data: Buffer;
  alt?: string;
  caption?: string;
  credit?: string;
}

export interface MediaText {
  alt?: string;
  caption?: string | null;
  credit?: string | null;
}

/** Folder (under the media folder) of the uploads; served at /media/uploads/. */
export const UPLOADS = 'uploads';

/** The media folder inside the app's data folder; served at /media/. */
export const mediaDirOf = (dataDir: string): string => path.join(dataDir, 'media');

const clean = (s: string | null | undefined) => {
  const t = s?.trim();
  return t ? t : null;
};

export function createMediaService(deps: MediaServiceDeps) {
  const { db, mediaDir, limits, now } = deps;
  const uploadsDir = path.join(mediaDir, UPLOADS);

  async function find(id: number): Promise<MediaRow> {
    const row = await mediaStore.findById(db, id);
    if (!row) throw new NotFoundError(`There is no image ${id} in the media library.`);
    return row;
  }

  /** Writes a file under its content-hashed name; one already there holds the same bytes. Returns whether it wrote it. */
  async function writeOnce(rel: string, data: Buffer): Promise<boolean> {
    const full = path.join(mediaDir, rel);
    // Names are made here from hex digits only, but a path must never leave the uploads folder.
    if (!full.startsWith(uploadsDir + path.sep)) throw new Error(`refusing to write outside the uploads folder: ${rel}`);
    await fs.mkdir(path.dirname(full), { recursive: true });
    try {
      await fs.access(full);
      return false;
    } catch { /* not there yet */ }
    // A dot file until complete: the file servers refuse dot files, so no one is served half an image.
    const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(tmp, data, { flag: 'wx' });
    await fs.rename(tmp, full);
    return true;
  }

  async function removeFiles(paths: string[]): Promise<void> {
    await Promise.all(paths.map((rel) => {
      const full = path.join(mediaDir, rel);
      return full.startsWith(uploadsDir + path.sep) ? fs.rm(full, { force: true }) : Promise.resolve();
    }));
  }

  return {
    /** What an upload may be: size, pixels per side, megapixels. */
    limits,
    /** `<data>/media`, served at /media/. */
    mediaDir,

    /**
     * Which of `urls` are library images, with their srcset and size, in one
     * query for them all (none when no URL looks like an upload): for pages
     * that show stories' hero and body images. Public data: no actor needed.
     */
    async libraryImages(urls: Iterable<string | null | undefined>): Promise<Map<string, LibraryImage>> {
      const candidates = uploadCandidates(urls);
      if (!candidates.size) return new Map();
      const rows = await mediaStore.byFileBases(db, [...candidates.values()]);
      return libraryImagesByUrl(candidates.keys(), rows);
    },

    find,

    async get(actor: Actor, id: number): Promise<MediaRow> {
      authorize(canMedia(actor, 'media.read'));
      return find(id);
    },

    async list(actor: Actor, query: MediaListQuery) {
      authorize(canMedia(actor, 'media.list'));
      return mediaStore.list(db, query);
    },

    /** Who uploaded these images, by user id (people since deleted are missing). */
    async uploaderNames(actor: Actor, rows: Array<Pick<MediaRow, 'uploaded_by'>>): Promise<Map<number, string>> {
      authorize(canMedia(actor, 'media.list'));
      return mediaStore.uploaderNames(db, rows.flatMap((r) => (r.uploaded_by === null ? [] : [r.uploaded_by])));
    },

    async upload(actor: Actor, input: UploadInput): Promise<MediaRow> {
      authorize(canMedia(actor, 'media.upload'));
      const image = await processImage(input.data, limits);
      const dir = `${UPLOADS}/${image.base.slice(0, 2)}`;
      const variants: MediaVariant[] = image.files.map((f) => ({ path: `${dir}/${f.name}`, width: f.width, height: f.height, format: f.format, bytes: f.data.length }));
      const written: string[] = [];
      try {
        for (const [i, f] of image.files.entries()) {
          if (await writeOnce(variants[i]!.path, f.data)) written.push(variants[i]!.path);
        }
        const at = now().toISOString();
        const id = await mediaStore.insert(db, {
          file_base: image.base, width: image.width, height: image.height, format: image.format, bytes: input.data.length,
          alt: clean(input.alt) ?? '', caption: clean(input.caption), credit: clean(input.credit),
          uploaded_by: actor.userId, created_at: at, updated_at: at, variants: JSON.stringify(variants),
        });
        return await find(id);
      } catch (err) {
        await removeFiles(written);
        throw err;
      }
    },

    async update(actor: Actor, id: number, text: MediaText): Promise<MediaRow> {
      authorize(canMedia(actor, 'media.edit'));
      const row = await find(id);
      authorize(canMedia(actor, 'media.edit', { uploadedBy: row.uploaded_by }));
      await mediaStore.update(db, id, {
        ...(text.alt !== undefined ? { alt: clean(text.alt) ?? '' } : {}),
        ...(text.caption !== undefined ? { caption: clean(text.caption) } : {}),
        ...(text.credit !== undefined ? { credit: clean(text.credit) } : {}),
        updated_at: now().toISOString(),
      });
      return find(id);
    },

    /** Deletes the row, then the files no other row shares. Stories still naming the image show a broken link. */
    async remove(actor: Actor, id: number): Promise<void> {
      authorize(canMedia(actor, 'media.delete'));
      const row = await find(id);
      await mediaStore.delete(db, id);
      if (await mediaStore.othersWithBase(db, row.file_base, id)) return;
      await removeFiles(parseVariants(row).map((v) => v.path));
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;
