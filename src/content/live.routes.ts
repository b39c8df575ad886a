/**
 * The small updates endpoint of a live story's page. One URL per story, no
 * per-reader parameter: the page cache renders it once per change (every
 * post purges the story's live key) and answers everyone else from memory,
 * and a reader's poll with If-None-Match gets 304 while nothing changed. A
 * CDN may keep it for a few seconds (s-maxage) as well.
 */
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError } from '../platform/errors.js';
import { serveCached } from '../platform/cache/http.js';
import { ErrorJson, IdParams } from './content.schemas.js';
import { liveKey, LIVE_UPDATES_S_MAXAGE } from './live.model.js';
import { LivePostView, LiveTop } from './views/live.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export const LiveUpdatesJson = Type.Object({
  revision: Type.Integer({ description: 'Changes with every post, edit, pin, deletion and the end' }),
  ended: Type.Boolean(),
  more: Type.Boolean({ description: 'Older posts exist beyond `posts` (so a post missing from it may simply be older)' }),
  top: Type.String({ description: 'HTML of the status line, key-events timeline and pinned post' }),
  posts: Type.Array(Type.Object({ id: Type.Integer(), editedAt: Type.Union([Type.String(), Type.Null()]), html: Type.String() }), {
    description: 'The first page of the stream, newest first, as HTML',
  }),
});

/** How many live pages were rendered by this process (the benchmark's "renders per post"). */
export const liveRenders = { updates: 0, pages: 0 };

export const liveRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { content, cache, live } = deps;

  app.get('/api/v1/articles/:id/live', {
    schema: {
      tags: ['content'],
      summary: 'A live story\'s latest posts, for the page\'s "N new updates" button',
      description: 'Cacheable (ETag, a few seconds of s-maxage) and purged on every change; poll it with If-None-Match and expect 304 while nothing changed.',
      params: IdParams,
      response: { 200: LiveUpdatesJson, 400: ErrorJson, 404: ErrorJson },
    },
  }, async (req, reply) =>
    serveCached(req, reply, cache, async () => {
      const id = req.params.id;
      const [view, stream] = await Promise.all([content.article(id), live.stream(id)]);
      if (!view || !stream) throw new NotFoundError(`No live story with id ${id}`);
      liveRenders.updates++;
      const now = deps.now();
      const path = view.article.path;
      const body = {
        revision: stream.coverage.revision,
        ended: stream.coverage.endedAt !== null,
        more: stream.olderBefore !== null,
        top: renderToString(h(LiveTop, { live: stream, articlePath: path, now })),
        posts: stream.posts.map((p) => ({ id: p.id, editedAt: p.editedAt, html: renderToString(h(LivePostView, { post: p, articlePath: path, now })) })),
      };
      return { contentType: JSON_TYPE, body: JSON.stringify(body), keys: [`article:${id}`, liveKey(id)], sMaxAge: LIVE_UPDATES_S_MAXAGE };
    }),
  );
};
