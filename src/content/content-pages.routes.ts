import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { serveCached, type CacheableResponse } from '../platform/cache/http.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { HomePage } from './views/home.js';
import { SectionPage } from './views/section.js';
import { ArticlePage } from './views/article.js';
import { TagPage } from './views/tag.js';
import { AuthorPage } from './views/author.js';
import { CorrectionsPage } from './views/corrections.js';
import { SitePageView } from './views/site-page.js';
import { SITE_PAGE_SLUGS } from './site-pages.js';
import { sitePageKey } from './site-page.service.js';
import { PageQuery, SlugParams } from './content.schemas.js';
import { CORRECTIONS_KEY, paths, type ArticleSummary, type Page } from './content.model.js';
import type { SlugKind } from '../platform/db/types.js';
import { Id, isId } from '../platform/input.js';
import { liveKey, markLive } from './live.model.js';
import { liveRenders } from './live.routes.js';

const HTML = 'text/html; charset=utf-8';
/** Stories per page on section, tag and author pages. */
export const PAGE_SIZE = 12;
/** Stories in the "Most read" list. */
const MOST_READ_SHOWN = 10;
/** Surrogate key of every page that shows the "Most read" list. */
const MOST_READ_KEY = 'most-read';

const SectionParams = Type.Object({ section: Type.String({ maxLength: 120 }) });
const ArticleParams = Type.Object({ section: Type.String({ maxLength: 120 }), idSlug: Type.String({ maxLength: 200 }) });
/** A live story's older posts: the page starting below this post id (stable while the stream grows). */
const ArticleQuery = Type.Object({ before: Type.Optional(Id) }, { additionalProperties: false });

/** `1042-rains-return` -> 1042; anything else is not an article address. */
function articleIdOf(idSlug: string): number | null {
  const m = /^(\d{1,10})(?:-[a-z0-9-]*)?$/.exec(idSlug);
  const id = m ? Number(m[1]) : NaN;
  return isId(id) ? id : null;
}

/** Past the last page there is nothing to show: a 404, not an empty page. */
function checkPage<T>(page: Page<T>): void {
  if (page.page > 1 && page.page > page.totalPages) throw new NotFoundError(`There is no page ${page.page}; the last page is ${page.totalPages}.`);
}

/** The reader's site: home, sections, articles, tags and authors. Every page is public and cacheable. */
export const contentPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { content, cache } = deps;
  /**
   * The "Most read" list is part of the cached page, so it is as fresh as the
   * page: re-rendered when its cache entry goes stale (30 s here, s-maxage for
   * a CDN). Counting never purges, or every read would empty the cache; a
   * story taken down purges MOST_READ_KEY (services.ts), so it leaves every list at once.
   */
  const mostReadList = async () => (await deps.readership.mostRead(MOST_READ_SHOWN)).map((m) => m.article);
  const html = <P>(vnode: VNode<P>, keys: string[]): CacheableResponse => ({ contentType: HTML, body: renderDocument(vnode), keys: ['chrome', ...keys] });
  /** A renamed section, tag or author: its old address answers 301 to the new one; anything else is a 404. */
  const movedOr404 = async (kind: SlugKind, slug: string, pageNo: number, message: string): Promise<CacheableResponse> => {
    const to = await content.movedTo(kind, slug);
    if (!to) throw new NotFoundError(message);
    return { status: 301, location: pageNo > 1 ? `${to}?page=${pageNo}` : to, contentType: HTML, body: '', keys: [`${kind}:${slug}`] };
  };

  app.get('/', async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const [chrome, home, mostRead, running] = await Promise.all([buildChrome(deps), content.home(), mostReadList(), deps.live.runningIds()]);
      const live = <T extends ArticleSummary>(list: T[]) => markLive(running, list);
      const marked = {
        ...home,
        lead: home.lead ? live([home.lead])[0]! : null,
        latest: live(home.latest),
        sectionBlocks: home.sectionBlocks.map((b) => ({ ...b, articles: live(b.articles) })),
      };
      return html(h(HomePage, { ...marked, mostRead: mostRead && live(mostRead), chrome }), ['home', MOST_READ_KEY]);
    }),
  );

  app.get('/corrections', { schema: { querystring: PageQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const corrections = await content.corrections(req.query.page ?? 1, PAGE_SIZE * 2);
      checkPage(corrections);
      return html(h(CorrectionsPage, { corrections, chrome: await buildChrome(deps) }), [CORRECTIONS_KEY]);
    }),
  );

  // The organisation's pages, each at its own fixed address (a static route wins over `/:section`).
  for (const slug of SITE_PAGE_SLUGS) {
    app.get(`/${slug}`, async (req, reply) =>
      serveCached(req, reply, cache, async () => {
        const [page, chrome] = await Promise.all([deps.sitePages.get(slug), buildChrome(deps)]);
        return html(h(SitePageView, { page: page!, chrome }), [sitePageKey(slug)]);
      }),
    );
  }

  app.get('/tag/:slug', { schema: { params: SlugParams, querystring: PageQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const { slug } = req.params;
      const pageNo = req.query.page ?? 1;
      const [tag, articles, running] = await Promise.all([content.tag(slug), content.tagArticles(slug, pageNo, PAGE_SIZE), deps.live.runningIds()]);
      if (!tag || !articles) return movedOr404('tag', slug, pageNo, `There is no tag "${slug}".`);
      checkPage(articles);
      const marked = { ...articles, items: markLive(running, articles.items) };
      // A special-coverage tag's first page is a hub: the editors' lead and the live story under the tag, with its key events.
      const hubIds = tag.specialCoverage && pageNo === 1 ? await deps.live.hub(tag.id) : null;
      const [lead, liveArticle, liveStream] = hubIds
        ? await Promise.all([
            hubIds.leadId ? content.articlePage(hubIds.leadId) : null,
            hubIds.liveId ? content.articlePage(hubIds.liveId) : null,
            hubIds.liveId ? deps.live.stream(hubIds.liveId, { limit: 1 }) : null,
          ])
        : [null, null, null];
      const hub = hubIds
        ? { lead: lead ? markLive(running, [lead.article])[0]! : null, live: liveArticle && liveStream ? { article: liveArticle.article, stream: liveStream } : null }
        : null;
      const keys = [`tag:${slug}`, ...(hubIds?.liveId ? [liveKey(hubIds.liveId)] : []), ...(hubIds?.leadId ? [`article:${hubIds.leadId}`] : [])];
      return html(h(TagPage, { tag, articles: marked, hub, chrome: await buildChrome(deps) }), keys);
    }),
  );

  app.get('/author/:slug', { schema: { params: SlugParams, querystring: PageQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const { slug } = req.params;
      const pageNo = req.query.page ?? 1;
      const [author, articles] = await Promise.all([content.author(slug), content.authorArticles(slug, pageNo, PAGE_SIZE)]);
      if (!author || !articles) return movedOr404('author', slug, pageNo, `There is no author "${slug}".`);
      checkPage(articles);
      return html(h(AuthorPage, { author, articles, chrome: await buildChrome(deps) }), [`author:${slug}`]);
    }),
  );

  app.get('/:section', { schema: { params: SectionParams, querystring: PageQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const slug = req.params.section;
      const pageNo = req.query.page ?? 1;
      const [section, articles, running] = await Promise.all([content.section(slug), content.sectionArticles(slug, pageNo, PAGE_SIZE), deps.live.runningIds()]);
      if (!section || !articles) return movedOr404('section', slug, pageNo, `There is no section "${slug}".`);
      checkPage(articles);
      const marked = { ...articles, items: markLive(running, articles.items) };
      return html(h(SectionPage, { section, articles: marked, chrome: await buildChrome(deps) }), [`section:${slug}`]);
    }),
  );

  app.get('/:section/:idSlug', { schema: { params: ArticleParams, querystring: ArticleQuery } }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const id = articleIdOf(req.params.idSlug);
      const view = id ? await content.articlePage(id) : null;
      if (!view) throw new NotFoundError('We could not find that story. It may have been moved or taken down.');
      const { article, related, specialCoverage, forComments, live: hasLive } = view;
      const path = req.url.split('?')[0]!.replace(/\/+$/, '');
      // An old headline's slug, or the story's previous section: send readers and search engines on.
      if (path !== article.path) {
        return { status: 301, location: article.path, contentType: HTML, body: '', keys: [`article:${article.id}`] };
      }
      const before = req.query.before;
      // A live story's stream is read beside its page (the page's row says whether there is one).
      const [chrome, comments, mostRead, live] = await Promise.all([
        buildChrome(deps), deps.comments.discussion(article.id, {}, forComments), mostReadList(), hasLive ? deps.live.stream(article.id, { before }) : null,
      ]);
      if (before && (!live || !live.posts.length)) throw new NotFoundError('There are no older updates here.');
      if (live) liveRenders.pages++;
      const breadcrumb = [
        { name: 'Home', path: paths.home() },
        ...(article.section.parent ? [{ name: article.section.parent.name, path: article.section.parent.path }] : []),
        { name: article.section.name, path: article.section.path },
      ];
      const keys = [`article:${article.id}`, `section:${article.section.slug}`, ...article.tags.map((t) => `tag:${t.slug}`), MOST_READ_KEY, liveKey(article.id)];
      return html(h(ArticlePage, { article, breadcrumb, related, specialCoverage, comments, mostRead, live, chrome }), keys);
    }),
  );
};
