import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface RevisionRow {
  id: number;
  article_id: number;
  author_id: number | null;
  author_name: string | null;
  token_id: number | null;
  created_at: string;
  snapshot: string;
  note: string | null;
}

function withAuthor(db: Conn) {
  return db
    .selectFrom('article_revisions')
    .leftJoin('users', 'users.id', 'article_revisions.author_id')
    .select([
      'article_revisions.id', 'article_revisions.article_id', 'article_revisions.author_id', 'users.display_name as author_name',
      'article_revisions.token_id', 'article_revisions.created_at', 'article_revisions.snapshot', 'article_revisions.note',
    ]);
}

/** Every save of a story, oldest first by id. */
export const revisionStore = {
  async insert(db: Conn, row: { article_id: number; author_id: number | null; token_id: number | null; created_at: string; snapshot: string; note: string | null }): Promise<number> {
    const { id } = await db.insertInto('article_revisions').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  list(db: Conn, articleId: number): Promise<RevisionRow[]> {
    return withAuthor(db).where('article_revisions.article_id', '=', articleId).orderBy('article_revisions.id', 'desc').execute();
  },

  get(db: Conn, articleId: number, id: number): Promise<RevisionRow | undefined> {
    return withAuthor(db).where('article_revisions.article_id', '=', articleId).where('article_revisions.id', '=', id).executeTakeFirst();
  },

  latest(db: Conn, articleId: number): Promise<RevisionRow | undefined> {
    return withAuthor(db).where('article_revisions.article_id', '=', articleId).orderBy('article_revisions.id', 'desc').limit(1).executeTakeFirst();
  },
};
