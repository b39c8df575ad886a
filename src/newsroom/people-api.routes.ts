/**
 * The admin API's people: accounts and their roles, API tokens, staff
 * invitations and the audit log. Registered by admin-api.routes.ts, whose
 * hooks check every route's policy action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import {
  AuditListJson, AuditQuery, AUTH_ERRORS, CreateInvitationBody, CreateTokenBody, errors, IdParams, InvitationEnvelope, InvitationListJson,
  TokenCreatedJson, TokenListJson, UpdateUserBody, UserEnvelope, UserListJson, UserListQuery,
} from './newsroom.schemas.js';
import { presentAuditEntry, presentInvitation, presentToken, presentUser } from './newsroom.presenters.js';
import { as, Deleted, pagination, staffOf, TAGS } from './admin-api.js';
import { ErrorJson } from '../content/content.schemas.js';

export const peopleApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { people, invitations } = deps;

  // --- people, tokens, audit --------------------------------------------------------------

  app.get('/api/admin/users', {
    config: as('user.list'),
    schema: { tags: TAGS, summary: 'Accounts (admins)', querystring: UserListQuery, response: { 200: UserListJson, ...errors(400), ...AUTH_ERRORS } },
  }, async (req) => {
    const { role, status, q } = req.query;
    const page = req.query.page ?? 1;
    const limit = req.query.limit ?? 50;
    const { items, total } = await people.users(staffOf(req), { role, status, q }, page, limit);
    return { users: items.map(presentUser), pagination: pagination(page, limit, total) };
  });

  app.patch('/api/admin/users/:id', {
    config: as('user.manage'),
    schema: {
      tags: TAGS,
      summary: 'Change an account\'s role, or disable it (admins)',
      description: 'Disabling ends the account\'s sessions and API tokens at once. Admins cannot change their own account here.',
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: UserEnvelope, ...errors(400, 404, 409), ...AUTH_ERRORS },
    },
  }, async (req) => ({ user: presentUser(await people.updateUser(staffOf(req), req.params.id, req.body)) }));

  app.get('/api/admin/tokens', {
    config: as('token.manage'),
    schema: { tags: TAGS, summary: 'API tokens (admins)', response: { 200: TokenListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ tokens: (await people.tokens(staffOf(req))).map(presentToken) }));

  app.post('/api/admin/tokens', {
    config: as('token.manage'),
    schema: {
      tags: TAGS,
      summary: 'Make an API token (admins)',
      description: 'The token is in `secret`, shown this once; only its hash is kept. It acts for you, and ends if your account is disabled.',
      body: CreateTokenBody,
      response: { 201: TokenCreatedJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { token, secret } = await people.createToken(staffOf(req), req.body);
    reply.code(201);
    return { token: presentToken(token), secret };
  });

  app.delete('/api/admin/tokens/:id', {
    config: as('token.manage'),
    schema: { tags: TAGS, summary: 'Revoke an API token (admins)', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await people.revokeToken(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/admin/invitations', {
    config: as('invitation.manage'),
    schema: { tags: TAGS, summary: 'Pending staff invitations, newest first (admins)', response: { 200: InvitationListJson, ...AUTH_ERRORS } },
  }, async (req) => ({ invitations: (await invitations.pending(staffOf(req))).map(presentInvitation) }));

  app.post('/api/admin/invitations', {
    config: as('invitation.manage'),
    schema: {
      tags: TAGS,
      summary: 'Invite someone to a staff role by email (admins)',
      description:
        `Emails a one-time link, valid for 7 days, to set a name and a password (or, for an address with a reader account, to accept with its password). ` +
        'A new invitation to the same address replaces a pending one. An address with a staff or a disabled account is refused (409): change it with PATCH /api/admin/users/{id}.',
      body: CreateInvitationBody,
      response: { 201: InvitationEnvelope, ...errors(400, 409), 429: ErrorJson, ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const invitation = await invitations.invite(staffOf(req), req.body);
    reply.code(201);
    return { invitation: presentInvitation(invitation) };
  });

  app.delete('/api/admin/invitations/:id', {
    config: as('invitation.manage'),
    schema: { tags: TAGS, summary: 'Withdraw a pending invitation (admins): its link stops working', params: IdParams, response: { 204: Deleted, ...errors(400, 404, 409), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await invitations.revoke(staffOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/api/admin/audit', {
    config: as('audit.read'),
    schema: {
      tags: TAGS,
      summary: 'The audit log of staff actions, newest first (admins)',
      description: 'Who published, unpublished, corrected, renamed, changed roles and made tokens, when and from where.',
      querystring: AuditQuery,
      response: { 200: AuditListJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const { action, subject, actor, before } = req.query;
    const result = await people.auditLog(staffOf(req), { action, subject, actorUserId: actor, beforeId: before }, req.query.limit ?? 50);
    return { entries: result.entries.map(presentAuditEntry), next: result.next };
  });
};
