import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { authenticator } from 'otplib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { ErrorJson } from '../content/content.schemas.js';
import { type CurrentUser } from './session.js';
import { FormPage, type FormPageProps } from './views/forms.js';
import { qrImageSrc, RecoveryCodesIntro, totpAccountForms, totpConfirmForm, totpSigninForm, TotpSetupIntro } from './totp.routes.js';
import {
  DeleteBody, Email, MeJson, Next, MessageJson, PasswordChangeBody, ProfileBody, ResetBody, ResetConfirmBody, SignedInJson, SigninBody,
  SignupBody, TokenBody,
} from './account.schemas.js';
import { FormBody, formField } from '../web/forms.js';

const PRIVATE = 'private, no-store';
const CHECK_EMAIL = 'If that address can be used, we have sent a message to it. Follow the link in it to go on.';

/** A path on this site to return to after signing in; anything else goes home. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next)) return '/';
  return next;
}

function userJson(u: Pick<CurrentUser, 'id' | 'email' | 'displayName' | 'role' | 'commentBanned'>) {
  return { id: u.id, email: u.email, displayName: u.displayName, role: u.role, commentBanned: u.commentBanned };
}


/** Accounts: sign up, sign in, sign out, password reset, profile; JSON under /api/v1 and HTML forms. */
export const accountsRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { accounts, sessions } = deps;

  async function loadUserJson(userId: number) {
    const u = await accounts.userById(userId);
    if (!u) throw new AppError(500, 'internal_error', 'Something went wrong on our side.');
    return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, commentBanned: u.comment_banned_at !== null };
  }

  // ---------------------------------------------------------------- JSON API
  const api = { tags: ['accounts'] };

  app.post('/api/v1/auth/signup', { schema: { ...api, summary: 'Create an account (confirmed by an emailed link)', body: SignupBody, response: { 202: MessageJson, 400: ErrorJson } } }, async (req, reply) => {
    await accounts.signup(req.body);
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
    await accounts.requestReset(req.body.email);
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

  // ---------------------------------------------------------------- HTML forms
  async function page(reply: FastifyReply, status: number, props: Omit<FormPageProps, 'chrome'>) {
    const html = renderDocument(h(FormPage, { ...props, chrome: await buildChrome(deps) }) as VNode);
    return reply.code(status).header('Cache-Control', PRIVATE).type('text/html; charset=utf-8').send(html);
  }
  const failure = (err: unknown): { status: number; message: string } => {
    if (err instanceof AppError && err.status < 500) return { status: err.status, message: err.message };
    throw err;
  };
  const retryAfter = (reply: FastifyReply, err: unknown) => {
    const s = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof s === 'number') reply.header('Retry-After', String(s));
  };
  const validEmail = (email: string) => Value.Check(Email, email.trim());

  const signinForm = (next: string, email = '') => ({
    action: '/signin', submit: 'Sign in',
    fields: [
      { name: 'email', label: 'Email', type: 'email' as const, value: email, autocomplete: 'email' },
      { name: 'password', label: 'Password', type: 'password' as const, autocomplete: 'current-password' },
      { name: 'next', label: '', type: 'hidden' as const, value: next },
    ],
  });
  const signinFooter = (
    <p>
      New here? <a href="/signup">Create an account</a>. Forgot your password? <a href="/reset">Reset it</a>.
    </p>
  );

  app.get('/signin', { schema: { querystring: Type.Object({ next: Next }) } }, async (req, reply) => {
    const next = safeNext(req.query.next);
    const user = await sessions.current(req);
    if (user) return reply.code(303).redirect(next);
    return page(reply, 200, { title: 'Sign in', path: '/signin', forms: [signinForm(next)], footer: signinFooter,
      intro: <p>Sign in to save favorites on every device and to join the discussion.</p> });
  });

  app.post('/signin', { schema: { body: FormBody } }, async (req, reply) => {
    const email = formField(req.body, 'email');
    const next = safeNext(formField(req.body, 'next'));
    try {
      if (!validEmail(email)) throw new AppError(400, 'invalid_request', 'Enter your email address.');
      const userId = await accounts.signin({ email, password: formField(req.body, 'password'), address: req.ip });
      if (await deps.totp.isEnabled(userId)) {
        return page(reply, 200, { title: 'Two-step sign-in', path: '/signin', forms: [totpSigninForm(await deps.totp.startPending(userId), next)],
          intro: <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p> });
      }
      await sessions.start(req, reply, userId);
      await accounts.recordStaffSignin(userId, req.ip, 'password');
      return reply.code(303).redirect(next);
    } catch (err) {
      const f = failure(err);
      retryAfter(reply, err);
      return page(reply, f.status, { title: 'Sign in', path: '/signin', error: f.message, forms: [signinForm(next, email)], footer: signinFooter });
    }
  });

  app.post('/signout', async (req, reply) => {
    await sessions.end(req, reply);
    return reply.code(303).redirect('/');
  });

  const signupForm = (email = '', displayName = '') => ({
    action: '/signup', submit: 'Create account',
    fields: [
      { name: 'email', label: 'Email', type: 'email' as const, value: email, autocomplete: 'email' },
      { name: 'displayName', label: 'Display name', value: displayName, autocomplete: 'nickname', hint: 'Shown with your comments. It need not be your real name.', maxLength: 60 },
      { name: 'password', label: 'Password', type: 'password' as const, autocomplete: 'new-password', hint: 'At least 10 characters; a passphrase of several words is good.', minLength: 10 },
    ],
  });

  app.get('/signup', async (_req, reply) =>
    page(reply, 200, { title: 'Create an account', path: '/signup', forms: [signupForm()], footer: <p>Already have one? <a href="/signin">Sign in</a>.</p> }),
  );

  app.post('/signup', { schema: { body: FormBody } }, async (req, reply) => {
    const email = formField(req.body, 'email');
    const displayName = formField(req.body, 'displayName');
    try {
      if (!validEmail(email)) throw new AppError(400, 'invalid_request', 'Enter a valid email address.');
      if (displayName.trim().length > 60) throw new AppError(400, 'invalid_request', 'Choose a display name of at most 60 characters.');
      await accounts.signup({ email, displayName, password: formField(req.body, 'password') });
      return page(reply, 202, { title: 'Check your email', path: '/signup', notice: CHECK_EMAIL, forms: [] });
    } catch (err) {
      const f = failure(err);
      return page(reply, f.status, { title: 'Create an account', path: '/signup', error: f.message, forms: [signupForm(email, displayName)] });
    }
  });

  const tokenQuery = { querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) };

  // The emailed link opens a page with a button: mail scanners that follow links do not confirm anything.
  app.get('/signup/confirm', { schema: tokenQuery }, async (req, reply) =>
    page(reply, 200, {
      title: 'Confirm your account', path: '/signup/confirm',
      forms: [{ action: '/signup/confirm', submit: 'Confirm my account', fields: [{ name: 'token', label: '', type: 'hidden', value: req.query.token ?? '' }] }],
    }),
  );

  app.post('/signup/confirm', { schema: { body: FormBody } }, async (req, reply) => {
    try {
      const userId = await accounts.confirmSignup(formField(req.body, 'token'));
      await sessions.start(req, reply, userId);
      return reply.code(303).redirect('/account?welcome=1');
    } catch (err) {
      const f = failure(err);
      return page(reply, f.status, { title: 'Confirm your account', path: '/signup/confirm', error: f.message, forms: [], footer: <p><a href="/signup">Sign up again</a> to get a new link.</p> });
    }
  });

  const resetForm = (email = '') => ({ action: '/reset', submit: 'Send me a link', fields: [{ name: 'email', label: 'Email', type: 'email' as const, value: email, autocomplete: 'email' }] });

  app.get('/reset', async (_req, reply) =>
    page(reply, 200, { title: 'Reset your password', path: '/reset', intro: <p>We will email you a link to choose a new password.</p>, forms: [resetForm()] }),
  );

  app.post('/reset', { schema: { body: FormBody } }, async (req, reply) => {
    const email = formField(req.body, 'email');
    if (!validEmail(email)) return page(reply, 400, { title: 'Reset your password', path: '/reset', error: 'Enter a valid email address.', forms: [resetForm(email)] });
    await accounts.requestReset(email);
    return page(reply, 202, { title: 'Check your email', path: '/reset', notice: CHECK_EMAIL, forms: [] });
  });

  const newPasswordForm = (token: string) => ({
    action: '/reset/confirm', submit: 'Set my new password',
    fields: [
      { name: 'token', label: '', type: 'hidden' as const, value: token },
      { name: 'password', label: 'New password', type: 'password' as const, autocomplete: 'new-password', hint: 'At least 10 characters.', minLength: 10 },
    ],
  });

  app.get('/reset/confirm', { schema: tokenQuery }, async (req, reply) =>
    page(reply, 200, { title: 'Choose a new password', path: '/reset/confirm', forms: [newPasswordForm(req.query.token ?? '')] }),
  );

  app.post('/reset/confirm', { schema: { body: FormBody } }, async (req, reply) => {
    const token = formField(req.body, 'token');
    try {
      const userId = await accounts.confirmReset(token, formField(req.body, 'password'));
      await sessions.start(req, reply, userId);
      return reply.code(303).redirect('/account?reset=1');
    } catch (err) {
      const f = failure(err);
      return page(reply, f.status, { title: 'Choose a new password', path: '/reset/confirm', error: f.message, forms: f.status === 400 && (err as AppError).code === 'invalid_link' ? [] : [newPasswordForm(token)], footer: <p><a href="/reset">Ask for a new link</a>.</p> });
    }
  });

  async function accountPage(req: FastifyRequest, reply: FastifyReply, status = 200, messages: { error?: string; notice?: string } = {}) {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    const query = req.query as Record<string, string | undefined>;
    // Two-step sign-in is for staff; a reader sees it only to turn off one left from a staff role.
    const totp = deps.totp;
    const totpStatus = user.role !== 'reader' || (await totp.isEnabled(user.id))
      ? { ...(await totp.status(user.id)), required: (await totp.settings()).requireTotpFor.includes(user.role) }
      : null;
    const mustEnrol = !!totpStatus && totpStatus.required && !totpStatus.enabled;
    const notice = messages.notice ?? (query.welcome ? 'Welcome! Your account is ready.' : query.reset ? 'Your new password is set.'
      : query.invited ? `Welcome to the newsroom!${mustEnrol ? ' Your role must use two-step sign-in: set it up below before opening the newsroom.' : ''}` : null);
    return page(reply, status, {
      title: 'Your account', path: '/account', error: messages.error ?? null, notice,
      intro: <p>Signed in as <strong>{user.email}</strong>. <a href="/favorites">Your favorites</a>.</p>,
      forms: [
        { heading: 'Profile', action: '/account/profile', submit: 'Save', fields: [{ name: 'displayName', label: 'Display name', value: user.displayName, maxLength: 60, hint: 'Shown with your comments.' }] },
        {
          heading: 'Change password', action: '/account/password', submit: 'Change password',
          fields: [
            { name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' },
            { name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password', minLength: 10, hint: 'You stay signed in here; other devices are signed out.' },
          ],
        },
        ...(totpStatus ? totpAccountForms(totpStatus) : []),
        { heading: 'Sign out', action: '/signout', submit: 'Sign out', fields: [] },
        { heading: 'Delete my account', action: '/account/delete', submit: 'Delete my account and my data', danger: true, fields: [{ name: 'password', label: 'Your password, to confirm', type: 'password', autocomplete: 'current-password', hint: 'This removes your account, your favorites and the text of your comments. It cannot be undone.' }] },
      ],
    });
  }

  app.get('/account', async (req, reply) => accountPage(req, reply));

  app.post('/account/profile', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const displayName = formField(req.body, 'displayName');
      if (displayName.trim().length > 60) throw new AppError(400, 'invalid_request', 'Choose a display name of at most 60 characters.');
      await accounts.updateProfile(user.id, { displayName });
      req.dispatchUser = undefined;
      return accountPage(req, reply, 200, { notice: 'Your profile is saved.' });
    } catch (err) {
      const f = failure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/password', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await accounts.changePassword(user.id, formField(req.body, 'currentPassword'), formField(req.body, 'newPassword'), user.sessionHash);
      await sessions.start(req, reply, user.id);
      return accountPage(req, reply, 200, { notice: 'Your password is changed. Other devices have been signed out.' });
    } catch (err) {
      const f = failure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  // --- two-step sign-in (staff), as forms over the same service as /api/v1/me/totp ---

  async function totpSetupPage(reply: FastifyReply, status: number, secret: string, email: string, error?: string) {
    const otpauthUri = authenticator.keyuri(email, deps.config.siteName, secret);
    return page(reply, status, {
      title: 'Set up two-step sign-in', path: '/account', error: error ?? null,
      intro: <TotpSetupIntro secret={secret} qrSrc={await qrImageSrc(otpauthUri)} />,
      forms: [totpConfirmForm],
      footer: <p><a href="/account">Not now</a> (two-step sign-in stays off).</p>,
    });
  }

  /** Recovery codes, shown once on their own page (after enrolment, or new ones). */
  function recoveryCodesPage(reply: FastifyReply, title: string, notice: string, codes: string[]) {
    return page(reply, 200, {
      title, path: '/account', notice,
      intro: <RecoveryCodesIntro codes={codes} />,
      forms: [],
      footer: <p><a href="/account">Back to your account</a></p>,
    });
  }

  app.post('/account/totp/setup', async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { secret } = await deps.totp.setup(user);
      return totpSetupPage(reply, 200, secret, user.email);
    } catch (err) {
      const f = failure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  // Back to the setup step (after a reload): the secret waiting for its first code.
  app.get('/account/totp/setup', async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(302).redirect('/signin?next=/account');
    const secret = await deps.totp.pendingSetupSecret(user.id);
    if (!secret) return reply.code(303).redirect('/account');
    return totpSetupPage(reply, 200, secret, user.email);
  });

  app.post('/account/totp/confirm', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { recoveryCodes } = await deps.totp.confirm(user.id, formField(req.body, 'code').slice(0, 20));
      return recoveryCodesPage(reply, 'Two-step sign-in is on', 'Two-step sign-in is on: from now on you sign in with your password and a code from your app.', recoveryCodes);
    } catch (err) {
      const f = failure(err);
      retryAfter(reply, err);
      const secret = await deps.totp.pendingSetupSecret(user.id);
      if (!secret) return accountPage(req, reply, f.status, { error: f.message });
      return totpSetupPage(reply, f.status, secret, user.email, f.message);
    }
  });

  // New recovery codes, shown once on their own page (as after enrolment); a wrong code goes back to /account.
  app.post('/account/totp/recovery-codes', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { recoveryCodes } = await deps.totp.regenerateRecoveryCodes(user.id, formField(req.body, 'code').slice(0, 20));
      return recoveryCodesPage(reply, 'New recovery codes', 'You have new recovery codes: the old ones no longer work.', recoveryCodes);
    } catch (err) {
      const f = failure(err);
      retryAfter(reply, err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/totp/disable', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await deps.totp.disable(user.id, formField(req.body, 'password'), formField(req.body, 'code').slice(0, 40));
      return accountPage(req, reply, 200, { notice: 'Two-step sign-in is off: you sign in with your password alone.' });
    } catch (err) {
      const f = failure(err);
      retryAfter(reply, err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/delete', { schema: { body: FormBody } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await accounts.deleteAccount(user.id, formField(req.body, 'password'));
      await sessions.end(req, reply);
      return page(reply, 200, { title: 'Your account is deleted', path: '/account', notice: 'Your account and your data are gone. Thank you for reading.', forms: [] });
    } catch (err) {
      const f = failure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });
};
