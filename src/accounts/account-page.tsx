/**
 * What the account's HTML pages share (account-pages.routes.tsx and the
 * two-step sign-in pages in totp.routes.tsx): a form page in the site's
 * look, never cached; a refusal turned into the page's words; and the
 * /account page itself, which both come back to after a form.
 */
import { h, type VNode } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { FormPage, type FormPageProps } from './views/forms.js';
import { totpAccountForms } from './views/totp.js';
import { RECOVERY_CODE_COUNT } from './totp.service.js';
import { isSitePath } from '../web/urls.js';

export const PRIVATE = 'private, no-store';

/** A path on this site to return to after signing in; anything else goes home. */
export function safeNext(next: unknown): string {
  return isSitePath(next) ? next : '/';
}

/** A page of account forms, in the site's look, never cached. */
export async function sendFormPage(deps: AppDeps, reply: FastifyReply, status: number, props: Omit<FormPageProps, 'chrome'>) {
  const html = renderDocument(h(FormPage, { ...props, chrome: await buildChrome(deps) }) as VNode);
  return reply.code(status).header('Cache-Control', PRIVATE).type('text/html; charset=utf-8').send(html);
}

/** A refusal the page shows in its own words (status and message); anything else goes to the error handler. */
export function formFailure(err: unknown): { status: number; message: string } {
  if (err instanceof AppError && err.status < 500) return { status: err.status, message: err.message };
  throw err;
}

/** A throttled attempt tells the browser when to try again. */
export function setRetryAfter(reply: FastifyReply, err: unknown): void {
  const s = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof s === 'number') reply.header('Retry-After', String(s));
}

/** The /account page (or, signed out, to sign in and back), with a notice or an error from the form just posted. */
export async function sendAccountPage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, status = 200, messages: { error?: string; notice?: string } = {}) {
  const user = await deps.sessions.current(req);
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
  return sendFormPage(deps, reply, status, {
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
      ...(totpStatus ? totpAccountForms(totpStatus, RECOVERY_CODE_COUNT) : []),
      { heading: 'Sign out', action: '/signout', submit: 'Sign out', fields: [] },
      { heading: 'Delete my account', action: '/account/delete', submit: 'Delete my account and my data', danger: true, fields: [{ name: 'password', label: 'Your password, to confirm', type: 'password', autocomplete: 'current-password', hint: 'This removes your account, your favorites and the text of your comments. It cannot be undone.' }] },
    ],
  });
}
