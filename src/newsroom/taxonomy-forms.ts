/**
 * What the newsroom's management screens share (sections, tags, authors,
 * breaking news, settings): reading a posted form, checking it in the form's
 * own words, turning a service's refusal into a Problem for the form, the
 * notices after a redirect, and showing a screen with either.
 *
 * Every POST answers in one of two ways: the change was made, and the browser
 * is sent back (303) with a notice code the page turns into words; or nothing
 * was written, and the same form comes back with what was typed and a clear
 * error (400 bad input, 409 a conflict such as a slug in use). Input is
 * checked here, in the form's own words, before the service checks it again.
 * Cross-site POSTs never get here (platform/csrf.ts refuses them).
 */
import type { ComponentChildren } from 'preact';
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import { AppError } from '../platform/errors.js';
import { SLUG_PATTERN } from '../content/content.model.js';
import type { NewsroomScreen } from './views/layout.js';
import { sendNewsroomPage, type StaffPage } from './staff-page.js';
import type { FormState, FormValues } from './views/taxonomy-fields.js';
import { Id } from '../platform/input.js';

// --- form input -------------------------------------------------------------------
// The forms' bodies are typed by their schemas (newsroom-forms.schemas.ts).

export const IdParams = Type.Object({ id: Id });
export const NoticeQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ maxLength: 120 })),
});

export const SLUG_RE = new RegExp(SLUG_PATTERN);

/** Every field of a form without the spaces around it. */
export const trimmed = <T extends Record<string, string>>(v: T): T => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x.trim()])) as T;

/** Characters as a reader counts them (and as the API's length limits do), not UTF-16 units. */
export const length = (s: string) => [...s].length;

/** Why nothing was written: the page's role=alert message, and the field it is about. */
export interface Problem {
  status: 400 | 409;
  message: string;
  field?: string | null;
}

export const NOTHING_SAVED = 'Nothing was saved.';
export const bad = (message: string, field?: string): Problem => ({ status: 400, message: `${message} ${NOTHING_SAVED}`, field: field ?? null });

export function checkName(name: string, max: number, what: string): Problem | null {
  if (!name) return bad(`Give the ${what} a name.`, 'name');
  if (length(name) > max) return bad(`The name is ${length(name)} characters long; the most is ${max}.`, 'name');
  return null;
}

export function checkSlug(slug: string, required: boolean): Problem | null {
  if (!slug) return required ? bad('The slug cannot be empty: it is the address.', 'slug') : null;
  if (length(slug) > 120) return bad('The slug is too long (120 characters at most).', 'slug');
  if (!SLUG_RE.test(slug)) return bad(`"${slug}" is not a slug: use lowercase letters (a-z), digits and single hyphens, e.g. "middle-east".`, 'slug');
  return null;
}

export function checkLength(value: string, max: number, label: string, name: string): Problem | null {
  return length(value) > max ? bad(`The ${label} is ${length(value)} characters long; the most is ${max}.`, name) : null;
}

export const firstProblem = (...checks: Array<Problem | null>): Problem | null => checks.find((p) => p !== null) ?? null;

/**
 * Runs a service call; a refusal about the input (400) or a conflict (409)
 * becomes a Problem for the form, and anything else (403, 404, a failure)
 * goes to the error handler as usual. `fieldOf` names the field a refusal is about.
 */
export async function attempt<T>(work: () => Promise<T>, fieldOf: (err: AppError) => string | null = () => null): Promise<{ ok: T } | { problem: Problem }> {
  try {
    return { ok: await work() };
  } catch (err) {
    if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
      const message = /nothing was (saved|changed|written)/i.test(err.message) ? err.message : `${err.message} ${NOTHING_SAVED}`;
      return { problem: { status: err.status, message, field: fieldOf(err) } };
    }
    throw err;
  }
}

/** The service's refusals of a section, tag or author: a slug in use or reserved, or (sections) a parent that cannot be. */
export const taxonomyField = (err: AppError): string | null => {
  if (err.status === 409 || /used by the site/.test(err.message)) return 'slug';
  if (/parent|subsection|no section/i.test(err.message)) return 'parent';
  return null;
};

// --- notices ----------------------------------------------------------------------

/** "created-12" -> { what: "created", id: 12 }. */
function doneCode(done: string | undefined): { what: string; id: number | null } | null {
  const m = done ? /^([a-z]+)(?:-([0-9]{1,10}))?$/.exec(done) : null;
  return m ? { what: m[1]!, id: m[2] ? Number(m[2]) : null } : null;
}

/** The sentence about a slug change, if `from` is a slug this thing had. */
export function movedNotice(from: string | undefined, oldPath: (slug: string) => string, newPath: string): string {
  if (!from || !SLUG_RE.test(from) || oldPath(from) === newPath) return '';
  return ` Its old address ${oldPath(from)} now redirects to ${newPath}.`;
}

export function listNotice(done: string | undefined, kind: string, nameOf: (id: number) => string | undefined): string | null {
  const code = doneCode(done);
  if (!code) return null;
  const name = code.id !== null ? nameOf(code.id) : undefined;
  const named = name ? `${kind} “${name}”` : kind;
  switch (code.what) {
    case 'created':
      return `${named} created.`;
    case 'deleted':
      return `${kind} deleted.`;
    case 'moved':
      return `${named} moved. The site's navigation shows the new order now.`;
    default:
      return null;
  }
}

export function editNotice(done: string | undefined, moved: string): string | null {
  const code = doneCode(done);
  if (code?.what === 'saved') return `Saved.${moved}`;
  if (code?.what === 'unchanged') return 'Nothing had changed, so nothing was saved.';
  return null;
}

// --- showing a screen ---------------------------------------------------------------

interface Shown {
  title: string;
  screen: NewsroomScreen;
  notice?: string | null;
  problem?: Problem | null;
  children: ComponentChildren;
}

/** A screen with its notice, or (instead) the problem and its status. */
export function show(reply: FastifyReply, page: StaffPage, { title, screen, notice, problem, children }: Shown): FastifyReply {
  return sendNewsroomPage(reply, page, { title, screen, notice: problem ? null : notice, error: problem?.message ?? null, children }, problem?.status ?? 200);
}

/** A form's state: what was typed, and the field a problem is about. */
export const form = (values: FormValues, problem?: Problem | null): FormState => ({ values, invalid: problem?.field ?? null });
