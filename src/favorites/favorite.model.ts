/**
 * The favorites rules that need no database: limits, how a merge is planned,
 * and where a form post may send the reader back to. Pure, unit-tested.
 */

import { isSitePath } from '../web/urls.js';

/** The most stories one reader may keep; beyond it a save is refused with 409. */
export const MAX_FAVORITES = 5000;
/** The most ids one merge (a device's local list) may carry. */
export const MAX_MERGE_IDS = 500;

export function limitMessage(max: number): string {
  return `You have saved ${max.toLocaleString('en-US')} stories, the most we keep. Remove some from your favorites to save more.`;
}

export interface MergeInput {
  /** Ids as the device sent them, oldest saved first. */
  requested: number[];
  /** Which of them are published stories. */
  published: ReadonlySet<number>;
  /** Which of them the reader has saved already. */
  alreadySaved: ReadonlySet<number>;
  /** How many favorites the reader has now. */
  count: number;
  max: number;
}

export interface MergePlan {
  /** Ids to save, oldest first. */
  toAdd: number[];
  alreadySaved: number[];
  /** Unknown or unpublished ids: not saved. */
  ignored: number[];
  /** Published ids left out because the reader reached the limit. */
  overLimit: number[];
}

/**
 * Which of a device's ids to save. Duplicates count once; unknown and
 * unpublished ids are ignored; when the limit would be passed, the most
 * recently saved ones (last in the list) are kept.
 */
export function planMerge({ requested, published, alreadySaved, count, max }: MergeInput): MergePlan {
  const unique = [...new Set(requested)];
  const ignored = unique.filter((id) => !published.has(id));
  const saved = unique.filter((id) => published.has(id) && alreadySaved.has(id));
  const fresh = unique.filter((id) => published.has(id) && !alreadySaved.has(id));
  const room = Math.max(0, max - count);
  const toAdd = room >= fresh.length ? fresh : fresh.slice(fresh.length - room);
  const overLimit = fresh.slice(0, fresh.length - toAdd.length);
  return { toAdd, alreadySaved: saved, ignored, overLimit };
}

/**
 * Times for ids saved together, one millisecond apart and ending at `now`, so
 * "newest saved first" keeps the order the device saved them in.
 */
export function staggeredTimes(n: number, now: Date): string[] {
  const end = now.getTime();
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i)).toISOString());
}

/**
 * Where a form post may send the reader back to: the `Referer` when it is a
 * page of this site (path and query only), otherwise null. Never another
 * origin and never a protocol-relative `//host` path.
 */
export function sameOriginReturnPath(referer: string | undefined, siteOrigin: string): string | null {
  if (!referer || referer.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.origin !== siteOrigin) return null;
  const path = url.pathname + url.search;
  return isSitePath(path) ? path : null;
}

/** The sign-in page, sending the reader on to `next` (a site path) afterwards. */
export function signinPath(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}
