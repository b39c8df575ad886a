/**
 * Accounts as JSON: sign up, sign in (with a pending token when two-step
 * sign-in follows), sign out, password reset under /api/v1/auth, and the
 * reader's own profile under /api/v1/me. The HTML forms over the same
 * service are in account-pages.routes.tsx.
 */
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { ErrorJson } from '../content/content.schemas.js';
import { type CurrentUser } from './session.js';
import {
  CHECK_EMAIL, DeleteBody, MeJson, MessageJson, PasswordChangeBody, ProfileBody, ResetBody, ResetConfirmBody, SignedInJson, SigninBody, SignupBody,
  TokenBody,
} from './account.schemas.js';

const PRIVATE = 'private, no-store';

function userJson(u: Pick<CurrentUser, 'id' | 'email' | 'displayName' | 'role' | 'commentBanned'>) {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role, commentBanned: u.commentBanned };
}

export const accountApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { accounts, sessions } = deps;

  async function loadUserJson(userId: number) {
    const u = await accounts.userById(userId);
    if (!u) throw new AppError(500, 'internal_error', 'Something went wrong on our side.');
    return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, commentBanned: u.comment_banned_at !== null };
  }

  const api = { tags: ['accounts'] };

  app.post('/api/v1/auth/signup', { schema: { ...api, summary: 'Create an account (confirmed by an emailed link)', body: SignupBody, response: { 202: MessageJson, 400: ErrorJson } } }, async (req, reply) => {
    await accounts.signup(req.body, req.ip);
    return reply.code(202).header('Cache-Control', PRIVATE).send({ message: CHECK_EMAIL });
  });

  app.post('/api/v1/auth/signup/confirm', { schema: { ...api, summary: 'Confirm an account with the emailed token, and sign in', body: TokenBody, response: { 200: SignedInJson, 400: ErrorJson } } }, async (req, reply) => {
    const userId = await accounts.confirmSignup(req.body.token);
    await sessions.start(req, reply, userId);
    return reply.header('Cache-Control', PRIVATE).send({ user: await loadUserJson(userId) });
  });

  const TotpRequiredJson = Type.Object({ totpRequired: Type.Literal(true), pendingToken: Type.String({ description: 'For POST /api/v1/auth/signin/totp, within 5 minutes' }) });
  app.post('/api/v1/auth/signin', { schema: { ...api, summary: 'Sign in (staff with two-step sign-in get a pending token for the second step)', body: SigninBody, response: { 200: Type.Union([SignedInJson, TotpRequiredJson]), 400: ErrorJson, 401: ErrorJson, 429: ErrorJson } } }, async (req, reply) => {
    const userId = await accounts.signin({ email: req.body.email, password: req.body.password, address: req.ip });
    if (await deps.totp.isEnabled(userId)) {
      return reply.header('Cache-Control', PRIVATE).send({ totpRequired: true as const, pendingToken: await deps.totp.startPending(userId) });
    }
    await sessions.start(req, reply, userId);
    await accounts.recordStaffSignin(userId, req.ip, 'password');
    return reply.header('Cache-Control', PRIVATE).send({ user: await loadUserJson(userId) });
  });

  app.post('/api/v1/auth/signout', { schema: { ...api, summary: 'Sign out', response: { 204: Type.Null() } } }, async (req, reply) => {
    await sessions.end(req, reply);
    return reply.code(204).send(null);
  });

  app.post('/api/v1/auth/reset', { schema: { ...api, summary: 'Email a password reset link', body: ResetBody, response: { 202: MessageJson, 400: ErrorJson } } }, async (req, reply) => {
    await accounts.requestReset(req.body.email, req.ip);
    return reply.code(202).header('Cache-Control', PRIVATE).send({ message: CHECK_EMAIL });
  });

  app.post('/api/v1/auth/reset/confirm', { schema: { ...api, summary: 'Set a new password with the emailed token, and sign in', body: ResetConfirmBody, response: { 200: SignedInJson, 400: ErrorJson } } }, async (req, reply) => {
    const userId = await accounts.confirmReset(req.body.token, req.body.password);
    await sessions.start(req, reply, userId);
    return reply.header('Cache-Control', PRIVATE).send({ user: await loadUserJson(userId) });
  });

  app.get('/api/v1/me', { schema: { ...api, summary: 'Who is signed in, and the stories they favorited', response: { 200: MeJson } } }, async (req, reply) => {
    reply.header('Cache-Control', PRIVATE);
    const user = await sessions.current(req);
    if (!user) return { user: null, favorites: [] };
    return { user: userJson(user), favorites: await deps.favorites.ids(user.id) };
  });

  app.patch('/api/v1/me', { schema: { ...api, summary: 'Change the display name', body: ProfileBody, response: { 200: SignedInJson, 400: ErrorJson, 401: ErrorJson } } }, async (req, reply) => {
    const user = await sessions.require(req);
    await accounts.updateProfile(user.id, req.body);
    return reply.header('Cache-Control', PRIVATE).send({ user: await loadUserJson(user.id) });
  });

  app.put('/api/v1/me/password', { schema: { ...api, summary: 'Change the password (other sessions end)', body: PasswordChangeBody, response: { 204: Type.Null(), 400: ErrorJson, 401: ErrorJson } } }, async (req, reply) => {
    const user = await sessions.require(req);
    await accounts.changePassword(user.id, req.body.currentPassword, req.body.newPassword, user.sessionHash);
    // A new session id after a password change, too.
    await sessions.start(req, reply, user.id);
    return reply.code(204).send(null);
  });

  app.delete('/api/v1/me', { schema: { ...api, summary: 'Delete my account and my data', body: DeleteBody, response: { 204: Type.Null(), 400: ErrorJson, 401: ErrorJson } } }, async (req, reply) => {
    const user = await sessions.require(req);
    await accounts.deleteAccount(user.id, req.body.password);
    await sessions.end(req, reply);
    return reply.code(204).send(null);
  });
};
