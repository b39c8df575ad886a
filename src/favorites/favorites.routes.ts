import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../app.js';
import { NotImplementedError } from '../platform/errors.js';
import { ErrorJson, IdParams } from '../content/content.schemas.js';

const MESSAGE = 'Favorites are not available yet: reader accounts are coming soon. Nothing was saved.';

/**
 * The endpoints the "Add to favorites" form and script talk to. Reader
 * accounts come in the next step; until then they answer 501 and change nothing.
 */
export const favoritesRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app) => {
  app.post('/favorites/:id', { schema: { params: IdParams } }, async () => {
    throw new NotImplementedError(MESSAGE);
  });

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/api/v1/me/favorites/:id',
      schema: {
        tags: ['favorites'],
        summary: method === 'PUT' ? 'Save a story to the reader\'s favorites (not available yet)' : 'Remove a story from the reader\'s favorites (not available yet)',
        params: IdParams,
        response: { 501: ErrorJson, 400: ErrorJson },
      },
      handler: async () => {
        throw new NotImplementedError(MESSAGE);
      },
    });
  }
};
