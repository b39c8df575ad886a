/**
 * The newsroom's audit log (admins): who did what, newest first, filtered by
 * action or by who acted, paged by the last entry's id.
 */
import { h } from 'preact';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AuditView, type AuditFilterView } from './views/audit.js';
import { sendNewsroomPage, staffPage } from './staff-page.js';
import { Id } from '../platform/input.js';

const AUDIT_PAGE_SIZE = 50;

const Empty = Type.Literal('');

const AuditQuery = Type.Object({
  action: Type.Optional(Type.Union([Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', maxLength: 60 }), Empty])),
  actor: Type.Optional(Type.Union([Id, Empty])),
  before: Type.Optional(Id),
});

export const auditPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { people } = deps;

  app.get('/newsroom/audit', { schema: { querystring: AuditQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'audit.read');
    if (!page) return reply;
    const filter: AuditFilterView = {
      action: req.query.action || undefined,
      actor: typeof req.query.actor === 'number' ? req.query.actor : undefined,
      before: req.query.before,
    };
    const log = await people.auditPage(page.staff, { action: filter.action, actorUserId: filter.actor, beforeId: filter.before }, AUDIT_PAGE_SIZE);
    return sendNewsroomPage(reply, page, {
      title: 'Audit log', screen: 'audit',
      children: h(AuditView, { entries: log.entries, next: log.next, names: log.names, staff: log.staff, filter, now: page.chrome.now }),
    });
  });
};
