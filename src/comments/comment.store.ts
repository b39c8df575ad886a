/**
 * The only place that runs SQL for the discussion. Every function takes the
 * database or a transaction first; the service owns transactions.
 *
 * Besides its own tables it touches the discussion's columns on other tables
 * (articles.comments_mode and comment_count, users.comment_banned_at) and reads
 * the few article and user fields a comment list shows.
 */
import { type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Comment, CommentStatus, Database, Role } from '../platform/db/types.js';
import type { CommentSort, QueueFilter } from './comment.model.js';

type Conn = Kysely<Database> | Transaction<Database>;
type C = ExpressionBuilder<Database & { c: Database['comments'] }, 'c'>;

export type CommentWithAuthor = Comment & { author_name: string | null };

export interface QueueRow extends Comment {
  author_name: string | null;
  author_role: Role | null;
  author_banned_at: string | null;
  headline: string;
  article_slug: string;
  section_slug: string;
}

/** A top-level comment shows as a thread when it is visible itself or has a visible reply (then as a placeholder). */
function isThread(eb: C) {
  return eb.and([
    eb('c.parent_id', 'is', null),
    eb.or([
      eb.and([eb('c.status', '=', 'approved'), eb('c.deleted_at', 'is', null)]),
      eb.exists(
        eb.selectFrom('comments as r')
          .select('r.id')
          .whereRef('r.parent_id', '=', 'c.id')
          .where('r.status', '=', 'approved')
          .where('r.deleted_at', 'is', null),
      ),
    ]),
  ]);
}

function queueCondition(eb: C, filter: QueueFilter) {
  const live = eb('c.deleted_at', 'is', null);
  switch (filter) {
    case 'pending':
      return eb.and([live, eb('c.status', '=', 'pending')]);
    case 'held':
      return eb.and([live, eb('c.status', '=', 'held')]);
    case 'reported':
      return eb.and([live, eb('c.report_count', '>', 0), eb('c.status', '!=', 'rejected')]);
    case 'approved':
      return eb.and([live, eb('c.status', '=', 'approved')]);
    case 'rejected':
      return eb('c.status', '=', 'rejected');
    case 'queue':
      return eb.and([
        live,
        eb.or([eb('c.status', 'in', ['pending', 'held']), eb.and([eb('c.status', '=', 'approved'), eb('c.report_count', '>', 0)])]),
      ]);
  }
}

const num = (v: unknown) => Number(v ?? 0);

export const commentStore = {
  /** A deleted account's comments lose their text and author (replies keep the thread's shape); its reports lose their author. */
  async anonymiseAuthor(db: Conn, userId: number, at: string): Promise<void> {
    await db.updateTable('comments').set({ body: '', body_html: '', deleted_at: at, user_id: null }).where('user_id', '=', userId).execute();
    await db.updateTable('comment_reports').set({ user_id: null }).where('user_id', '=', userId).execute();
  },

  /** The stories where a reader has a shown comment, by id. */
  async articlesCommentedBy(db: Conn, userId: number): Promise<number[]> {
    const rows = await db
      .selectFrom('comments')
      .select('article_id')
      .distinct()
      .where('user_id', '=', userId)
      .where('status', '=', 'approved')
      .where('deleted_at', 'is', null)
      .orderBy('article_id')
      .execute();
    return rows.map((r) => r.article_id);
  },

  /** How many approved, undeleted comments a story has (its shown comment count). */
  async countApproved(db: Conn, articleId: number): Promise<number> {
    const row = await db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('article_id', '=', articleId)
      .where('status', '=', 'approved')
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return num(row.n);
  },

  byId(db: Conn, id: number): Promise<Comment | undefined> {
    return db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  withAuthor(db: Conn, id: number): Promise<CommentWithAuthor | undefined> {
    return db
      .selectFrom('comments as c')
      .leftJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select('u.display_name as author_name')
      .where('c.id', '=', id)
      .executeTakeFirst();
  },

  async insert(db: Conn, row: {
    article_id: number; user_id: number; parent_id: number | null; body: string; body_html: string;
    status: CommentStatus; held_reason: string | null; created_at: string;
  }): Promise<number> {
    const r = await db.insertInto('comments').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  },

  update(db: Conn, id: number, set: Partial<Pick<Comment, 'body' | 'body_html' | 'status' | 'held_reason' | 'featured' | 'report_count' | 'edited_at' | 'deleted_at'>>) {
    return db.updateTable('comments').set(set).where('id', '=', id).execute();
  },

  /** Bodies of a reader's comments since `since` (not deleted), for the duplicate rule. */
  async recentBodies(db: Conn, userId: number, since: string): Promise<string[]> {
    const rows = await db
      .selectFrom('comments')
      .select('body')
      .where('user_id', '=', userId)
      .where('created_at', '>=', since)
      .where('deleted_at', 'is', null)
      .execute();
    return rows.map((r) => r.body);
  },

  async hasVisibleReplies(db: Conn, id: number): Promise<boolean> {
    const row = await db
      .selectFrom('comments')
      .select('id')
      .where('parent_id', '=', id)
      .where('status', '=', 'approved')
      .where('deleted_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return !!row;
  },

  async countThreads(db: Conn, articleId: number): Promise<number> {
    const row = await db
      .selectFrom('comments as c')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.article_id', '=', articleId)
      .where((eb) => isThread(eb))
      .executeTakeFirstOrThrow();
    return num(row.n);
  },

  /** Top-level threads: featured first, then by time. */
  threads(db: Conn, articleId: number, sort: CommentSort, limit: number, offset: number): Promise<CommentWithAuthor[]> {
    const dir = sort === 'newest' ? 'desc' : 'asc';
    return db
      .selectFrom('comments as c')
      .leftJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select('u.display_name as author_name')
      .where('c.article_id', '=', articleId)
      .where((eb) => isThread(eb))
      .orderBy('c.featured', 'desc')
      .orderBy('c.created_at', dir)
      .orderBy('c.id', dir)
      .limit(limit)
      .offset(offset)
      .execute();
  },

  /** Visible replies of the given threads, oldest first. */
  async replies(db: Conn, articleId: number, rootIds: number[]): Promise<CommentWithAuthor[]> {
    if (!rootIds.length) return [];
    return db
      .selectFrom('comments as c')
      .leftJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select('u.display_name as author_name')
      .where('c.article_id', '=', articleId)
      .where('c.parent_id', 'in', rootIds)
      .where('c.status', '=', 'approved')
      .where('c.deleted_at', 'is', null)
      .orderBy('c.created_at', 'asc')
      .orderBy('c.id', 'asc')
      .execute();
  },

  /** How many threads come before `root` in the default (newest first) order. */
  async threadsBefore(db: Conn, root: Comment): Promise<number> {
    const row = await db
      .selectFrom('comments as c')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('c.article_id', '=', root.article_id)
      .where((eb) => isThread(eb))
      .where((eb) =>
        eb.or([
          eb('c.featured', '>', root.featured),
          eb.and([
            eb('c.featured', '=', root.featured),
            eb.or([eb('c.created_at', '>', root.created_at), eb.and([eb('c.created_at', '=', root.created_at), eb('c.id', '>', root.id)])]),
          ]),
        ]),
      )
      .executeTakeFirstOrThrow();
    return num(row.n);
  },

  /** Adds one unresolved report and returns the new count (one statement, so concurrent reports all count). */
  async addReportCount(db: Conn, id: number): Promise<number> {
    const row = await db
      .updateTable('comments')
      .set((eb) => ({ report_count: eb('report_count', '+', 1) }))
      .where('id', '=', id)
      .returning('report_count')
      .executeTakeFirstOrThrow();
    return Number(row.report_count);
  },

  hasReport(db: Conn, commentId: number, userId: number) {
    return db.selectFrom('comment_reports').select('id').where('comment_id', '=', commentId).where('user_id', '=', userId).executeTakeFirst();
  },

  insertReport(db: Conn, row: { comment_id: number; user_id: number; reason: string; created_at: string }) {
    return db.insertInto('comment_reports').values(row).execute();
  },

  resolveReports(db: Conn, commentId: number, at: string) {
    return db.updateTable('comment_reports').set({ resolved_at: at }).where('comment_id', '=', commentId).where('resolved_at', 'is', null).execute();
  },

  async reportsFor(db: Conn, commentIds: number[]) {
    if (!commentIds.length) return [];
    return db
      .selectFrom('comment_reports')
      .select(['comment_id', 'reason', 'created_at', 'resolved_at'])
      .where('comment_id', 'in', commentIds)
      .orderBy('created_at', 'asc')
      .execute();
  },

  async countQueue(db: Conn, filter: QueueFilter): Promise<number> {
    const row = await db
      .selectFrom('comments as c')
      .select((eb) => eb.fn.countAll().as('n'))
      .where((eb) => queueCondition(eb, filter))
      .executeTakeFirstOrThrow();
    return num(row.n);
  },

  queue(db: Conn, filter: QueueFilter, limit: number, offset: number): Promise<QueueRow[]> {
    // What waits is worked through oldest first; what was decided is browsed newest first.
    const dir = filter === 'approved' || filter === 'rejected' ? 'desc' : 'asc';
    return db
      .selectFrom('comments as c')
      .innerJoin('articles as a', 'a.id', 'c.article_id')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .leftJoin('users as u', 'u.id', 'c.user_id')
      .selectAll('c')
      .select([
        'u.display_name as author_name', 'u.role as author_role', 'u.comment_banned_at as author_banned_at',
        'a.headline', 'a.slug as article_slug', 's.slug as section_slug',
      ])
      .where((eb) => queueCondition(eb, filter))
      .orderBy('c.created_at', dir)
      .orderBy('c.id', dir)
      .limit(limit)
      .offset(offset)
      .execute();
  },
};

/** Postgres and SQLite name a unique-constraint failure differently. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed/i.test(e.message);
}
