import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../../app.js';

export const storiesPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (_app, _opts) => {};
