/** The discussion as views and presenters see it (no rows, no I/O). */
import type { CommentsMode, CommentStatus } from '../platform/db/types.js';
import type { Page } from '../content/content.model.js';

export type CommentSort = 'newest' | 'oldest';
export const COMMENT_SORTS: CommentSort[] = ['newest', 'oldest'];

export interface CommentAuthor {
  id: number;
  displayName: string;
}

/** A comment as every reader sees it. */
export interface PublicComment {
  id: number;
  articleId: number;
  parentId: number | null;
  /** null for a placeholder. */
  author: CommentAuthor | null;
  /** Sanitized HTML; '' for a placeholder. */
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  featured: boolean;
  /**
   * A top-level comment that is gone but still has visible replies is kept as a
   * placeholder: 'deleted' by its author, or 'removed' (rejected or held).
   */
  placeholder: 'deleted' | 'removed' | null;
}

export interface PublicThread extends PublicComment {
  /** Visible replies, oldest first. */
  replies: PublicComment[];
}

/** What the article page and the discussion pages show. */
export interface Discussion {
  articleId: number;
  mode: CommentsMode;
  /** Approved, not deleted comments, replies included (articles.comment_count). */
  count: number;
  sort: CommentSort;
  threads: Page<PublicThread>;
  /** Longest comment accepted, for the form's maxlength. */
  maxLength: number;
  /** How long authors may edit, for the client script's Edit button. */
  editWindowMs: number;
}

/** A comment as its author gets it back after posting or editing. */
export interface OwnComment extends PublicComment {
  status: CommentStatus;
  /** The text as written (to edit it). */
  body: string;
}

export type QueueFilter = 'queue' | 'pending' | 'held' | 'reported' | 'approved' | 'rejected';
export const QUEUE_FILTERS: QueueFilter[] = ['queue', 'pending', 'held', 'reported', 'approved', 'rejected'];

export interface QueueItem {
  id: number;
  parentId: number | null;
  article: { id: number; headline: string; path: string };
  author: { id: number; displayName: string; commentBanned: boolean; role: string } | null;
  body: string;
  bodyHtml: string;
  status: CommentStatus;
  heldReason: string | null;
  featured: boolean;
  reportCount: number;
  reports: Array<{ reason: string; createdAt: string; resolved: boolean }>;
  createdAt: string;
  editedAt: string | null;
}

export type ModerationAction = 'approve' | 'reject' | 'feature' | 'unfeature';
export const MODERATION_ACTIONS: ModerationAction[] = ['approve', 'reject', 'feature', 'unfeature'];

export const commentPaths = {
  /** Permalink: redirects to the page that shows the comment. */
  permalink: (id: number) => `/comments/${id}`,
  anchor: (id: number) => `comment-${id}`,
  /** The discussion on its own page (pagination and sorting without JavaScript); also where the form posts. */
  discussion: (articleId: number, opts: { page?: number; sort?: CommentSort } = {}) => {
    const q = new URLSearchParams();
    if (opts.page && opts.page > 1) q.set('page', String(opts.page));
    if (opts.sort && opts.sort !== 'newest') q.set('sort', opts.sort);
    const qs = q.toString();
    return `/articles/${articleId}/comments${qs ? `?${qs}` : ''}`;
  },
  signIn: (next: string) => `/signin?next=${encodeURIComponent(next)}`,
  moderation: (filter: QueueFilter = 'queue', page = 1) => {
    const q = new URLSearchParams();
    if (filter !== 'queue') q.set('status', filter);
    if (page > 1) q.set('page', String(page));
    const qs = q.toString();
    return `/newsroom/comments${qs ? `?${qs}` : ''}`;
  },
};
