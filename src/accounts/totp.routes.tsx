/**
 * Staff two-step sign-in (TOTP): enrolment under /api/v1/me/totp, the second
 * sign-in step (JSON and HTML), the admin's `security` setting, and the guard
 * that keeps staff who must use TOTP but have not enrolled out of /api/admin
 * and /newsroom (403 totp_required).
 *
 * The plugin is not encapsulated (skip-override, as fastify-plugin does) so its
 * guard hook applies to the newsroom's and the comments' staff routes too; it
 * is registered before them.
 */
import { h, type VNode } from 'preact';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { ErrorJson } from '../content/content.schemas.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import { ForbiddenError, requireUser } from './session.js';
import { FormPage, type FormSpec } from './views/forms.js';
import { Password } from './account.schemas.js';
import { RECOVERY_CODE_COUNT, STAFF_ROLES, TotpRequiredError } from './totp.service.js';
import { FormBody, formField } from '../web/forms.js';

const PRIVATE = 'private, no-store';
const Code = Type.String({ minLength: 6, maxLength: 20, description: 'A 6-digit code from the authenticator app, or a recovery code' });
const AppCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code the authenticator app shows now (not a recovery code)' });
const PendingToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'From the password step' });
const RoleList = Type.Array(Type.Union([Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]), { maxItems: 3 });
type StaffRole = 'contributor' | 'editor' | 'admin';
const staffRoles = (s: { requireTotpFor: string[] }) => ({ requireTotpFor: s.requireTotpFor.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)) });
const SecurityJson = Type.Object({ security: Type.Object({ requireTotpFor: RoleList }) });
const errs = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));

/** The second sign-in form (after a right password), for the HTML sign-in. */
export function totpSigninForm(pendingToken: string, next: string): FormSpec {
  return {
    action: '/signin/totp', submit: 'Verify',
    fields: [
      { name: 'code', label: 'Code from your authenticator app (or a recovery code)', autocomplete: 'one-time-code', maxLength: 20 },
      { name: 'pendingToken', label: '', type: 'hidden', value: pendingToken },
      { name: 'next', label: '', type: 'hidden', value: next },
    ],
  };
}

/**
 * The otpauth:// URI as a QR code: an SVG made on the server, shown as an
 * image (a data: URL in an attribute Preact escapes), so nothing of it is
 * ever parsed as this page's markup.
 */
export async function qrImageSrc(otpauthUri: string): Promise<string> {
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

/** The base32 secret in groups of four, as authenticator apps show and accept it. */
export const groupedSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** The first step of the HTML enrolment: scan (or type) the secret, then confirm with a code. */
export function TotpSetupIntro({ secret, qrSrc }: { secret: string; qrSrc: string }) {
  return (
    <div class="totp-setup">
      <p>
        1. Open your authenticator app (any app for “TOTP” codes, such as a password manager) and scan this code:
      </p>
      <p>
        <img class="totp-setup__qr" src={qrSrc} width={200} height={200} alt="QR code with the key for your authenticator app (the same key is written below)" />
      </p>
      <p>
        Or type this key into the app by hand: <code class="totp-setup__secret" data-secret={secret}>{groupedSecret(secret)}</code>
      </p>
      <p>2. Enter the 6-digit code the app shows now, to check that it works. Two-step sign-in is on from then.</p>
    </div>
  );
}

export const totpConfirmForm: FormSpec = {
  action: '/account/totp/confirm', submit: 'Turn on two-step sign-in',
  fields: [{ name: 'code', label: 'Code from your authenticator app', autocomplete: 'one-time-code', maxLength: 6, minLength: 6 }],
};

/** Shown once, right after enrolment: only hashes of the codes are kept. */
export function RecoveryCodesIntro({ codes }: { codes: string[] }) {
  return (
    <div class="totp-recovery">
      <p>
        <strong>Save these recovery codes now</strong> (print them, or keep them in a password manager). Each works once instead of a code from your app,
        if you lose your phone. They are not shown again.
      </p>
      <ol class="totp-recovery__codes">
        {codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * The /account page's section: set it up; or, once on, make new recovery codes
 * (a current code, as POST /api/v1/me/totp/recovery-codes) and turn it off
 * (password and a code, as DELETE /api/v1/me/totp). The heading goes on the first form.
 */
export function totpAccountForms(status: { enabled: boolean; recoveryCodesLeft: number; required: boolean }): Array<FormSpec & { heading?: string }> {
  if (!status.enabled) {
    return [{
      heading: `Two-step sign-in: off${status.required ? ' (your role must use it)' : ''}`,
      action: '/account/totp/setup', submit: 'Set up two-step sign-in', fields: [],
    }];
  }
  const left = status.recoveryCodesLeft;
  return [
    {
      heading: `Two-step sign-in: on (${left} recovery ${left === 1 ? 'code' : 'codes'} left)`,
      action: '/account/totp/recovery-codes', submit: 'Make new recovery codes',
      fields: [{
        name: 'code', label: 'Code from your app', autocomplete: 'one-time-code', minLength: 6, maxLength: 6,
        hint: `Gives you ${RECOVERY_CODE_COUNT} new recovery codes, shown once; your old ones stop working.`,
      }],
    },
    {
      action: '/account/totp/disable', submit: 'Turn off two-step sign-in', danger: true,
      fields: [
        { name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', hint: 'Turning it off needs your password and a current code.' },
        { name: 'code', label: 'Code from your app (or a recovery code)', autocomplete: 'one-time-code', maxLength: 20 },
      ],
    },
  ];
}

const safeNext = (next: unknown): string =>
  typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /[\r\n]/.test(next) ? '/' : next;

const plugin: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { sessions } = deps;
  const totp = deps.totp;
  const api = { tags: ['accounts'] };

  // Staff in a role that must use TOTP, without it, may not use the newsroom yet.
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url ?? '';
    if (!(route.startsWith('/api/admin') || route.startsWith('/newsroom'))) return;
    // API tokens are not sign-ins; they carry their own rights.
    if (typeof req.headers.authorization === 'string' && req.headers.authorization.trim()) return;
    const user = await sessions.current(req);
    if (user && (await totp.mustEnrol(user.id, user.role))) throw new TotpRequiredError();
  });

  async function userJson(userId: number) {
    const u = await deps.accounts.userById(userId);
    if (!u) throw new AppError(500, 'internal_error', 'Something went wrong on our side.');
    return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, commentBanned: u.comment_banned_at !== null };
  }

  app.get('/api/v1/me/totp', {
    schema: { ...api, summary: 'Whether two-step sign-in is on, and how many recovery codes are left', response: { 200: Type.Object({ enabled: Type.Boolean(), recoveryCodesLeft: Type.Integer(), required: Type.Boolean() }), ...errs(401) } },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    const s = await totp.status(user.id);
    return reply.header('Cache-Control', PRIVATE).send({ ...s, required: (await totp.settings()).requireTotpFor.includes(user.role) });
  });

  app.post('/api/v1/me/totp/setup', {
    schema: { ...api, summary: 'Start two-step sign-in (staff): a new secret for an authenticator app', response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String() }), ...errs(401, 403, 409) } },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    return reply.header('Cache-Control', PRIVATE).send(await totp.setup(user));
  });

  app.post('/api/v1/me/totp/confirm', {
    schema: {
      ...api, summary: 'Turn two-step sign-in on with a first code; answers the recovery codes, once',
      body: Type.Object({ code: Code }, { additionalProperties: false }),
      response: { 200: Type.Object({ enabled: Type.Literal(true), recoveryCodes: Type.Array(Type.String()) }), ...errs(400, 401, 409, 429) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    const { recoveryCodes } = await totp.confirm(user.id, req.body.code);
    return reply.header('Cache-Control', PRIVATE).send({ enabled: true as const, recoveryCodes });
  });

  app.post('/api/v1/me/totp/recovery-codes', {
    schema: {
      ...api, summary: 'Replace the recovery codes with new ones (needs a current code from the app); answers them, once',
      description: 'Every earlier recovery code stops working. Wrong codes count towards the same per-account limit as the other two-step sign-in codes.',
      body: Type.Object({ code: AppCode }, { additionalProperties: false }),
      response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...errs(400, 401, 429) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    const { recoveryCodes } = await totp.regenerateRecoveryCodes(user.id, req.body.code);
    return reply.header('Cache-Control', PRIVATE).send({ recoveryCodes });
  });

  app.delete('/api/v1/me/totp', {
    schema: {
      ...api, summary: 'Turn two-step sign-in off (needs the password and a code)',
      body: Type.Object({ password: Password, code: Code }, { additionalProperties: false }),
      response: { 204: Type.Null(), ...errs(400, 401, 429) },
    },
  }, async (req, reply) => {
    const user = await sessions.require(req);
    await totp.disable(user.id, req.body.password, req.body.code);
    return reply.code(204).send(null);
  });

  app.post('/api/v1/auth/signin/totp', {
    schema: {
      ...api, summary: 'Second sign-in step: the pending token from the password step and a code (or a recovery code)',
      body: Type.Object({ pendingToken: PendingToken, code: Code }, { additionalProperties: false }),
      response: { 200: Type.Object({ user: Type.Object({ id: Type.Integer(), email: Type.String(), displayName: Type.String(), role: Type.String(), commentBanned: Type.Boolean() }) }), ...errs(400, 401, 429) },
    },
  }, async (req, reply) => {
    const userId = await totp.completeSignin(req.body.pendingToken, req.body.code);
    await sessions.start(req, reply, userId);
    await deps.accounts.recordStaffSignin(userId, req.ip, 'password+totp');
    return reply.header('Cache-Control', PRIVATE).send({ user: await userJson(userId) });
  });

  app.post('/signin/totp', { schema: { body: FormBody } }, async (req, reply) => {
    const field = (k: string) => formField(req.body, k);
    const next = safeNext(field('next'));
    const pendingToken = field('pendingToken');
    try {
      const userId = await totp.completeSignin(pendingToken.slice(0, 100), field('code').slice(0, 40));
      await sessions.start(req, reply, userId);
      await deps.accounts.recordStaffSignin(userId, req.ip, 'password+totp');
      return reply.code(303).redirect(next);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const s = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (typeof s === 'number') reply.header('Retry-After', String(s));
      const expired = err.code === 'signin_expired';
      const html = renderDocument(h(FormPage, {
        chrome: await buildChrome(deps), title: 'Two-step sign-in', path: '/signin', error: err.message,
        forms: expired ? [] : [totpSigninForm(pendingToken, next)],
        footer: expired ? <p><a href={`/signin?next=${encodeURIComponent(next)}`}>Sign in again</a>.</p> : undefined,
      }) as VNode);
      return reply.code(err.status).header('Cache-Control', PRIVATE).type('text/html; charset=utf-8').send(html);
    }
  });

  // ------------------------------------------------------------ admin setting
  const requireAdmin = async (req: Parameters<typeof requireUser>[0]) => {
    const user = await sessions.require(req);
    if (user.role !== 'admin') throw new ForbiddenError('Only admins manage security settings.');
    return user;
  };

  app.get('/api/admin/settings/security', {
    schema: { tags: ['admin'], summary: 'Sign-in security settings (admins)', response: { 200: SecurityJson, ...errs(401, 403) } },
  }, async (req, reply) => {
    await requireAdmin(req);
    return reply.header('Cache-Control', 'no-store').send({ security: staffRoles(await totp.settings()) });
  });

  app.put('/api/admin/settings/security', {
    schema: {
      tags: ['admin'], summary: 'Require two-step sign-in for staff roles (admins)',
      description: 'Staff in a listed role without TOTP can still sign in, but get 403 totp_required on /api/admin and /newsroom until they enrol.',
      body: Type.Object({ requireTotpFor: RoleList }, { additionalProperties: false }),
      response: { 200: SecurityJson, ...errs(400, 401, 403) },
    },
  }, async (req, reply) => {
    const admin = await requireAdmin(req);
    const security = await totp.setSettings({ requireTotpFor: req.body.requireTotpFor }, { userId: admin.id, role: admin.role, ip: req.ip });
    return reply.header('Cache-Control', 'no-store').send({ security: staffRoles(security) });
  });
};

// Not encapsulated (what fastify-plugin sets): the guard hook reaches the newsroom's routes.
(plugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export const staffTotpRoutes = plugin;
