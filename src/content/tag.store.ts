import type { Kysely, Transaction } from 'kysely';
import type { Database, NewTag, Tag } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const tagStore = {
  bySlug(db: Conn, slug: string): Promise<Tag | undefined> {
    return db.selectFrom('tags').selectAll().where('slug', '=', slug).executeTakeFirst();
  },

  bySlugs(db: Conn, slugs: string[]): Promise<Tag[]> {
    if (!slugs.length) return Promise.resolve([]);
    return db.selectFrom('tags').selectAll().where('slug', 'in', slugs).execute();
  },

  specialCoverage(db: Conn): Promise<Tag[]> {
    return db.selectFrom('tags').selectAll().where('special_coverage', '=', 1).orderBy('id').execute();
  },

  async insert(db: Conn, tag: NewTag): Promise<number> {
    const row = await db.insertInto('tags').values(tag).returning('id').executeTakeFirstOrThrow();
    return row.id;
  },
};
