/**
 * The discussion as views and presenters see it (no rows, no I/O), and its
 * spam and abuse rules as pure functions of the text and the settings.
 */
import type { CommentsMode, CommentStatus } from '../platform/db/types.js';
import type { Page } from '../content/content.model.js';
import { findLinks, normalizeCommentText } from './comment.sanitizer.js';

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

/**
 * The discussion's spam and abuse rules, as pure functions of the text and the
 * settings. The service applies them; they are unit-tested on their own.
 */
export interface CommentLimits {
  /** Least time between two comments of one reader; 0 turns the check off (tests). */
  minGapMs: number;
  /** Most characters (Unicode code points) in a comment. */
  maxLength: number;
  /** More links than this holds a comment for review. */
  maxLinks: number;
  /** The same text twice from one reader within this window is refused. */
  duplicateWindowMs: number;
  /** How long after posting its author may still edit a comment. */
  editWindowMs: number;
  /** Unresolved reports that hold an approved comment for review. */
  reportsToHold: number;
  /** Top-level threads per page. */
  pageSize: number;
  /** Most characters in a report's reason. */
  maxReportReason: number;
}

export const DEFAULT_LIMITS: CommentLimits = {
  minGapMs: 20_000,
  maxLength: 5_000,
  maxLinks: 3,
  duplicateWindowMs: 6 * 3600_000,
  editWindowMs: 15 * 60_000,
  reportsToHold: 3,
  pageSize: 20,
  maxReportReason: 500,
};

/** The site-wide settings under the `comments` key of site_settings. */
export interface CommentSettings {
  /** Mode of stories that have none of their own. */
  defaultMode: CommentsMode;
  /** Stories following the default close this many days after publication; 0 never. */
  closeAfterDays: number;
  /** Words and phrases that hold a comment for review (case-insensitive, whole words). */
  bannedWords: string[];
}

export const DEFAULT_BANNED_WORDS = ['viagra', 'cialis', 'casino bonus', 'payday loan', 'crypto giveaway'];

export const DEFAULT_SETTINGS: CommentSettings = { defaultMode: 'open', closeAfterDays: 30, bannedWords: DEFAULT_BANNED_WORDS };

const MODES: CommentsMode[] = ['open', 'closed', 'premoderated'];

/** Stored settings merged over the defaults; anything malformed falls back to its default. */
export function resolveSettings(stored: unknown): CommentSettings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const defaultMode = MODES.includes(s.defaultMode as CommentsMode) ? (s.defaultMode as CommentsMode) : DEFAULT_SETTINGS.defaultMode;
  const days = s.closeAfterDays;
  const closeAfterDays = typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : DEFAULT_SETTINGS.closeAfterDays;
  const bannedWords = Array.isArray(s.bannedWords)
    ? cleanWordList(s.bannedWords.filter((w): w is string => typeof w === 'string'))
    : DEFAULT_SETTINGS.bannedWords;
  return { defaultMode, closeAfterDays, bannedWords };
}

export function cleanWordList(words: string[]): string[] {
  const seen = new Set<string>();
  for (const w of words) {
    const word = w.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (word) seen.add(word);
  }
  return [...seen];
}

/**
 * The mode in force for a story. A story's own mode wins; one that follows the
 * site default closes `closeAfterDays` after publication (an editor who set a
 * story's mode explicitly has decided, so auto-close leaves it alone).
 */
export function effectiveMode(articleMode: CommentsMode | null, publishedAt: string | null, settings: CommentSettings, now: Date): CommentsMode {
  if (articleMode) return articleMode;
  if (settings.defaultMode !== 'closed' && settings.closeAfterDays > 0 && publishedAt) {
    const closesAt = Date.parse(publishedAt) + settings.closeAfterDays * 86_400_000;
    if (now.getTime() >= closesAt) return 'closed';
  }
  return settings.defaultMode;
}

export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export type LengthProblem = { kind: 'empty' } | { kind: 'too_long'; length: number; max: number } | null;

export function lengthProblem(text: string, max: number): LengthProblem {
  const normalized = normalizeCommentText(text);
  if (!normalized) return { kind: 'empty' };
  const length = characterCount(normalized);
  return length > max ? { kind: 'too_long', length, max } : null;
}

export function countLinks(text: string): number {
  return findLinks(text).length;
}

/** Banned words and phrases found in the text, as whole words: "spam" does not catch "spammer" nor "classic" "ass". */
export function bannedWordHits(text: string, words: string[]): string[] {
  const haystack = ` ${text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  const hits: string[] = [];
  for (const word of words) {
    const needle = word.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    if (needle && haystack.includes(` ${needle} `)) hits.push(word);
  }
  return hits;
}

/** Why a new or edited comment waits for a moderator, or [] when no rule caught it. */
export function holdReasons(text: string, settings: CommentSettings, limits: Pick<CommentLimits, 'maxLinks'>): string[] {
  const reasons: string[] = [];
  const links = countLinks(text);
  if (links > limits.maxLinks) reasons.push(`too many links (${links}; the limit is ${limits.maxLinks})`);
  const hits = bannedWordHits(text, settings.bannedWords);
  if (hits.length) reasons.push(`banned ${hits.length === 1 ? 'word' : 'words'}: ${hits.map((w) => `"${w}"`).join(', ')}`);
  return reasons;
}

/** Text compared for the duplicate rule: case, spacing and punctuation at the ends do not make a comment new. */
export function duplicateKey(text: string): string {
  return normalizeCommentText(text).normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '');
}

export function isDuplicate(text: string, recentBodies: string[]): boolean {
  const key = duplicateKey(text);
  return recentBodies.some((b) => duplicateKey(b) === key);
}
