import type { Kysely, Transaction } from 'kysely';
import type { Database, NewSection, Section } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const sectionStore = {
  all(db: Conn): Promise<Section[]> {
    return db.selectFrom('sections').selectAll().orderBy('position').orderBy('id').execute();
  },

  bySlug(db: Conn, slug: string): Promise<Section | undefined> {
    return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
  },

  async insert(db: Conn, section: NewSection): Promise<number> {
    const row = await db.insertInto('sections').values(section).returning('id').executeTakeFirstOrThrow();
    return row.id;
  },
};
