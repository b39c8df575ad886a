/**
 * The composition root: every service of the app is built here, once, from
 * the configuration and the database, and wired to the others it needs.
 * Routes and pages receive `Services`, never the database. This file
 * imports services, never routes, so nothing that routes import leads back
 * to `app.ts`.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './platform/config.js';
import type { Db } from './platform/db/connection.js';
import { EventBus } from './platform/events.js';
import { DEFAULT_TTL_MS, PageCache } from './platform/cache/page-cache.js';
import { createSharedPageStore, type SharedPageStore } from './platform/cache/shared-page-store.js';
import { localPurgeBus, redisPurgeBus, type PurgeBus } from './platform/cache/purge-bus.js';
import { fastlyPurger, varnishPurger, withEdgePurge, type EdgePurger } from './platform/cache/edge-purge.js';
import { createMailer, type Mailer } from './platform/mail.js';
import { createRateLimiters, type RateLimiters } from './platform/rate-limit.js';
import { loadAssets } from './web/assets.js';
import type { Assets } from './web/view-types.js';
import { createContentService, type ContentService } from './content/content.service.js';
import { createStoryService, type StoryService } from './content/story.service.js';
import { createSitePageService, type SitePageService } from './content/site-page.service.js';
import { createTaxonomyService, type TaxonomyService } from './content/taxonomy.service.js';
import { createSitemapService, type SitemapService } from './content/sitemap.service.js';
import { createScheduler, type Scheduler } from './content/scheduler.service.js';
import { createFrontService, type FrontService } from './content/front.service.js';
import { createCommentsService, type CommentsService } from './comments/comment.service.js';
import type { CommentLimits } from './comments/comment.model.js';
import { createFavoriteService, type FavoriteService } from './favorites/favorite.service.js';
import { createMediaService, mediaDirOf, type MediaService } from './media/media.service.js';
import { DEFAULT_LIMITS as MEDIA_LIMITS } from './media/media.model.js';
import { createSearchIndex, type SearchIndex } from './search/search-index.service.js';
import { createSearchCatchUp, type SearchCatchUp } from './search/search-catch-up.service.js';
import { createAccountsService, type AccountsService } from './accounts/account.service.js';
import { createSessionService, type SessionService } from './accounts/session.js';
import { createStaffResolver, type StaffResolver } from './accounts/staff.js';
import { createPeopleService, type PeopleService } from './accounts/people.service.js';
import { createInvitationService, type InvitationService } from './accounts/invitation.service.js';
import { createAuditService, type AuditService } from './audit/audit.service.js';
import { createTotpService, type TotpService } from './accounts/totp.service.js';
import { createSigninThrottle, type ThrottleOptions } from './accounts/signin-throttle.js';
import { createMailLimit, type MailLimits } from './accounts/mail-limit.js';
import { createWireService, type WireService } from './wires/wire.service.js';
import { createWirePoller, type WirePoller } from './wires/poller.js';
import { createWireDesk, type WireDesk } from './wires/desk.service.js';
import type { WireGroupSource } from './wires/groups.js';
import { storedGroupSource } from './wires/grouping/grouping.service.js';
import { createReadershipService, type ReadershipService } from './analytics/readership.service.js';
import { createLiveService, type LiveService } from './content/live.service.js';
import { createLinkCardReader } from './content/link-card.js';

/** What every route plugin may use; built once per app by createServices(). */
export interface AppDeps {
  config: Config;
  now: () => Date;
  cache: PageCache;
  /** The page cache's tier in Redis, when REDIS_URL is set (closed with the app). */
  sharedPages: SharedPageStore | undefined;
  purge: PurgeBus;
  events: EventBus;
  assets: Assets;
  mailer: Mailer;
  /** Rate limiters shared by every process when Redis is configured. */
  limiters: RateLimiters;
  /** Whether the database answers (for /readyz). */
  databaseReady: () => Promise<boolean>;
  /** Calls `listener` with the keys of every purge this process applies (its own and, through Redis, every other's): for data kept in memory. */
  onPurge: (listener: (keys: string[]) => void) => void;

  /** Published stories, sections, tags, authors and site settings, as readers see them. */
  content: ContentService;
  /** The editorial desk: drafts, workflow, revisions, corrections. */
  stories: StoryService;
  /** The organisation's pages (About, Contact, Corrections policy, Privacy, Terms). */
  sitePages: SitePageService;
  /** Sections, tags, authors and the breaking strip, as staff manage them. */
  taxonomy: TaxonomyService;
  sitemaps: SitemapService;
  /** The arranged home page and section fronts: drafts, scheduled layouts, the live one. */
  fronts: FrontService;
  /** Publishes scheduled stories when due (the loop runs when BuildOptions.scheduler asks; tests call runDueNow()). */
  scheduler: Scheduler;

  comments: CommentsService;
  favorites: FavoriteService;
  media: MediaService;
  /** Full-text search over published stories (kept current by article events). */
  search: SearchIndex;
  /** Indexes, in the background after start, stories written while no server ran (started by the search routes). */
  searchCatchUp: SearchCatchUp;

  accounts: AccountsService;
  /** Who is signed in on a request; starting and ending sessions. */
  sessions: SessionService;
  /** Who is acting on the admin API: a staff session or an API token. */
  staff: StaffResolver;
  people: PeopleService;
  invitations: InvitationService;
  totp: TotpService;
  /** Who did what: the newsroom's audit log. */
  audit: AuditService;
  /** Agency providers, ingest (exactly once), versions and the quarantine. */
  wires: WireService;
  /** Polls due http providers and scans wire folders (the loop runs when BuildOptions.wirePoller asks; tests call runDueNow()). */
  wirePoller: WirePoller;
  /** "Use this" (wire items → a draft story), the embargo guard, kill alerts and "update available". */
  desk: WireDesk;
  /** The desk's wire stories (groups), as grouping stores them at ingest (see wires/groups.ts). */
  wireGroups: WireGroupSource;
  /** Most read: readers per story (once per reader per day, no cookies), in the database or Redis. */
  readership: ReadershipService;
  /** Live coverage: a live story's stream of posts, pinned post, key events. */
  live: LiveService;
}

export interface ServiceOptions {
  config: Config;
  db: Db;
  now: () => Date;
  log: FastifyBaseLogger;
  /** Directory of Vite's client build. */
  clientDir: string;
  throttle?: ThrottleOptions;
  commentLimits?: Partial<CommentLimits>;
  mailLimits?: Partial<MailLimits>;
}

export async function createServices(opts: ServiceOptions): Promise<AppDeps> {
  const { config, db, now, log } = opts;
  const kysely = db.kysely;
  const site = { siteUrl: config.siteUrl, siteName: config.siteName };

  // With Redis, a page one process rendered serves every process (one render per URL per lifetime, cluster-wide).
  const shared = config.redisUrl
    ? await createSharedPageStore({ url: config.redisUrl, prefix: config.redisPrefix, ttlMs: DEFAULT_TTL_MS, onError: (err) => log.warn({ err }, 'redis (shared page cache)') })
    : undefined;
  const cache = new PageCache({
    maxBytes: config.pageCacheMb * 1024 * 1024, ttlMs: DEFAULT_TTL_MS, shared,
    // The render counter, for operators and the cluster test: at debug, not a line per request in production.
    onMiss: (url, source) => log.debug({ url, source }, source === 'rendered' ? 'page rendered' : 'page from the shared cache'),
  });
  const events = new EventBus((err, event) => log.error({ err, event }, 'event handler failed'));
  const purgeListeners: Array<(keys: string[]) => void> = [];
  const applyPurge = (keys: string[]) => {
    cache.purgeLocal(keys);
    for (const listener of purgeListeners) listener(keys);
  };
  const bus = config.redisUrl
    ? await redisPurgeBus(config.redisUrl, applyPurge, (err) => log.warn({ err }, 'redis purge bus'), config.redisPrefix, shared?.purge)
    : localPurgeBus(applyPurge);
  // A shared cache in front (Varnish, Fastly) is purged once, by the process where the content changed.
  const soft = config.purgeMode === 'soft';
  const edges: EdgePurger[] = [
    ...config.purgeVarnishUrls.map((url) => varnishPurger(url, { soft })),
    ...(config.purgeFastly ? [fastlyPurger(config.purgeFastly.serviceId, config.purgeFastly.token, { apiUrl: config.purgeFastly.apiUrl, soft })] : []),
  ];
  const purge = edges.length ? withEdgePurge(bus, edges, { log }) : bus;
  const media = createMediaService({ db: kysely, mediaDir: mediaDirOf(config.dataDir), limits: MEDIA_LIMITS, now });
  const content = createContentService({ db: kysely, now, libraryImages: (urls) => media.libraryImages(urls) });
  // The article pages' read model follows every change of a story before the purge goes out, so a
  // page rendered after the purge reads the new story. What content keeps in memory (sections,
  // the breaking strip, special coverage) is dropped by the purges that name it, in every process.
  events.on('article.published', ({ articleId }) => content.storyChanged(articleId, 'published'));
  events.on('article.updated', ({ articleId }) => content.storyChanged(articleId, 'updated'));
  events.on('article.unpublished', ({ articleId }) => content.storyChanged(articleId, 'unpublished'));
  // A renamed section, tag or author names the stories it shows on.
  events.on('content.changed', ({ keys }) => content.pagesStale(keys.flatMap((k) => (/^article:\d+$/.test(k) ? [Number(k.slice(8))] : []))));
  purgeListeners.push((keys) => content.forget(keys));
  // Content changes purge exactly the cache entries they touch, in every process.
  for (const event of ['article.published', 'article.updated', 'article.unpublished', 'content.changed', 'comment.published', 'comment.removed'] as const) {
    events.on(event, ({ keys }) => purge.publish(keys));
  }
  const limiters = createRateLimiters(config.redisUrl, (err) => log.warn({ err }, 'redis (rate limits)'), config.redisPrefix);
  const mailLimit = createMailLimit(limiters, log, opts.mailLimits);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });

  const sessions = createSessionService({
    db: kysely, now, secureCookies: config.siteUrl.startsWith('https:'), staffIdleMs: config.staffIdleMinutes * 60_000,
  });
  const wires = createWireService({ db: kysely, events, now });
  const stories = createStoryService({ db: kysely, events, now });
  const taxonomy = createTaxonomyService({ db: kysely, events, now });
  const desk = createWireDesk({ db: kysely, events, now, wires, stories, taxonomy, onError: (err) => log.error({ err }, 'wire desk') });
  // Content asks the wire desk before every publish and schedule (an embargo), without knowing it is there.
  stories.registerPublishGuard(desk.publishGuard);
  const search = createSearchIndex({ db });
  const readership = createReadershipService({
    db: kysely, now, content, redis: config.redisUrl ? { url: config.redisUrl, prefix: config.redisPrefix } : undefined,
    onError: (err) => log.warn({ err }, 'most read'),
  });
  // A story taken down leaves every "Most read" list at once (pages that show the list carry this key).
  events.on('article.unpublished', () => purge.publish(['most-read']));
  const fronts = createFrontService({ db: kysely, events, now });
  // A story taken down (or changed) leaves, or changes on, every front that arranged it at once, its own section's or not.
  for (const event of ['article.unpublished', 'article.updated'] as const) {
    events.on(event, async ({ articleId }) => {
      const keys = await fronts.cacheKeysShowing(articleId);
      if (keys.length) await purge.publish(keys);
    });
  }

  return {
    config,
    now,
    cache,
    sharedPages: shared,
    purge,
    events,
    assets: loadAssets(opts.clientDir),
    mailer,
    limiters,
    databaseReady: () => db.ping(),
    onPurge: (listener) => void purgeListeners.push(listener),

    content,
    stories,
    sitePages: createSitePageService({ db: kysely, events, now }),
    taxonomy,
    sitemaps: createSitemapService({ db: kysely, now }),
    fronts,
    scheduler: createScheduler({ db: kysely, events, now, onError: (err) => log.error({ err }, 'scheduler run failed'), publishRefusal: stories.publishRefusal }),

    comments: createCommentsService({
      db: kysely, events, now, limiters, limits: opts.commentLimits, onError: (err) => log.warn({ err }, 'comment rate limiter'),
      onPurge: (listener) => void purgeListeners.push(listener),
    }),
    favorites: createFavoriteService({ db: kysely, content, now }),
    media,
    search,
    searchCatchUp: createSearchCatchUp({ search, log }),

    accounts: createAccountsService({ db: kysely, mailer, mailLimit, events, throttle: createSigninThrottle(limiters, opts.throttle), now, ...site }),
    sessions,
    staff: createStaffResolver({ db: kysely, sessions, now }),
    people: createPeopleService({ db: kysely, now }),
    invitations: createInvitationService({ db: kysely, mailer, mailLimit, now, ...site }),
    totp: createTotpService({ db: kysely, limiters, now, siteName: config.siteName }),
    audit: createAuditService({ db: kysely }),
    wires,
    wirePoller: createWirePoller({
      wires, now, dataDir: config.dataDir, fetchAllowHosts: config.fetchAllowHosts, siteUrl: config.siteUrl, leaseSeconds: config.wireLeaseSeconds,
      onError: (err) => log.error({ err }, 'wire poll failed'),
    }),
    desk,
    wireGroups: storedGroupSource(wires.grouping),
    readership,
    live: createLiveService({
      db: kysely, events, now, linkCards: createLinkCardReader({ siteUrl: config.siteUrl, allowHosts: config.fetchAllowHosts }),
    }),
  };
}
