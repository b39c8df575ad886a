/**
 * The discussion's rules and transactions. Routes hand it the signed-in actor
 * and the input; it checks the policy and the spam rules, writes in one
 * transaction (the comment and the story's comment_count together), and only
 * after the commit tells the event bus, so caches purge what readers now see.
 * Every refusal is thrown before anything is written.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Comment, CommentsMode, Database } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import { readSetting, writeSetting } from '../content/settings.service.js';
import { paths, type Page } from '../content/content.model.js';
import { commentStore, isUniqueViolation, type CommentWithAuthor, type QueueRow } from './comment.store.js';
import { articleForComments, recountComments, setCommentsMode, type ArticleForComments } from '../content/discussion.service.js';
import { readerForModeration, setCommentBan } from '../accounts/comment-ban.service.js';
import { normalizeCommentText, renderCommentHtml } from './comment.sanitizer.js';
import {
  DEFAULT_LIMITS, cleanWordList, effectiveMode, holdReasons, isDuplicate, lengthProblem, resolveSettings,
  type CommentLimits, type CommentSettings,
} from './comment.model.js';
import {
  authorize, canBan, canDelete, canEdit, canManageSettings, canModerate, canPost, canReport, canSetArticleMode,
  needsPremoderation, type Actor, type CommentFacts, type Moderator,
} from './comment.policy.js';
import { createGapLimiter, type GapLimiter } from './comment.gap.js';
import type { RateLimiters } from '../platform/rate-limit.js';
import { audit } from '../audit/audit.service.js';
import type {
  CommentSort, Discussion, ModerationAction, OwnComment, PublicComment, PublicThread, QueueFilter, QueueItem,
} from './comment.model.js';
import { isId } from '../platform/input.js';

export const SETTINGS_KEY = 'comments';

export class RateLimitedError extends AppError {
  constructor(public readonly retryAfterSeconds: number) {
    super(429, 'too_many_comments', `Please wait ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'} before posting another comment. Nothing was posted.`);
  }
}

export interface CommentsDeps {
  db: Kysely<Database>;
  events: EventBus;
  now?: () => Date;
  /** The platform's rate limiters (Redis when configured); the gap between a reader's comments is kept there. */
  limiters?: RateLimiters | undefined;
  limits?: Partial<CommentLimits>;
  onError?: ((err: unknown) => void) | undefined;
  /** Tells of every purge applied in this process (its own and other processes'): the discussion's settings are kept until one names `comments`. */
  onPurge?: ((listener: (keys: string[]) => void) => void) | undefined;
}

export interface ModerationResult {
  id: number;
  articleId: number;
  status: Comment['status'];
  featured: boolean;
  heldReason: string | null;
  reportCount: number;
}

export type CommentsService = ReturnType<typeof createCommentsService>;

/** The moderator as the newsroom's audit log records them (moderation is a staff action). */
function moderator(actor: Moderator, from: { ip?: string | null }) {
  return { role: actor.role, userId: actor.id, tokenId: actor.tokenId ?? null, ip: from.ip ?? null };
}

/** Sets the story's shown comment count from the comments themselves, so it can never drift. */
async function recount(trx: Transaction<Database>, articleId: number): Promise<void> {
  await recountComments(trx, articleId, () => commentStore.countApproved(trx, articleId));
}

export function createCommentsService(deps: CommentsDeps) {
  const { db, events } = deps;
  const now = deps.now ?? (() => new Date());
  /** Mutable on purpose: an operator's override, and tests turn the gap off (minGapMs = 0). */
  const limits: CommentLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  // A deleted account's comments go, and so do they from their stories' counts (locked in id order, so two deletions cannot deadlock).
  events.onInTransaction('account.deleted', async ({ userId, trx, afterCommit }) => {
    const articleIds = await commentStore.articlesCommentedBy(trx, userId);
    await commentStore.anonymiseAuthor(trx, userId, now().toISOString());
    for (const articleId of articleIds) await recount(trx, articleId);
    if (articleIds.length) afterCommit(() => events.emit('content.changed', { keys: articleIds.flatMap(articleKey) }));
  });
  const gap: GapLimiter = createGapLimiter({ limiters: deps.limiters, onError: deps.onError });

  const articleKey = (articleId: number) => [`article:${articleId}`];

  async function settings(): Promise<CommentSettings> {
    return resolveSettings(await readSetting<unknown>(db, SETTINGS_KEY));
  }

  /**
   * The settings as every article page shows them (whether its discussion is open),
   * read once per change: a change of what pages show purges `comments` (below), in
   * every process. Posting and moderation read them fresh.
   */
  let shown: Promise<CommentSettings> | null = null;
  function shownSettings(): Promise<CommentSettings> {
    if (shown) return shown;
    const p = settings();
    shown = p;
    p.catch(() => {
      if (shown === p) shown = null;
    });
    return p;
  }
  deps.onPurge?.((keys) => {
    if (keys.includes('comments')) shown = null;
  });

  function isPublic(a: ArticleForComments | undefined): a is ArticleForComments {
    return !!a && a.status === 'published' && !!a.published_at && a.published_at <= now().toISOString();
  }

  async function publicArticle(articleId: number): Promise<ArticleForComments> {
    const a = await articleForComments(db, articleId);
    if (!isPublic(a)) throw new NotFoundError('We could not find that story. It may have been moved or taken down.');
    return a;
  }

  function modeOf(a: ArticleForComments, s: CommentSettings): CommentsMode {
    return effectiveMode(a.comments_mode, a.published_at, s, now());
  }

  function facts(c: Comment): CommentFacts {
    return { userId: c.user_id, status: c.status, createdAt: c.created_at, deletedAt: c.deleted_at };
  }

  async function comment(id: number): Promise<Comment> {
    const c = await commentStore.byId(db, id);
    if (!c) throw new NotFoundError('There is no such comment.');
    return c;
  }

  function checkLength(text: string): void {
    const problem = lengthProblem(text, limits.maxLength);
    if (!problem) return;
    if (problem.kind === 'empty') throw new AppError(400, 'comment_empty', 'Your comment is empty. Write something first.');
    throw new AppError(
      400, 'comment_too_long',
      `Your comment is ${problem.length.toLocaleString('en')} characters long; the limit is ${problem.max.toLocaleString('en')}. Please shorten it. Nothing was posted.`,
    );
  }

  async function emit(kind: 'comment.published' | 'comment.removed', c: { id: number; article_id: number }) {
    await events.emit(kind, { commentId: c.id, articleId: c.article_id, keys: articleKey(c.article_id) });
  }

  async function discussionOf(a: ArticleForComments, s: CommentSettings, sort: CommentSort, pageNo: number): Promise<Discussion> {
    const pageSize = limits.pageSize;
    const roots = await commentStore.threads(db, a.id, sort, pageSize, (pageNo - 1) * pageSize);
    // A first page that is not full is every thread there is: no need to count them.
    const total = pageNo === 1 && roots.length < pageSize ? roots.length : await commentStore.countThreads(db, a.id);
    const totalPages = Math.max(1, Math.ceil(total / pageSize));
    if (pageNo > 1 && pageNo > totalPages) throw new NotFoundError(`There is no page ${pageNo} of comments; the last page is ${totalPages}.`);
    const replies = await commentStore.replies(db, a.id, roots.map((r) => r.id));
    const byParent = new Map<number, PublicComment[]>();
    for (const r of replies) {
      const list = byParent.get(r.parent_id!) ?? [];
      list.push(presentPublic(r));
      byParent.set(r.parent_id!, list);
    }
    const threads: PublicThread[] = roots.map((r) => ({ ...presentPublic(r), replies: byParent.get(r.id) ?? [] }));
    const page: Page<PublicThread> = { items: threads, page: pageNo, pageSize, total, totalPages };
    return { articleId: a.id, mode: modeOf(a, s), count: Number(a.comment_count), sort, threads: page, maxLength: limits.maxLength, editWindowMs: limits.editWindowMs };
  }

  return {
    limits,

    settings,

    /**
     * The first (or given) page of a published story's discussion; NotFoundError for anything else.
     * `story`: what the caller has just read of the story (the article page, from content), not read again.
     */
    async discussion(articleId: number, opts: { sort?: CommentSort; page?: number } = {}, story?: ArticleForComments): Promise<Discussion> {
      const [a, s] = await Promise.all([story && story.id === articleId && isPublic(story) ? story : publicArticle(articleId), shownSettings()]);
      return discussionOf(a, s, opts.sort ?? 'newest', opts.page ?? 1);
    },

    async post(actor: Actor, articleId: number, input: { body: string; parentId?: number | null | undefined }): Promise<OwnComment> {
      const [a, s] = await Promise.all([publicArticle(articleId), settings()]);
      const mode = modeOf(a, s);
      authorize(canPost(actor, mode));
      checkLength(input.body);
      const text = normalizeCommentText(input.body);

      // Threads are two levels deep: a reply to a reply joins the thread of the top-level comment.
      let parentId: number | null = null;
      if (input.parentId) {
        // An id past any the table can hold names no comment (and PostgreSQL would refuse to look).
        const parent = isId(input.parentId) ? await commentStore.byId(db, input.parentId) : undefined;
        if (!parent || parent.article_id !== a.id || parent.status !== 'approved' || parent.deleted_at) {
          throw new NotFoundError('The comment you are replying to is not available any more. Nothing was posted.');
        }
        parentId = parent.parent_id ?? parent.id;
      }

      const at = now();
      const since = new Date(at.getTime() - limits.duplicateWindowMs).toISOString();
      if (isDuplicate(text, await commentStore.recentBodies(db, actor.id, since))) {
        throw new AppError(409, 'duplicate_comment', 'You already posted this comment. Nothing was posted again.');
      }

      const reasons = holdReasons(text, s, limits);
      const status = reasons.length ? 'held' : needsPremoderation(actor, mode) ? 'pending' : 'approved';

      const waitMs = await gap.take(actor.id, limits.minGapMs);
      if (waitMs > 0) throw new RateLimitedError(Math.ceil(waitMs / 1000));

      let id: number;
      try {
        id = await db.transaction().execute(async (trx) => {
          const newId = await commentStore.insert(trx, {
            article_id: a.id, user_id: actor.id, parent_id: parentId, body: text, body_html: renderCommentHtml(text),
            status, held_reason: reasons.length ? reasons.join('; ') : null, created_at: at.toISOString(),
          });
          if (status === 'approved') await recount(trx, a.id);
          return newId;
        });
      } catch (err) {
        await gap.release(actor.id);
        throw err;
      }
      const row = (await commentStore.withAuthor(db, id))!;
      if (status === 'approved') await emit('comment.published', row);
      return presentOwn(row);
    },

    /** The author edits the text within the edit window; the comment is marked edited. */
    async edit(actor: Actor, id: number, body: string): Promise<OwnComment> {
      const c = await comment(id);
      const [a, s] = await Promise.all([articleForComments(db, c.article_id), settings()]);
      if (!isPublic(a)) throw new NotFoundError('There is no such comment.');
      authorize(canEdit(actor, facts(c), modeOf(a, s), now(), limits.editWindowMs));
      checkLength(body);
      const text = normalizeCommentText(body);
      if (text === c.body) return presentOwn((await commentStore.withAuthor(db, id))!);

      // New text faces the hold rules again; a held or pending comment stays with the moderators.
      const reasons = holdReasons(text, s, limits);
      const status = reasons.length && c.status === 'approved' ? 'held' : c.status;
      const heldReason = reasons.length ? reasons.join('; ') : c.held_reason;
      await db.transaction().execute(async (trx) => {
        await commentStore.update(trx, id, {
          body: text, body_html: renderCommentHtml(text), edited_at: now().toISOString(), status, held_reason: status === 'approved' ? null : heldReason,
        });
        if (c.status === 'approved') await recount(trx, c.article_id);
      });
      if (c.status === 'approved') await emit(status === 'approved' ? 'comment.published' : 'comment.removed', c);
      return presentOwn((await commentStore.withAuthor(db, id))!);
    },

    /** Deletes a comment (its author or a moderator). With visible replies it stays as "Comment deleted". */
    async remove(actor: Actor, id: number): Promise<void> {
      const c = await comment(id);
      authorize(canDelete(actor, facts(c)));
      await db.transaction().execute(async (trx) => {
        // The text goes: a deleted comment keeps only its place in the thread.
        await commentStore.update(trx, id, { deleted_at: now().toISOString(), body: '', body_html: '', featured: 0 });
        await recount(trx, c.article_id);
      });
      await emit('comment.removed', c);
    },

    /** One report per reader per comment; enough unresolved reports hold the comment for review. */
    async report(actor: Actor, id: number, reason: string): Promise<{ held: boolean }> {
      const c = await comment(id);
      authorize(canReport(actor, facts(c)));
      const text = normalizeCommentText(reason).replace(/\s+/g, ' ');
      if (!text) throw new AppError(400, 'report_reason_missing', 'Please say what is wrong with this comment. Nothing was reported.');
      if (text.length > limits.maxReportReason) {
        throw new ValidationError(`Please keep the reason under ${limits.maxReportReason} characters. Nothing was reported.`);
      }
      const already = 'You already reported this comment. Thank you: a moderator will look at it.';
      let held = false;
      try {
        await db.transaction().execute(async (trx) => {
          if (await commentStore.hasReport(trx, id, actor.id)) throw new AppError(409, 'already_reported', already);
          await commentStore.insertReport(trx, { comment_id: id, user_id: actor.id, reason: text, created_at: now().toISOString() });
          const reports = await commentStore.addReportCount(trx, id);
          held = reports >= limits.reportsToHold;
          if (held) {
            await commentStore.update(trx, id, { status: 'held', held_reason: `reported by ${reports} readers` });
            await recount(trx, c.article_id);
          }
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new AppError(409, 'already_reported', already);
        throw err;
      }
      if (held) await emit('comment.removed', c);
      return { held };
    },

    /** Where a visible comment is shown: its story and the page of the discussion (newest first). */
    async locate(id: number): Promise<{ articleId: number; page: number }> {
      const c = await commentStore.byId(db, id);
      const gone = () => new NotFoundError('That comment is not shown: it may be awaiting moderation, or it was removed.');
      if (!c || c.status !== 'approved' || c.deleted_at) throw gone();
      if (!isPublic(await articleForComments(db, c.article_id))) throw gone();
      const root = c.parent_id ? await commentStore.byId(db, c.parent_id) : c;
      if (!root) throw gone();
      const before = await commentStore.threadsBefore(db, root);
      return { articleId: c.article_id, page: Math.floor(before / limits.pageSize) + 1 };
    },

    // --- moderation ---------------------------------------------------------

    async queue(actor: Moderator | null, filter: QueueFilter, pageNo: number, pageSize: number): Promise<Page<QueueItem>> {
      authorize(canModerate(actor));
      const [total, rows] = await Promise.all([
        commentStore.countQueue(db, filter),
        commentStore.queue(db, filter, pageSize, (pageNo - 1) * pageSize),
      ]);
      const reports = await commentStore.reportsFor(db, rows.map((r) => r.id));
      const items = rows.map((r) => presentQueueItem(r, reports.filter((x) => x.comment_id === r.id)));
      return { items, page: pageNo, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    /** `from.ip`, when the caller passes it, goes into the audit entry. */
    async moderate(actor: Moderator | null, id: number, action: ModerationAction, from: { ip?: string | null } = {}): Promise<ModerationResult> {
      authorize(canModerate(actor));
      const c = await comment(id);
      if (c.deleted_at) throw new ConflictError('Its author deleted this comment; there is nothing to moderate.');
      if (action === 'feature' && c.status !== 'approved') throw new ConflictError('Only an approved comment can be featured. Approve it first.');
      const at = now().toISOString();
      const wasVisible = c.status === 'approved';
      await db.transaction().execute(async (trx) => {
        if (action === 'approve' || action === 'reject') {
          await commentStore.update(trx, id, {
            status: action === 'approve' ? 'approved' : 'rejected', held_reason: null, report_count: 0,
            ...(action === 'reject' ? { featured: 0 } : {}),
          });
          await commentStore.resolveReports(trx, id, at);
          await recount(trx, c.article_id);
        } else {
          await commentStore.update(trx, id, { featured: action === 'feature' ? 1 : 0 });
        }
        await audit(trx, moderator(actor!, from), new Date(at), `comment.${action}`, `comment:${id}`, { article: c.article_id, from: c.status });
      });
      const after = (await commentStore.byId(db, id))!;
      if (after.status === 'approved') await emit('comment.published', after);
      else if (wasVisible) await emit('comment.removed', after);
      return {
        id, articleId: after.article_id, status: after.status, featured: after.featured === 1, heldReason: after.held_reason, reportCount: after.report_count,
      };
    },

    async setCommentBan(actor: Moderator | null, userId: number, banned: boolean, from: { ip?: string | null } = {}): Promise<{ id: number; displayName: string; commentBanned: boolean }> {
      authorize(canModerate(actor));
      const target = await readerForModeration(db, userId);
      if (!target) throw new NotFoundError('There is no such user.');
      authorize(canBan(actor, target));
      const at = now().toISOString();
      if (banned !== (target.comment_banned_at !== null)) {
        await db.transaction().execute(async (trx) => {
          await setCommentBan(trx, userId, banned ? at : null, at);
          await audit(trx, moderator(actor!, from), new Date(at), banned ? 'comment.ban' : 'comment.unban', `user:${userId}`, { name: target.display_name });
        });
      }
      return { id: target.id, displayName: target.display_name, commentBanned: banned };
    },

    async setArticleMode(actor: Moderator | null, articleId: number, mode: CommentsMode | null): Promise<{ articleId: number; mode: CommentsMode | null; effectiveMode: CommentsMode }> {
      authorize(canSetArticleMode(actor));
      const a = await articleForComments(db, articleId);
      if (!a) throw new NotFoundError(`There is no article ${articleId}.`);
      await setCommentsMode(db, articleId, mode);
      await events.emit('content.changed', { keys: articleKey(articleId) });
      return { articleId, mode, effectiveMode: modeOf({ ...a, comments_mode: mode }, await settings()) };
    },

    async getSettings(actor: Moderator | null): Promise<CommentSettings> {
      authorize(canManageSettings(actor));
      return settings();
    },

    /** `from.ip`, when the caller passes it, goes into the audit entry (written only when something changed). */
    async updateSettings(actor: Moderator | null, patch: Partial<CommentSettings>, from: { ip?: string | null } = {}): Promise<CommentSettings> {
      authorize(canManageSettings(actor));
      const { before, next } = await db.transaction().execute(async (trx) => {
        const before = resolveSettings(await readSetting<unknown>(trx, SETTINGS_KEY));
        const next: CommentSettings = {
          defaultMode: patch.defaultMode ?? before.defaultMode,
          closeAfterDays: patch.closeAfterDays ?? before.closeAfterDays,
          bannedWords: patch.bannedWords ? cleanWordList(patch.bannedWords) : before.bannedWords,
        };
        await writeSetting(trx, SETTINGS_KEY, next);
        // What changed, for the audit log: each setting's old and new value; banned words as those added and removed.
        const changes: Record<string, unknown> = {};
        if (next.defaultMode !== before.defaultMode) changes.defaultMode = { from: before.defaultMode, to: next.defaultMode };
        if (next.closeAfterDays !== before.closeAfterDays) changes.closeAfterDays = { from: before.closeAfterDays, to: next.closeAfterDays };
        const added = next.bannedWords.filter((w) => !before.bannedWords.includes(w));
        const removed = before.bannedWords.filter((w) => !next.bannedWords.includes(w));
        if (added.length || removed.length) changes.bannedWords = { added, removed };
        if (Object.keys(changes).length) await audit(trx, moderator(actor!, from), now(), 'settings.comments', `settings:${SETTINGS_KEY}`, changes);
        return { before, next };
      });
      // Whether stories are open shows on every article page and in the comments API.
      if (next.defaultMode !== before.defaultMode || next.closeAfterDays !== before.closeAfterDays) {
        await events.emit('content.changed', { keys: ['chrome', 'comments'] });
      }
      return next;
    },
  };
}

function presentPublic(r: CommentWithAuthor): PublicComment {
  const placeholder = r.deleted_at ? 'deleted' : r.status !== 'approved' ? 'removed' : null;
  return {
    id: r.id,
    articleId: r.article_id,
    parentId: r.parent_id,
    author: placeholder || r.user_id === null ? null : { id: r.user_id, displayName: r.author_name ?? 'Former reader' },
    bodyHtml: placeholder ? '' : r.body_html,
    createdAt: r.created_at,
    editedAt: placeholder ? null : r.edited_at,
    featured: !placeholder && r.featured === 1,
    placeholder,
  };
}

function presentOwn(r: CommentWithAuthor): OwnComment {
  return {
    ...presentPublic({ ...r, status: 'approved' }),
    status: r.status,
    body: r.body,
  };
}

function presentQueueItem(r: QueueRow, reports: Array<{ reason: string; created_at: string; resolved_at: string | null }>): QueueItem {
  return {
    id: r.id,
    parentId: r.parent_id,
    article: { id: r.article_id, headline: r.headline, path: paths.article(r.section_slug, r.article_id, r.article_slug) },
    author: r.user_id === null
      ? null
      : { id: r.user_id, displayName: r.author_name ?? 'Former reader', commentBanned: r.author_banned_at !== null, role: r.author_role ?? 'reader' },
    body: r.body,
    bodyHtml: r.body_html,
    status: r.status,
    heldReason: r.held_reason,
    featured: r.featured === 1,
    reportCount: r.report_count,
    reports: reports.map((x) => ({ reason: x.reason, createdAt: x.created_at, resolved: x.resolved_at !== null })),
    createdAt: r.created_at,
    editedAt: r.edited_at,
  };
}
