/**
 * The newsroom in the browser, at /newsroom: server-rendered pages (one
 * *.routes.tsx per screen in this folder) over the same services and
 * policies as the admin API. Plain forms work without JavaScript; the
 * editor's rich text needs the newsroom bundle (src/client/newsroom.ts),
 * which saves through /api/admin.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../services.js';
import { storiesPages } from './stories.routes.js';
import { mediaLibraryPages } from './media-library.routes.js';
import { editorPages } from './editor.routes.js';
import { sectionsPages } from './sections.routes.js';
import { tagsPages } from './tags.routes.js';
import { authorsPages } from './authors.routes.js';
import { breakingPages } from './breaking.routes.js';
import { frontsPages } from './fronts.routes.js';
import { liveDeskPages } from './live.routes.js';
import { sitePagesPages } from './site-pages.routes.js';
import { settingsPages } from './settings.routes.js';
import { peoplePages } from './people.routes.js';
import { auditPages } from './audit.routes.js';
import { invitationPages } from './invitation.routes.js';
import { wiresPages } from './wires.routes.js';

export const newsroomPages: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  await app.register(storiesPages, { deps });
  // Its own plugin, so the multipart parser it needs is registered for it alone.
  await app.register(mediaLibraryPages, { deps });
  await app.register(editorPages, { deps });
  await app.register(sectionsPages, { deps });
  await app.register(tagsPages, { deps });
  await app.register(authorsPages, { deps });
  await app.register(breakingPages, { deps });
  await app.register(frontsPages, { deps });
  await app.register(liveDeskPages, { deps });
  await app.register(sitePagesPages, { deps });
  await app.register(settingsPages, { deps });
  await app.register(peoplePages, { deps });
  await app.register(auditPages, { deps });
  await app.register(invitationPages, { deps });
  await app.register(wiresPages, { deps });
};
