/**
 * The newsroom's Breaking news screen (editors): the strip at the top of
 * every page, with its text, an optional link and an optional expiry, set or
 * cleared. See taxonomy-forms.ts for how every form answers.
 */
import type { Static } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { BreakingSetting } from '../content/taxonomy.service.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import { utcText, type FormValues } from './views/taxonomy-fields.js';
import { BreakingScreen, breakingFormValues } from './views/taxonomy-breaking.js';
import { attempt, bad, checkLength, firstProblem, form, length, NoticeQuery, show, trimmed, type Problem } from './taxonomy-forms.js';
import { BreakingForm } from './newsroom-forms.schemas.js';
import { safeUrl } from '../web/urls.js';

const BREAKING_NOTICES: Record<string, string> = {
  set: 'The strip is saved; the site shows it now (unless its expiry has passed).',
  cleared: 'The strip is cleared; the site no longer shows it.',
  nothing: 'There was no strip to clear.',
};

/** A datetime-local value ("2026-11-29T14:05"), read as UTC. */
function parseUtc(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function checkPath(path: string): Problem | null {
  if (!path) return null;
  if (length(path) > 2000) return bad('The link is too long (2,000 characters at most).', 'path');
  if (/\s/.test(path)) return bad('The link may not contain spaces.', 'path');
  if (!safeUrl(path)) return bad('The link must be a path on this site (starting with a single /, no backslashes) or an http(s) address.', 'path');
  return null;
}

export const breakingPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy, now } = deps;

  function breakingPage(reply: FastifyReply, page: StaffPage, current: BreakingSetting | null, values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, {
      title: 'Breaking news', screen: 'breaking', notice, problem,
      children: <BreakingScreen current={current} now={now()} form={form(values, problem)} />,
    });
  }

  /** The expiry the form asks for: "in N hours" wins over a time; neither is no expiry. */
  function expiryOf(v: Static<typeof BreakingForm>): { at: string | null } | Problem {
    const at = now();
    if (v.expiresInHours) {
      const hours = Number(v.expiresInHours);
      if (!/^\d+(\.\d+)?$/.test(v.expiresInHours) || !(hours > 0) || hours > 8760) {
        return bad('"In this many hours" must be a number of hours above 0 and at most 8760 (a year).', 'expiresInHours');
      }
      return { at: new Date(at.getTime() + Math.round(hours * 3_600_000)).toISOString() };
    }
    if (!v.expiresAt) return { at: null };
    const d = parseUtc(v.expiresAt);
    if (!d) return bad('The expiry time is not a date and time (YYYY-MM-DDTHH:MM, in UTC).', 'expiresAt');
    if (d.getTime() <= at.getTime()) return bad(`The expiry time ${utcText(d.toISOString())} has already passed (it is ${utcText(at.toISOString())} now), so the strip would never show.`, 'expiresAt');
    return { at: d.toISOString() };
  }

  app.get('/newsroom/breaking', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const current = await taxonomy.breaking(page.staff);
    return breakingPage(reply, page, current, breakingFormValues(current), BREAKING_NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/breaking', { schema: { body: BreakingForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const v = trimmed(req.body);
    const expiry = expiryOf(v);
    const expiryProblem = 'status' in expiry ? expiry : null;
    const problem = firstProblem(
      v.text ? null : bad('Write the text of the strip.', 'text'),
      checkLength(v.text, 300, 'text', 'text'),
      checkPath(v.path),
      expiryProblem,
    );
    const result = problem || 'status' in expiry
      ? { problem: problem ?? expiryProblem! }
      : await attempt(
          () => taxonomy.setBreaking(page.staff, { text: v.text, path: v.path || null, expiresAt: expiry.at }),
          (err) => (/path/.test(err.message) ? 'path' : /expir/.test(err.message) ? 'expiresAt' : null),
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/breaking', 'set');
    return breakingPage(reply, page, await taxonomy.breaking(page.staff), v, null, result.problem);
  });

  app.post('/newsroom/breaking/clear', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'breaking.manage');
    if (!page) return reply;
    const before = await taxonomy.breaking(page.staff);
    await taxonomy.clearBreaking(page.staff);
    return seeOther(reply, '/newsroom/breaking', before ? 'cleared' : 'nothing');
  });
};
