/**
 * Accounts as HTML forms: sign in (and on to the two-step form when the
 * account uses it), sign out, sign up and its emailed confirmation, password
 * reset, and /account (profile, password, deleting the account). The
 * /account/totp forms are in totp.routes.tsx; the JSON API over the same
 * service is account-api.routes.ts.
 */
import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import type { FormPageProps } from './views/forms.js';
import { totpSigninForm } from './views/totp.js';
import { CHECK_EMAIL, Email, Next } from './account.schemas.js';
import {
  ConfirmSignupForm, DeleteAccountForm, NewPasswordForm, PasswordChangeForm, ProfileForm, ResetForm, SigninForm, SignupForm,
} from './account-forms.schemas.js';
import { formFailure, safeNext, sendAccountPage, sendFormPage, setRetryAfter } from './account-page.js';

export const accountPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { accounts, sessions } = deps;
  const page = (reply: FastifyReply, status: number, props: Omit<FormPageProps, 'chrome'>) => sendFormPage(deps, reply, status, props);
  const accountPage = (req: FastifyRequest, reply: FastifyReply, status?: number, messages?: { error?: string; notice?: string }) =>
    sendAccountPage(deps, req, reply, status, messages);
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

  app.post('/signin', { schema: { body: SigninForm } }, async (req, reply) => {
    const { email, password } = req.body;
    const next = safeNext(req.body.next);
    try {
      if (!validEmail(email)) throw new AppError(400, 'invalid_request', 'Enter your email address.');
      const userId = await accounts.signin({ email, password, address: req.ip });
      if (await deps.totp.isEnabled(userId)) {
        return page(reply, 200, { title: 'Two-step sign-in', path: '/signin', forms: [totpSigninForm(await deps.totp.startPending(userId), next)],
          intro: <p>Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p> });
      }
      await sessions.start(req, reply, userId);
      await accounts.recordStaffSignin(userId, req.ip, 'password');
      return reply.code(303).redirect(next);
    } catch (err) {
      const f = formFailure(err);
      setRetryAfter(reply, err);
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

  app.post('/signup', { schema: { body: SignupForm } }, async (req, reply) => {
    const { email, displayName, password } = req.body;
    try {
      if (!validEmail(email)) throw new AppError(400, 'invalid_request', 'Enter a valid email address.');
      if (displayName.trim().length > 60) throw new AppError(400, 'invalid_request', 'Choose a display name of at most 60 characters.');
      await accounts.signup({ email, displayName, password }, req.ip);
      return page(reply, 202, { title: 'Check your email', path: '/signup', notice: CHECK_EMAIL, forms: [] });
    } catch (err) {
      const f = formFailure(err);
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

  app.post('/signup/confirm', { schema: { body: ConfirmSignupForm } }, async (req, reply) => {
    try {
      const userId = await accounts.confirmSignup(req.body.token);
      await sessions.start(req, reply, userId);
      return reply.code(303).redirect('/account?welcome=1');
    } catch (err) {
      const f = formFailure(err);
      return page(reply, f.status, { title: 'Confirm your account', path: '/signup/confirm', error: f.message, forms: [], footer: <p><a href="/signup">Sign up again</a> to get a new link.</p> });
    }
  });

  const resetForm = (email = '') => ({ action: '/reset', submit: 'Send me a link', fields: [{ name: 'email', label: 'Email', type: 'email' as const, value: email, autocomplete: 'email' }] });

  app.get('/reset', async (_req, reply) =>
    page(reply, 200, { title: 'Reset your password', path: '/reset', intro: <p>We will email you a link to choose a new password.</p>, forms: [resetForm()] }),
  );

  app.post('/reset', { schema: { body: ResetForm } }, async (req, reply) => {
    const { email } = req.body;
    if (!validEmail(email)) return page(reply, 400, { title: 'Reset your password', path: '/reset', error: 'Enter a valid email address.', forms: [resetForm(email)] });
    await accounts.requestReset(email, req.ip);
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

  app.post('/reset/confirm', { schema: { body: NewPasswordForm } }, async (req, reply) => {
    const { token, password } = req.body;
    try {
      const userId = await accounts.confirmReset(token, password);
      await sessions.start(req, reply, userId);
      return reply.code(303).redirect('/account?reset=1');
    } catch (err) {
      const f = formFailure(err);
      return page(reply, f.status, { title: 'Choose a new password', path: '/reset/confirm', error: f.message, forms: f.status === 400 && (err as AppError).code === 'invalid_link' ? [] : [newPasswordForm(token)], footer: <p><a href="/reset">Ask for a new link</a>.</p> });
    }
  });

  app.get('/account', async (req, reply) => accountPage(req, reply));

  app.post('/account/profile', { schema: { body: ProfileForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { displayName } = req.body;
      if (displayName.trim().length > 60) throw new AppError(400, 'invalid_request', 'Choose a display name of at most 60 characters.');
      await accounts.updateProfile(user.id, { displayName });
      req.dispatchUser = undefined;
      return accountPage(req, reply, 200, { notice: 'Your profile is saved.' });
    } catch (err) {
      const f = formFailure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/password', { schema: { body: PasswordChangeForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await accounts.changePassword(user.id, req.body.currentPassword, req.body.newPassword, user.sessionHash);
      await sessions.start(req, reply, user.id);
      return accountPage(req, reply, 200, { notice: 'Your password is changed. Other devices have been signed out.' });
    } catch (err) {
      const f = formFailure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/delete', { schema: { body: DeleteAccountForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await accounts.deleteAccount(user.id, req.body.password);
      await sessions.end(req, reply);
      return page(reply, 200, { title: 'Your account is deleted', path: '/account', notice: 'Your account and your data are gone. Thank you for reading.', forms: [] });
    } catch (err) {
      const f = formFailure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });
};
