/**
 * Live coverage as readers see it: the stream of short posts of a live
 * story, its pinned post and its key events, plus the pure rules the service
 * and the pages share (permalinks, pages, the cache key).
 */
import type { LivePostKind } from '../platform/db/types.js';
import type { ArticleSummary } from './content.model.js';

export const LIVE_POST_KINDS: readonly LivePostKind[] = ['text', 'image', 'embed', 'quote'];

/** Posts per page of the stream (without JavaScript the page is paginated by `?before=<post id>`). */
export const LIVE_PAGE_SIZE = 20;
/** Key events shown in the timeline. */
export const KEY_EVENTS_SHOWN = 12;
/** How long a shared cache may keep the updates endpoint (it is purged on every post as well). */
export const LIVE_UPDATES_S_MAXAGE = 5;

/** Surrogate key of everything showing a live story's stream: the page, its older pages and the updates endpoint. */
export const liveKey = (articleId: number): string => `live:${articleId}`;
/** Anchor of one post: `#post-42`. */
export const postAnchor = (id: number): string => `post-${id}`;

export interface LivePost {
  id: number;
  kind: LivePostKind;
  /** Safe HTML rendered from the post's body document. */
  html: string;
  /** Plain text of the body (JSON-LD, the timeline's fallback title). */
  text: string;
  /** The Markdown it was written in (for the newsroom's edit form). */
  markdown: string;
  author: string | null;
  createdAt: string;
  editedAt: string | null;
  pinned: boolean;
  keyEvent: { title: string } | null;
  image: { url: string; alt: string } | null;
  embed: { url: string; title: string; description: string | null; site: string } | null;
  /** Who said it, for a quote. */
  attribution: string | null;
}

export interface KeyEvent {
  postId: number;
  title: string;
  at: string;
}

export interface LiveCoverage {
  articleId: number;
  startedAt: string;
  endedAt: string | null;
  /** Bumped by every change of the stream. */
  revision: number;
}

/** One page of a live story's stream, with what sits above it. */
export interface LiveStream {
  coverage: LiveCoverage;
  pinned: LivePost | null;
  keyEvents: KeyEvent[];
  /** Newest first. */
  posts: LivePost[];
  /** The `before` this page was asked for (none: the first page, the one that updates itself). */
  before: number | null;
  /** `?before=` of the next (older) page, when there is one. */
  olderBefore: number | null;
  /** Visible posts in the stream (the pinned one apart). */
  total: number;
}

/**
 * Where a post can be read: on the first page as `#post-N`, otherwise on the
 * page that starts with it. Stable while the stream grows, unlike `?page=N`.
 */
export function postHref(articlePath: string, postId: number, onThisPage: boolean): string {
  return onThisPage ? `#${postAnchor(postId)}` : `${articlePath}?before=${postId + 1}#${postAnchor(postId)}`;
}

/** Copies of `articles` with the running live stories marked (the originals are left as they are). */
export function markLive<T extends ArticleSummary>(running: ReadonlySet<number>, articles: T[]): T[] {
  if (!running.size) return articles;
  return articles.map((a) => (running.has(a.id) ? { ...a, live: true } : a));
}
