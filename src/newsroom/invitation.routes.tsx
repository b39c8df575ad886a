/**
 * The invitee's side of a staff invitation (/invite): the emailed link opens
 * a form to accept it, with a new account's name and password, or with the
 * password of the reader account the address already has. The admin's side
 * is on the People screen (people.routes.tsx).
 */
import { h, type VNode } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Role } from '../platform/db/types.js';
import { refusal } from '../platform/errors.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { FormPage, type FormPageProps, type FormSpec } from '../accounts/views/forms.js';
import { InvalidInvitationError, type InvitationForInvitee } from '../accounts/invitation.service.js';
import { InviteAcceptForm } from './newsroom-forms.schemas.js';

const PRIVATE = 'private, no-store';

export const invitationPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { sessions, accounts, config, invitations } = deps;

  async function invitePage(reply: FastifyReply, status: number, props: Omit<FormPageProps, 'chrome' | 'path'>) {
    const html = renderDocument(h(FormPage, { ...props, path: '/invite', chrome: await buildChrome(deps) }) as VNode);
    // The link's token is in this page's address: keep it out of caches and other sites' logs.
    return reply.code(status).header('Cache-Control', PRIVATE).header('Referrer-Policy', 'no-referrer').header('X-Robots-Tag', 'noindex').type('text/html; charset=utf-8').send(html);
  }

  const invalidLink = (reply: FastifyReply, message = new InvalidInvitationError().message) =>
    invitePage(reply, 400, { title: 'Invitation', error: message, forms: [], footer: <p>Already have a newsroom account? <a href="/signin?next=/newsroom">Sign in</a>.</p> });

  function acceptForm(token: string, inv: InvitationForInvitee, displayName = ''): FormSpec {
    const fields: FormSpec['fields'] = [{ name: 'token', label: '', type: 'hidden', value: token }];
    if (inv.account === 'reader') {
      fields.push({ name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', hint: `The password of your account ${inv.email}.` });
      return { action: '/invite', submit: 'Accept the invitation', fields };
    }
    fields.push(
      { name: 'displayName', label: 'Display name', value: displayName, autocomplete: 'name', maxLength: 60, hint: 'How colleagues see you in the newsroom.' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', minLength: 10, hint: 'At least 10 characters; a passphrase of several words is good.' },
    );
    return { action: '/invite', submit: 'Create my account', fields };
  }

  function inviteIntro(inv: InvitationForInvitee) {
    const who = inv.invitedBy ? `${inv.invitedBy} invited you` : 'You are invited';
    return (
      <>
        <p>
          {who} to join the {config.siteName} newsroom as <strong>{inv.role}</strong>, with the address <strong>{inv.email}</strong>.
        </p>
        <p>
          {inv.account === 'reader'
            ? `You already have a ${config.siteName} account with this address. Accept with its password: it keeps your name, comments and favorites, and becomes a newsroom account.`
            : 'Choose the name colleagues will see and a password.'}
        </p>
      </>
    );
  }

  app.get('/invite', { schema: { querystring: Type.Object({ token: Type.Optional(Type.String({ maxLength: 200 })) }) } }, async (req, reply) => {
    const token = req.query.token ?? '';
    let inv: InvitationForInvitee;
    try {
      inv = await invitations.forInvitee(token);
    } catch (err) {
      return invalidLink(reply, refusal(err).message);
    }
    return invitePage(reply, 200, { title: `Join the ${config.siteName} newsroom`, intro: inviteIntro(inv), forms: [acceptForm(token, inv)] });
  });

  app.post('/invite', { schema: { body: InviteAcceptForm } }, async (req, reply) => {
    const token = req.body.token.slice(0, 200);
    const { displayName, password } = req.body;
    let inv: InvitationForInvitee;
    try {
      inv = await invitations.forInvitee(token);
    } catch (err) {
      return invalidLink(reply, refusal(err).message);
    }
    try {
      let accepted: { userId: number; role: Role };
      if (inv.account === 'reader') {
        // The account's own password, through sign-in's throttling; then the role.
        const userId = await accounts.signin({ email: inv.email, password, address: req.ip });
        accepted = await invitations.acceptExisting(token, userId, req.ip ?? null);
        // An account that already uses two-step sign-in signs in with it.
        if (await deps.totp.isEnabled(userId)) return reply.code(303).header('Cache-Control', PRIVATE).redirect('/signin?next=/newsroom');
      } else {
        accepted = await invitations.acceptNew(token, { displayName, password }, req.ip ?? null);
      }
      await sessions.start(req, reply, accepted.userId);
      await accounts.recordStaffSignin(accepted.userId, req.ip ?? null, 'invitation');
      // A role that must use two-step sign-in sets it up first, on the account page.
      const next = (await deps.totp.mustEnrol(accepted.userId, accepted.role)) ? '/account?invited=1' : '/newsroom';
      return reply.code(303).header('Cache-Control', PRIVATE).redirect(next);
    } catch (err) {
      const e = refusal(err);
      if (e instanceof InvalidInvitationError) return invalidLink(reply, e.message);
      const s = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof s === 'number') reply.header('Retry-After', String(s));
      const message = e.code === 'invalid_credentials' ? 'That is not the password of your account.' : e.message;
      return invitePage(reply, e.status, { title: `Join the ${config.siteName} newsroom`, intro: inviteIntro(inv), error: message, forms: [acceptForm(token, inv, displayName)] });
    }
  });
};
