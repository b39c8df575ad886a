/**
 * The newsroom's Settings screen (admins): which staff roles must use
 * two-step sign-in, and how the discussion starts (default mode, closing old
 * stories, banned words). See taxonomy-forms.ts for how every form answers.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { requireUser } from '../accounts/session.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import type { FormState, FormValues } from './views/taxonomy-fields.js';
import { commentSettingsValues, SettingsScreen, TOTP_ROLES } from './views/taxonomy-settings.js';
import { attempt, bad, firstProblem, length, NoticeQuery, show, type Problem } from './taxonomy-forms.js';
import { CommentSettingsForm, SecuritySettingsForm } from './newsroom-forms.schemas.js';

const SETTINGS_NOTICES: Record<string, string> = {
  security: 'Sign-in settings saved.',
  comments: 'Comment settings saved. Stories following the default show it now.',
};
const MODES = ['open', 'closed', 'premoderated'] as const;
type Mode = (typeof MODES)[number];

interface SettingsState {
  requireTotpFor?: string[];
  comments?: FormValues;
  invalidForm?: 'security' | 'comments';
  invalidField?: string | null;
}

export const settingsPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { totp } = deps;

  async function settingsPage(reply: FastifyReply, page: StaffPage, actor: Awaited<ReturnType<typeof requireUser>>, state: SettingsState, notice: string | null, problem?: Problem | null) {
    const [security, comments, selfEnrolled] = await Promise.all([totp.settings(), deps.comments.getSettings(actor), totp.isEnabled(actor.id)]);
    const commentsForm: FormState = {
      values: state.comments ?? commentSettingsValues(comments),
      invalid: state.invalidForm === 'comments' ? (state.invalidField ?? null) : null,
    };
    return show(reply, page, {
      title: 'Settings', screen: 'settings', notice, problem,
      children: (
        <SettingsScreen
          requireTotpFor={state.requireTotpFor ?? security.requireTotpFor}
          selfEnrolled={selfEnrolled}
          comments={commentsForm}
          staffIdleMinutes={deps.config.staffIdleMinutes}
          invalidForm={state.invalidForm ?? null}
        />
      ),
    });
  }

  app.get('/newsroom/settings', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    return settingsPage(reply, page, actor, {}, SETTINGS_NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/settings/security', { schema: { body: SecuritySettingsForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    const roles = req.body.requireTotpFor;
    const known: readonly string[] = TOTP_ROLES.map((r) => r.role);
    let problem: Problem | null = null;
    if (roles.some((r) => !known.includes(r))) problem = bad('Tick roles from the list only.', 'requireTotpFor');
    else if (roles.includes('admin') && actor.role === 'admin' && !(await totp.isEnabled(actor.id))) {
      problem = bad(
        'You have not set up two-step sign-in yourself, so requiring it for admins would shut you out of the newsroom. ' +
          'Set up an authenticator app for your account first.',
        'requireTotpFor',
      );
    }
    if (problem) return settingsPage(reply, page, actor, { requireTotpFor: roles, invalidForm: 'security' }, null, problem);
    await totp.setSettings({ requireTotpFor: roles.filter((r): r is 'contributor' | 'editor' | 'admin' => known.includes(r)) }, { userId: actor.id, role: actor.role, ip: req.ip });
    return seeOther(reply, '/newsroom/settings', 'security');
  });

  app.post('/newsroom/settings/comments', { schema: { body: CommentSettingsForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'user.manage');
    if (!page) return reply;
    const actor = await deps.sessions.require(req);
    const v = { ...req.body, closeAfterDays: req.body.closeAfterDays.trim() };
    const words = v.bannedWords.split(/\r?\n/).map((w) => w.trim()).filter(Boolean);
    const longWord = words.find((w) => length(w) > 100);
    const problem = firstProblem(
      (MODES as readonly string[]).includes(v.defaultMode) ? null : bad('Choose how comments start from the list.', 'defaultMode'),
      /^\d{1,4}$/.test(v.closeAfterDays) && Number(v.closeAfterDays) <= 3650
        ? null
        : bad('"Close comments on stories older than" must be a whole number of days from 0 to 3650.', 'closeAfterDays'),
      longWord ? bad(`"${longWord.slice(0, 40)}…" is too long for a banned word or phrase (100 characters at most).`, 'bannedWords') : null,
      words.length > 1000 ? bad(`That is ${words.length} banned words; the most is 1,000.`, 'bannedWords') : null,
    );
    const result = problem
      ? { problem }
      : await attempt(() =>
          deps.comments.updateSettings(actor, { defaultMode: v.defaultMode as Mode, closeAfterDays: Number(v.closeAfterDays), bannedWords: words }, { ip: req.ip }),
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/settings', 'comments');
    return settingsPage(reply, page, actor, { comments: v, invalidForm: 'comments', invalidField: result.problem.field ?? null }, null, result.problem);
  });
};
