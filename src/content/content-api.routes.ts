import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { serveCached } from '../platform/cache/http.js';
import {
  ArticleEnvelopeJson, ArticleListJson, ArticleListQuery, AuthorEnvelopeJson, ErrorJson, IdParams, SectionsJson, SlugParams,
  TagEnvelopeJson,
} from './content.schemas.js';
import { presentArticle, presentAuthor, presentSection, presentSummary, presentTag } from './content.presenters.js';

const JSON_TYPE = 'application/json; charset=utf-8';

/** The public, read-only Content API under /api/v1. */
export const contentApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { content, cache, config } = deps;
  const site = config.siteUrl;

  app.get('/api/v1/articles', {
    schema: {
      tags: ['content'],
      summary: 'Published stories, newest first',
      description: 'Filter by section (a parent section includes its subsections), tag or author slug.',
      querystring: ArticleListQuery,
      response: { 200: ArticleListJson, 400: ErrorJson, 404: ErrorJson },
    },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const { section, tag, author, page = 1, limit = 20 } = req.query;
      const result = await content.listArticles({ section, tag, author, page, pageSize: limit });
      const body = {
        articles: result.items.map((a) => presentSummary(a, site)),
        pagination: { page: result.page, limit: result.pageSize, total: result.total, totalPages: result.totalPages },
      };
      const keys = ['articles', section ? `section:${section}` : '', tag ? `tag:${tag}` : '', author ? `author:${author}` : ''].filter(Boolean);
      return { contentType: JSON_TYPE, body: JSON.stringify(body), keys };
    }),
  );

  app.get('/api/v1/articles/:id', {
    schema: {
      tags: ['content'],
      summary: 'One published story, with its body as HTML',
      params: IdParams,
      response: { 200: ArticleEnvelopeJson, 400: ErrorJson, 404: ErrorJson },
    },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const view = await content.article(req.params.id);
      if (!view) throw new NotFoundError(`No published article with id ${req.params.id}`);
      return { contentType: JSON_TYPE, body: JSON.stringify({ article: presentArticle(view.article, site) }), keys: [`article:${view.article.id}`] };
    }),
  );

  app.get('/api/v1/sections', {
    schema: { tags: ['content'], summary: 'The section tree, in order', response: { 200: SectionsJson } },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const sections = await content.sectionTree();
      return { contentType: JSON_TYPE, body: JSON.stringify({ sections: sections.map((s) => presentSection(s, site)) }), keys: ['sections'] };
    }),
  );

  app.get('/api/v1/tags/:slug', {
    schema: { tags: ['content'], summary: 'A tag', params: SlugParams, response: { 200: TagEnvelopeJson, 400: ErrorJson, 404: ErrorJson } },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const tag = await content.tag(req.params.slug);
      if (!tag) throw new NotFoundError(`No tag "${req.params.slug}"`);
      const page = await content.tagArticles(tag.slug, 1, 1);
      return { contentType: JSON_TYPE, body: JSON.stringify({ tag: presentTag(tag, page?.total ?? 0, site) }), keys: [`tag:${tag.slug}`] };
    }),
  );

  app.get('/api/v1/authors/:slug', {
    schema: { tags: ['content'], summary: 'An author', params: SlugParams, response: { 200: AuthorEnvelopeJson, 400: ErrorJson, 404: ErrorJson } },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const author = await content.author(req.params.slug);
      if (!author) throw new NotFoundError(`No author "${req.params.slug}"`);
      const page = await content.authorArticles(author.slug, 1, 1);
      return { contentType: JSON_TYPE, body: JSON.stringify({ author: presentAuthor(author, page?.total ?? 0, site) }), keys: [`author:${author.slug}`] };
    }),
  );
};
