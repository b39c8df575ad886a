import type { Kysely, Transaction } from 'kysely';
import type { Author, Database, NewAuthor } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export const authorStore = {
  bySlug(db: Conn, slug: string): Promise<Author | undefined> {
    return db.selectFrom('authors').selectAll().where('slug', '=', slug).executeTakeFirst();
  },

  bySlugs(db: Conn, slugs: string[]): Promise<Author[]> {
    if (!slugs.length) return Promise.resolve([]);
    return db.selectFrom('authors').selectAll().where('slug', 'in', slugs).execute();
  },

  async insert(db: Conn, author: NewAuthor): Promise<number> {
    const row = await db.insertInto('authors').values(author).returning('id').executeTakeFirstOrThrow();
    return row.id;
  },
};
