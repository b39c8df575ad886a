/**
 * Most read: counts a story's readers from the article page's beacon (never
 * from the page request, so pages stay cacheable), each reader once per story
 * per UTC day, by a salted hash of address and user agent: no cookie, no
 * third party, no address stored. In the database by default, in Redis when
 * REDIS_URL is set; either way every app process shares the figures.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import type { ContentService } from '../content/content.service.js';
import type { ArticleSummary } from '../content/content.model.js';
import { databaseReadCounter } from './read-counter.js';
import { redisReadCounter } from './read-counter.redis.js';
import { dayOf, hourOf, isLikelyBot, newSalt, readerHash, windowHours } from './reader-hash.js';

/** Hourly counts kept in the database (the newsroom shows 24 hours; a week leaves room for more). */
const KEEP_HOURS = 7 * 24;
/** How long this process trusts that a story is published before asking again. */
const PUBLISHED_TTL_MS = 60_000;
const PUBLISHED_MAX = 10_000;

export interface ReadershipDeps {
  db: Kysely<Database>;
  now: () => Date;
  content: Pick<ContentService, 'publishedSummaries'>;
  /** Count in Redis (shared by every process) rather than in the database. */
  redis?: { url: string; prefix: string };
  onError: (err: unknown) => void;
}

export type ReadOutcome = 'counted' | 'repeat' | 'ignored' | 'not_found';

export interface MostReadItem {
  article: ArticleSummary;
  reads: number;
}

export type ReadershipService = ReturnType<typeof createReadershipService>;

export function createReadershipService({ db, now, content, redis, onError }: ReadershipDeps) {
  const counter = redis ? redisReadCounter(redis.url, redis.prefix, onError) : databaseReadCounter(db, now);
  // This process's copy of the day's salt; the shared one is in the database or Redis.
  let daySalt: { day: string; salt: string } | null = null;
  const published = new Map<number, number>();
  const inflight = new Map<number, Promise<MostReadItem[]>>();

  async function saltOf(day: string): Promise<string> {
    if (daySalt?.day === day) return daySalt.salt;
    const { salt, created } = await counter.salt(day, newSalt());
    // The process that made the day's salt forgets the days before: their salts and hashed readers.
    if (created) await counter.prune(day, hourOf(new Date(now().getTime() - KEEP_HOURS * 3600_000)));
    daySalt = { day, salt };
    return salt;
  }

  async function isPublished(id: number): Promise<boolean> {
    const until = published.get(id);
    if (until !== undefined && until > Date.now()) return true;
    const ok = (await content.publishedSummaries([id])).has(id);
    if (published.size >= PUBLISHED_MAX) published.clear();
    if (ok) published.set(id, Date.now() + PUBLISHED_TTL_MS);
    else published.delete(id);
    return ok;
  }

  async function mostReadNow(limit: number): Promise<MostReadItem[]> {
    // Twice as many as shown, so stories taken down since they were read can be left out.
    const top = await counter.top(windowHours(now()), limit * 2);
    const summaries = await content.publishedSummaries(top.map((t) => t.articleId));
    return top.flatMap((t) => {
      const article = summaries.get(t.articleId);
      return article ? [{ article, reads: t.reads }] : [];
    }).slice(0, limit);
  }

  return {
    /** One read of a story by the reader at `address` with `userAgent`: counted unless a bot, a repeat today, or no such story. */
    async recordRead(read: { articleId: number; address: string; userAgent: string | undefined }): Promise<ReadOutcome> {
      if (isLikelyBot(read.userAgent)) return 'ignored';
      if (!(await isPublished(read.articleId))) return 'not_found';
      const at = now();
      const day = dayOf(at);
      const hash = readerHash(await saltOf(day), read.address, read.userAgent ?? '');
      return (await counter.record({ articleId: read.articleId, readerHash: hash, day, hour: hourOf(at) })) ? 'counted' : 'repeat';
    },

    /**
     * The most read published stories of the last 24 hours, most first. Part of
     * cached pages; an outage of the counter's store shows no list rather than
     * no page. Concurrent renders share one query.
     */
    async mostRead(limit = 10): Promise<MostReadItem[]> {
      const pending = inflight.get(limit);
      if (pending) return pending;
      const p = mostReadNow(limit)
        .catch((err: unknown) => {
          onError(err);
          return [];
        })
        .finally(() => inflight.delete(limit));
      inflight.set(limit, p);
      return p;
    },

    /** Readers in the last 24 hours of each story in `ids` (0 for none). */
    async readsFor(ids: number[]): Promise<Map<number, number>> {
      try {
        return await counter.readsOf([...new Set(ids)], windowHours(now()));
      } catch (err) {
        onError(err);
        return new Map();
      }
    },

    close: () => counter.close(),
  };
}
