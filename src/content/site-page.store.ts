import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SitePageSlug, SitePageTable } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export type SitePageRow = Selectable<SitePageTable>;

/** The organisation's pages (`site_pages`): one row per fixed slug, once saved. */
export const sitePageStore = {
  get(db: Conn, slug: SitePageSlug): Promise<SitePageRow | undefined> {
    return db.selectFrom('site_pages').selectAll().where('slug', '=', slug).executeTakeFirst();
  },

  all(db: Conn): Promise<SitePageRow[]> {
    return db.selectFrom('site_pages').selectAll().execute();
  },

  async save(db: Conn, row: SitePageRow): Promise<void> {
    const { slug: _slug, ...rest } = row;
    await db.insertInto('site_pages').values(row).onConflict((oc) => oc.column('slug').doUpdateSet(rest)).execute();
  },
};
