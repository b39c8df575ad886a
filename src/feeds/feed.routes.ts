import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { etagOf } from '../platform/cache/page-cache.js';
import { serveCached, type CacheableResponse } from '../platform/cache/http.js';
import { SlugParams } from '../content/content.schemas.js';
import { CORRECTIONS_KEY, paths, type Article } from '../content/content.model.js';
import type { SitemapKind } from '../content/sitemap.service.js';
import { LOGO_PATH, logoPng } from '../web/logo.js';
import { markLive } from '../content/live.model.js';
import { buildCorrectionsFeed, buildFeed, FEED_CONTENT_TYPES, type FeedChannel, type FeedContent, type FeedFormat } from './feed.builder.js';
import { newsSitemapXml, robotsTxt, SITEMAP_INDEX_PATH, sitemapIndexXml, urlsetXml } from './sitemap.xml.js';

/** Surrogate keys: every feed and every sitemap, purged whenever a story is published, edited or withdrawn. */
export const FEEDS_KEY = 'feeds';
export const SITEMAPS_KEY = 'sitemaps';
const FEED_S_MAXAGE = 300;
const XML = 'application/xml; charset=utf-8';

/** Site setting `feeds` (JSON in site_settings): `{ "content": "full" | "summary", "items": 1..100 }`. */
export interface FeedSettings {
  content?: FeedContent;
  items?: number;
}
export const FEED_SETTINGS_KEY = 'feeds';
const DEFAULT_ITEMS = 30;

const FORMAT_FILES: Array<[string, FeedFormat]> = [['feed.xml', 'rss'], ['atom.xml', 'atom'], ['feed.json', 'json']];
const SectionParams = Type.Object({ section: Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 120 }) });
const SitemapParams = Type.Object({ file: Type.String({ pattern: '^((stories|sections|tags|authors)-[1-9][0-9]{0,5}|news)\\.xml$' }) });

type Scope = { kind: 'site' } | { kind: 'section' | 'tag' | 'author'; slug: string };

/**
 * Feeds (RSS 2.0, Atom, JSON Feed) for the site, each section, tag and author;
 * sitemaps with a Google News sitemap; robots.txt; the publisher's logo. All
 * public and cached like pages, with ETag and surrogate keys.
 */
export const feedsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { cache, config, content } = deps;
  const siteUrl = config.siteUrl;
  const { sitemaps } = deps;
  const mediaDir = path.join(config.dataDir, 'media');

  for (const event of ['article.published', 'article.updated', 'article.unpublished', 'content.changed'] as const) {
    deps.events.on(event, () => deps.purge.publish([FEEDS_KEY, SITEMAPS_KEY]));
  }

  /** Bytes of a picture under /media/, for enclosures; 0 when unknown. */
  function imageLength(sitePath: string): number {
    if (!sitePath.startsWith('/media/')) return 0;
    try {
      const file = path.resolve(mediaDir, decodeURIComponent(sitePath.slice('/media/'.length)));
      if (!file.startsWith(mediaDir + path.sep)) return 0;
      return fs.statSync(file).size;
    } catch {
      return 0;
    }
  }

  async function renderFeed(scope: Scope, format: FeedFormat): Promise<CacheableResponse> {
    const settings = (await content.siteSetting<FeedSettings>(FEED_SETTINGS_KEY)) ?? {};
    const limit = Number.isInteger(settings.items) && settings.items! >= 1 && settings.items! <= 100 ? settings.items! : DEFAULT_ITEMS;
    const site = config.siteName;
    let channel: FeedChannel;
    let articles: Article[] | null;
    let key: string;
    if (scope.kind === 'site') {
      channel = { title: site, description: `The latest stories from ${site}.`, pagePath: paths.home(), language: 'en' };
      articles = await content.latestArticles({}, limit, { baseUrl: siteUrl });
      key = 'home';
    } else if (scope.kind === 'section') {
      const section = await content.section(scope.slug);
      if (!section) throw new NotFoundError(`There is no section "${scope.slug}".`);
      channel = { title: `${section.name} | ${site}`, description: section.description || `The latest ${section.name} stories from ${site}.`, pagePath: section.path, language: 'en' };
      articles = await content.latestArticles({ section: scope.slug }, limit, { baseUrl: siteUrl });
      key = `section:${scope.slug}`;
    } else if (scope.kind === 'tag') {
      const tag = await content.tag(scope.slug);
      if (!tag) throw new NotFoundError(`There is no tag "${scope.slug}".`);
      channel = { title: `${tag.name} | ${site}`, description: tag.description || `Stories about ${tag.name} from ${site}.`, pagePath: tag.path, language: 'en' };
      articles = await content.latestArticles({ tag: scope.slug }, limit, { baseUrl: siteUrl });
      key = `tag:${scope.slug}`;
    } else {
      const author = await content.author(scope.slug);
      if (!author) throw new NotFoundError(`There is no author "${scope.slug}".`);
      channel = { title: `${author.name} | ${site}`, description: `Stories by ${author.name} for ${site}.`, pagePath: author.path, language: 'en' };
      articles = await content.latestArticles({ author: scope.slug }, limit, { baseUrl: siteUrl });
      key = `author:${scope.slug}`;
    }
    // Running live stories carry a "Live" category (starting or ending coverage purges every feed).
    const running = await deps.live.runningIds();
    const body = buildFeed(format, channel, markLive(running, articles ?? []), {
      name: site, url: siteUrl, logoUrl: siteUrl + LOGO_PATH, content: settings.content === 'summary' ? 'summary' : 'full', imageLength,
    });
    return { contentType: FEED_CONTENT_TYPES[format], body, keys: [FEEDS_KEY, key], sMaxAge: FEED_S_MAXAGE };
  }

  for (const [file, format] of FORMAT_FILES) {
    app.get(`/${file}`, async (req, reply) => serveCached(req, reply, cache, () => renderFeed({ kind: 'site' }, format)));
    app.get(`/:section/${file}`, { schema: { params: SectionParams } }, async (req, reply) =>
      serveCached(req, reply, cache, () => renderFeed({ kind: 'section', slug: req.params.section }, format)),
    );
    app.get(`/tag/:slug/${file}`, { schema: { params: SlugParams } }, async (req, reply) =>
      serveCached(req, reply, cache, () => renderFeed({ kind: 'tag', slug: req.params.slug }, format)),
    );
    app.get(`/author/:slug/${file}`, { schema: { params: SlugParams } }, async (req, reply) =>
      serveCached(req, reply, cache, () => renderFeed({ kind: 'author', slug: req.params.slug }, format)),
    );
  }

  // The corrections log's own feeds: every correction across the site, newest first.
  for (const [file, format] of [['feed.xml', 'rss'], ['atom.xml', 'atom'], ['feed.json', 'json']] as const) {
    app.get(`/corrections/${file}`, async (req, reply) =>
      serveCached(req, reply, cache, async () => {
        const corrections = await content.latestCorrections(DEFAULT_ITEMS);
        const body = buildCorrectionsFeed(format, corrections, { name: config.siteName, url: siteUrl, logoUrl: siteUrl + LOGO_PATH });
        return { contentType: FEED_CONTENT_TYPES[format], body, keys: [FEEDS_KEY, CORRECTIONS_KEY], sMaxAge: FEED_S_MAXAGE };
      }),
    );
  }

  app.get(SITEMAP_INDEX_PATH, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const [pages, news] = await Promise.all([sitemaps.pages(), sitemaps.news()]);
      const newsLastmod = news.map((n) => n.lastmod).sort().pop() ?? null;
      return { contentType: XML, body: sitemapIndexXml(siteUrl, pages, newsLastmod), keys: [SITEMAPS_KEY], sMaxAge: FEED_S_MAXAGE };
    }),
  );

  app.get('/sitemaps/:file', { schema: { params: SitemapParams } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const { file } = req.params;
      if (file === 'news.xml') {
        const body = newsSitemapXml(siteUrl, config.siteName, await sitemaps.news());
        return { contentType: XML, body, keys: [SITEMAPS_KEY], sMaxAge: FEED_S_MAXAGE };
      }
      const [, kind, page] = /^([a-z]+)-(\d+)\.xml$/.exec(file)!;
      const entries = await sitemaps.entries(kind as SitemapKind, Number(page));
      if (!entries) throw new NotFoundError(`There is no sitemap ${file}.`);
      return { contentType: XML, body: urlsetXml(siteUrl, entries), keys: [SITEMAPS_KEY], sMaxAge: FEED_S_MAXAGE };
    }),
  );

  app.get('/robots.txt', async (req, reply) =>
    serveCached(req, reply, cache, async () => ({ contentType: 'text/plain; charset=utf-8', body: robotsTxt(siteUrl), keys: ['robots'], sMaxAge: 3600 })),
  );

  // Binary, so not through the page cache (it keeps text); the same bytes for the process's life.
  const logo = logoPng();
  const logoEtag = etagOf(logo.toString('base64'));
  app.get(LOGO_PATH, async (req, reply) => {
    reply.header('ETag', logoEtag).header('Cache-Control', 'public, max-age=86400, s-maxage=604800');
    if (req.headers['if-none-match'] === logoEtag) return reply.code(304).send();
    return reply.type('image/png').send(logo);
  });
};
