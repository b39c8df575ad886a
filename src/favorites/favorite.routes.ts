import { h } from 'preact';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { buildChrome } from '../web/chrome.js';
import { pageHref } from '../web/components.js';
import { renderDocument } from '../web/render.js';
import { sameOriginReturnPath, signinPath } from './favorite.model.js';
import {
  ArticleIdParams, ErrorJson, FavoriteListJson, FavoriteListQuery, FavoritesPageQuery, FavoriteStateJson, FormIdParams, MergeBody,
  MergeResultJson,
} from './favorite.schemas.js';
import { presentFavorite } from './favorite.presenters.js';
import { FAVORITES_PATH, FavoritesPage, type FavoritesPageProps } from './views/favorites.js';

/** Saved stories per page on /favorites. */
export const FAVORITES_PAGE_SIZE = 20;
const PRIVATE = 'private, no-store';

/**
 * A reader's favorites: the `/favorites` page and the forms behind "Add to
 * favorites" (they work without JavaScript), and the JSON API the page's
 * script uses. Everything here is personal, so nothing goes through the page
 * cache and every response says `Cache-Control: private, no-store`.
 */
export const favoritesRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { favorites } = deps;
  const siteUrl = deps.config.siteUrl;
  const siteOrigin = new URL(siteUrl).origin;

  // Errors included: a 404 or 401 here is about one reader and must not be kept by a shared cache.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('Cache-Control', PRIVATE);
  });

  async function publishedPath(articleId: number): Promise<string> {
    const article = (await deps.content.publishedSummaries([articleId])).get(articleId);
    if (!article) throw new NotFoundError('We could not find that story. It may have been moved or taken down.');
    return article.path;
  }

  // ------------------------------------------------------------ HTML forms and page

  app.post('/favorites/:id', { schema: { params: FormIdParams } }, async (req, reply) => {
    const articlePath = await publishedPath(req.params.id);
    const user = await deps.sessions.current(req);
    if (!user) return reply.redirect(signinPath(articlePath), 303);
    await favorites.add(user.id, req.params.id);
    return reply.redirect(sameOriginReturnPath(req.headers.referer, siteOrigin) ?? articlePath, 303);
  });

  app.post('/favorites/:id/remove', { schema: { params: FormIdParams } }, async (req, reply) => {
    const user = await deps.sessions.current(req);
    if (!user) return reply.redirect(signinPath(FAVORITES_PATH), 303);
    await favorites.remove(user.id, req.params.id);
    return reply.redirect(sameOriginReturnPath(req.headers.referer, siteOrigin) ?? FAVORITES_PATH, 303);
  });

  app.get(FAVORITES_PATH, { schema: { querystring: FavoritesPageQuery } }, async (req, reply) => {
    const user = await deps.sessions.current(req);
    const chrome = await buildChrome(deps);
    let props: FavoritesPageProps;
    if (!user) {
      props = { chrome, signedIn: false };
    } else {
      const pageNo = req.query.page ?? 1;
      const page = await favorites.list(user.id, pageNo, FAVORITES_PAGE_SIZE);
      // After removing the last story of the last page, show the page before it.
      if (pageNo > page.totalPages) return reply.redirect(pageHref(FAVORITES_PATH, page.totalPages), 303);
      props = { chrome, signedIn: true, favorites: page };
    }
    return reply.type('text/html; charset=utf-8').send(renderDocument(h(FavoritesPage, props)));
  });

  // ------------------------------------------------------------ JSON API

  app.get('/api/v1/me/favorites', {
    schema: {
      tags: ['favorites'],
      summary: "The reader's saved stories, newest saved first",
      description: 'Stories unpublished after they were saved stay in the list with `available: false` and `article: null`.',
      querystring: FavoriteListQuery,
      response: { 200: FavoriteListJson, 400: ErrorJson, 401: ErrorJson },
    },
  }, async (req) => {
    const user = await deps.sessions.require(req);
    const { page = 1, limit = 20 } = req.query;
    const result = await favorites.list(user.id, page, limit);
    return {
      favorites: result.items.map((f) => presentFavorite(f, siteUrl)),
      pagination: { page: result.page, limit: result.pageSize, total: result.total, totalPages: result.totalPages },
    };
  });

  app.put('/api/v1/me/favorites/:articleId', {
    schema: {
      tags: ['favorites'],
      summary: "Save a story to the reader's favorites",
      description: 'Idempotent: saving a saved story changes nothing. 404 for an unknown or unpublished story; 409 past the limit of saved stories.',
      params: ArticleIdParams,
      response: { 200: FavoriteStateJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson },
    },
  }, async (req) => {
    const user = await deps.sessions.require(req);
    return favorites.add(user.id, req.params.articleId);
  });

  app.delete('/api/v1/me/favorites/:articleId', {
    schema: {
      tags: ['favorites'],
      summary: "Remove a story from the reader's favorites",
      description: 'Idempotent: removing a story that is not saved changes nothing.',
      params: ArticleIdParams,
      response: { 200: FavoriteStateJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson },
    },
  }, async (req) => {
    const user = await deps.sessions.require(req);
    return favorites.remove(user.id, req.params.articleId);
  });

  app.post('/api/v1/me/favorites/merge', {
    schema: {
      tags: ['favorites'],
      summary: "Add the favorites kept on a device to the reader's account",
      description: 'Sent by the page script after sign-in. Unknown and unpublished ids are ignored; at the limit of saved stories the most recent ones are kept.',
      body: MergeBody,
      response: { 200: MergeResultJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson },
    },
  }, async (req) => {
    const user = await deps.sessions.require(req);
    return favorites.merge(user.id, req.body.articleIds);
  });
};
