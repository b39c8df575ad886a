/**
 * Publishes scheduled stories when their time comes, and takes down an
 * expired breaking-news strip.
 *
 * The schedule lives in the database (`status = 'scheduled'`, `scheduled_at`),
 * so a story goes live on time after a restart, whichever process is up.
 * Every app process runs this loop; each due story is claimed with one
 * conditional UPDATE (`... where id = ? and status = 'scheduled'`), so exactly
 * one process publishes it, writes the audit entry (in the same transaction)
 * and announces it. The announcement purges caches in every process.
 * Scheduled front layouts go live the same way (claimed by one conditional
 * UPDATE), and their front's cache key is purged.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { storyStore } from './story.store.js';
import { breakingStore } from './settings.store.js';
import { frontStore } from './front.store.js';
import { sectionStore } from './section.store.js';
import { audit } from '../audit/audit.service.js';
import { SYSTEM } from '../accounts/staff.js';

export interface SchedulerDeps {
  db: Kysely<Database>;
  events: EventBus;
  now: () => Date;
  onError: (err: unknown) => void;
  /** The publish guards' answer for a story falling due (a later embargo keeps it waiting, scheduled). */
  publishRefusal?: (articleId: number, at: string) => Promise<{ code: string; message: string } | null>;
}

export interface Scheduler {
  /** Starts the loop (the first run is at once). */
  start(intervalMs?: number): void;
  /** Stops the loop and waits for a run in progress. */
  stop(): Promise<void>;
  /** One run now: publishes every due story this process claims (returns their ids), and puts due front layouts live. */
  runDueNow(): Promise<number[]>;
}

export const DEFAULT_INTERVAL_MS = 2000;
/** Stories published per run at most; the next run takes the rest. */
const BATCH = 100;

export function createScheduler({ db, events, now, onError, publishRefusal }: SchedulerDeps): Scheduler {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  async function publishScheduledArticles(): Promise<number[]> {
    const at = now().toISOString();
    const published: number[] = [];
    for (const id of await storyStore.due(db, at, BATCH)) {
      if (publishRefusal && (await publishRefusal(id, at))) continue; // waits, scheduled, until the guard lets it go
      const claimed = await db.transaction().execute(async (trx) => {
        if (!(await storyStore.claimDue(trx, id, at))) return false;
        await audit(trx, SYSTEM, now(), 'article.publish', `article:${id}`, { scheduled: true });
        return true;
      });
      if (!claimed) continue; // another process got there first
      published.push(id);
      await events.emit('article.published', { articleId: id, keys: await storyStore.cacheKeys(db, id) });
    }
    return published;
  }

  /** An expired strip is removed once, by whichever process sees it first, and every page drops it. */
  async function clearExpiredBreaking(): Promise<void> {
    if (await breakingStore.removeIfExpired(db, now().toISOString())) {
      await events.emit('content.changed', { keys: ['chrome'] });
    }
  }

  /** Each due layout goes live (the front's previous one retires) in whichever process claims it first. */
  async function activateScheduledLayouts(): Promise<void> {
    const at = now().toISOString();
    const due = await frontStore.due(db, at, BATCH);
    if (!due.length) return;
    const sections = await sectionStore.all(db);
    // "home" or "section:<id>" -> the name staff know ("home", the slug) and the front's cache key.
    const nameOf = (key: string) => (key === 'home' ? 'home' : sections.find((s) => `section:${s.id}` === key)?.slug ?? key);
    const keys = new Set<string>();
    for (const layout of due) {
      const name = nameOf(layout.front);
      const claimed = await db.transaction().execute(async (trx) => {
        if (!(await frontStore.goLive(trx, layout.id, 'scheduled', at))) return false;
        await audit(trx, SYSTEM, now(), 'front.publish', `front:${name}`, { layoutId: layout.id, scheduled: true });
        return true;
      });
      if (claimed) keys.add(name === 'home' ? 'home' : `section:${name}`);
    }
    if (keys.size) await events.emit('content.changed', { keys: [...keys] });
  }

  async function runDueNow(): Promise<number[]> {
    const ids = await publishScheduledArticles();
    await activateScheduledLayouts();
    await clearExpiredBreaking();
    return ids;
  }

  function tick(intervalMs: number): void {
    running = runDueNow()
      .catch(onError)
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(() => tick(intervalMs), intervalMs);
      });
  }

  return {
    start(intervalMs = DEFAULT_INTERVAL_MS) {
      if (!stopped) return;
      stopped = false;
      tick(intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
    runDueNow,
  };
}
