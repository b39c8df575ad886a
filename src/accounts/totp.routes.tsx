/**
 * Staff two-step sign-in (TOTP): enrolment under /api/v1/me/totp and as the
 * /account/totp forms, the second sign-in step (JSON and HTML), the admin's
 * `security` setting, and the guard that keeps staff who must use TOTP but
 * have not enrolled out of /api/admin and /newsroom (403 totp_required).
 *
 * The plugin is not encapsulated (skip-override, as fastify-plugin does) so its
 * guard hook applies to the newsroom's and the comments' staff routes too; it
 * is registered before them.
 */
import { Type } from 'typebox';
import { authenticator } from 'otplib';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { ErrorJson } from '../content/content.schemas.js';
import { ForbiddenError, requireUser } from './session.js';
import { Password } from './account.schemas.js';
import { STAFF_ROLES, TotpRequiredError } from './totp.service.js';
import { RecoveryCodesIntro, totpConfirmForm, totpSigninForm, TotpSetupIntro } from './views/totp.js';
import { formFailure, PRIVATE, safeNext, sendAccountPage, sendFormPage, setRetryAfter } from './account-page.js';
import { TotpCodeForm, TotpDisableForm, TotpSigninForm } from './account-forms.schemas.js';

const Code = Type.String({ minLength: 6, maxLength: 20, description: 'A 6-digit code from the authenticator app, or a recovery code' });
const AppCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code the authenticator app shows now (not a recovery code)' });
const PendingToken = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'From the password step' });
const RoleList = Type.Array(Type.Union([Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]), { maxItems: 3 });
type StaffRole = 'contributor' | 'editor' | 'admin';
const staffRoles = (s: { requireTotpFor: string[] }) => ({ requireTotpFor: s.requireTotpFor.filter((r): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)) });
const SecurityJson = Type.Object({ security: Type.Object({ requireTotpFor: RoleList }) });
const errs = (...codes: number[]) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));

/**
 * The otpauth:// URI as a QR code: an SVG made on the server, shown as an
 * image (a data: URL in an attribute Preact escapes), so nothing of it is
 * ever parsed as this page's markup.
 */
export async function qrImageSrc(otpauthUri: string): Promise<string> {
  // qrcode (about 8 MB resident) is loaded when someone first sets up TOTP, not at start.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

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

  app.post('/signin/totp', { schema: { body: TotpSigninForm } }, async (req, reply) => {
    const next = safeNext(req.body.next);
    const { pendingToken } = req.body;
    try {
      const userId = await totp.completeSignin(pendingToken.slice(0, 100), req.body.code.slice(0, 40));
      await sessions.start(req, reply, userId);
      await deps.accounts.recordStaffSignin(userId, req.ip, 'password+totp');
      return reply.code(303).redirect(next);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      setRetryAfter(reply, err);
      const expired = err.code === 'signin_expired';
      return sendFormPage(deps, reply, err.status, {
        title: 'Two-step sign-in', path: '/signin', error: err.message,
        forms: expired ? [] : [totpSigninForm(pendingToken, next)],
        footer: expired ? <p><a href={`/signin?next=${encodeURIComponent(next)}`}>Sign in again</a>.</p> : undefined,
      });
    }
  });

  // --- two-step sign-in on /account: the forms over the same service as /api/v1/me/totp ---

  const page = (reply: FastifyReply, status: number, props: Parameters<typeof sendFormPage>[3]) => sendFormPage(deps, reply, status, props);
  const accountPage = sendAccountPage.bind(null, deps);

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
      const { secret } = await totp.setup(user);
      return totpSetupPage(reply, 200, secret, user.email);
    } catch (err) {
      const f = formFailure(err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  // Back to the setup step (after a reload): the secret waiting for its first code.
  app.get('/account/totp/setup', async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(302).redirect('/signin?next=/account');
    const secret = await totp.pendingSetupSecret(user.id);
    if (!secret) return reply.code(303).redirect('/account');
    return totpSetupPage(reply, 200, secret, user.email);
  });

  app.post('/account/totp/confirm', { schema: { body: TotpCodeForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { recoveryCodes } = await totp.confirm(user.id, req.body.code.slice(0, 20));
      return recoveryCodesPage(reply, 'Two-step sign-in is on', 'Two-step sign-in is on: from now on you sign in with your password and a code from your app.', recoveryCodes);
    } catch (err) {
      const f = formFailure(err);
      setRetryAfter(reply, err);
      const secret = await totp.pendingSetupSecret(user.id);
      if (!secret) return accountPage(req, reply, f.status, { error: f.message });
      return totpSetupPage(reply, f.status, secret, user.email, f.message);
    }
  });

  // New recovery codes, shown once on their own page (as after enrolment); a wrong code goes back to /account.
  app.post('/account/totp/recovery-codes', { schema: { body: TotpCodeForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      const { recoveryCodes } = await totp.regenerateRecoveryCodes(user.id, req.body.code.slice(0, 20));
      return recoveryCodesPage(reply, 'New recovery codes', 'You have new recovery codes: the old ones no longer work.', recoveryCodes);
    } catch (err) {
      const f = formFailure(err);
      setRetryAfter(reply, err);
      return accountPage(req, reply, f.status, { error: f.message });
    }
  });

  app.post('/account/totp/disable', { schema: { body: TotpDisableForm } }, async (req, reply) => {
    const user = await sessions.current(req);
    if (!user) return reply.code(303).redirect('/signin?next=/account');
    try {
      await totp.disable(user.id, req.body.password, req.body.code.slice(0, 40));
      return accountPage(req, reply, 200, { notice: 'Two-step sign-in is off: you sign in with your password alone.' });
    } catch (err) {
      const f = formFailure(err);
      setRetryAfter(reply, err);
      return accountPage(req, reply, f.status, { error: f.message });
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
