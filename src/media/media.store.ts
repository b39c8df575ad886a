import { sql, type Kysely, type Insertable, type Updateable } from 'kysely';
import type { Database, MediaTable } from '../platform/db/types.js';
import type { MediaRow } from './media.model.js';

type DbOrTx = Kysely<Database>;

export interface MediaListQuery {
  /** Words looked for in the alt text and caption. */
  q?: string;
  /** Only images nobody has written alt text for yet. */
  missingAlt?: boolean;
  page: number;
  limit: number;
}

/** `%` and `_` in what someone typed are letters, not wildcards. */
const likePattern = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

export const mediaStore = {
  async insert(db: DbOrTx, row: Insertable<MediaTable>): Promise<number> {
    const r = await db.insertInto('media').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  findById(db: DbOrTx, id: number): Promise<MediaRow | undefined> {
    return db.selectFrom('media').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async list(db: DbOrTx, { q, missingAlt, page, limit }: MediaListQuery): Promise<{ rows: MediaRow[]; total: number }> {
    let query = db.selectFrom('media');
    if (missingAlt) query = query.where('alt', '=', '');
    const text = q?.trim();
    if (text) {
      const pattern = likePattern(text);
      // lower() on both sides: SQLite's LIKE ignores case, PostgreSQL's does not.
      query = query.where(sql<boolean>`(lower(alt) like ${pattern} escape '!' or lower(coalesce(caption, '')) like ${pattern} escape '!')`);
    }
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async update(db: DbOrTx, id: number, patch: Updateable<MediaTable>): Promise<void> {
    await db.updateTable('media').set(patch).where('id', '=', id).execute();
  },

  async delete(db: DbOrTx, id: number): Promise<void> {
    await db.deleteFrom('media').where('id', '=', id).execute();
  },

  /** Display names of the people who uploaded images, for the library's grid: one query for a page of images. */
  async uploaderNames(db: DbOrTx, userIds: number[]): Promise<Map<number, string>> {
    const ids = [...new Set(userIds)];
    if (!ids.length) return new Map();
    const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  },

  /**
   * The rows made from these uploads (a variant's file name starts with its
   * upload's `file_base`): one query for every library image a page shows.
   */
  async byFileBases(db: DbOrTx, fileBases: string[]): Promise<MediaRow[]> {
    const bases = [...new Set(fileBases)];
    if (!bases.length) return [];
    return db.selectFrom('media').selectAll().where('file_base', 'in', bases).orderBy('id').execute();
  },

  /** Other rows made from the same upload share its files. */
  async othersWithBase(db: DbOrTx, fileBase: string, exceptId: number): Promise<number> {
    const r = await db.selectFrom('media').select((eb) => eb.fn.countAll<number | string>().as('n')).where('file_base', '=', fileBase).where('id', '!=', exceptId).executeTakeFirstOrThrow();
    return Number(r.n);
  },
};
