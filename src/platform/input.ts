/**
 * The one place where text from outside is checked before any route sees it:
 * the path, the query string and the body (JSON, form fields; multipart
 * fields through `checkText`). PostgreSQL refuses a NUL in text ("invalid byte
 * sequence") and an id past its `integer`, where SQLite quietly stores or
 * misses; checking here gives both databases the same clear answer:
 *
 * - a path with a control character, a lone surrogate or percent-encoding that
 *   is not UTF-8 names no page: 404, the site's usual not-found answer;
 * - a query or body value with one is refused with 400 `invalid_request`
 *   naming the field. Body text may hold tab, line feed and carriage return
 *   (a story's paragraphs); the query never.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ValidationError } from './errors.js';

/** The largest id a table can hold: PostgreSQL's `integer` (SQLite's rowid is wider; the two agree by keeping to this). */
export const MAX_ID = 2_147_483_647;

/** An id as the database knows them: a whole number from 1 to MAX_ID. */
export function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ID;
}

/** The schema of an id in a path, query or body. */
export const Id = Type.Integer({ minimum: 1, maximum: MAX_ID });

/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** The same, less tab, line feed and carriage return (allowed in body text). */
const CONTROL_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why the text may not be taken (null when it may): a control character (named by code point) or a lone surrogate. */
export function textProblem(value: string, { multiline = false } = {}): string | null {
  const control = (multiline ? CONTROL_IN_TEXT : CONTROL).exec(value);
  if (control) return `contains a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
  if (LONE_SURROGATE.test(value)) return 'contains a broken character (a lone UTF-16 surrogate)';
  return null;
}

/** Throws 400 `invalid_request` naming `field` when the text may not be taken (multipart fields and other text read by hand). */
export function checkText(field: string, value: string, { multiline = true } = {}): void {
  const problem = textProblem(value, { multiline });
  if (problem) throw new ValidationError(`Invalid ${field}: ${problem}. Nothing was changed.`, { field });
}

/** Whether the request path (without its query) decodes to clean text. */
export function isCleanPath(url: string): boolean {
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return false; // percent-encoding that is not UTF-8 (or a stray %)
  }
  return textProblem(rawPath) === null && textProblem(path) === null;
}

/** The first bad name or value in the raw query string, as `name: reason`; null when it is clean. */
function queryProblem(url: string): string | null {
  const q = url.indexOf('?');
  if (q === -1) return null;
  for (const pair of url.slice(q + 1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const name = decodeOrNull(rawName);
    const label = fieldLabel(name ?? rawName);
    if (name === null) return `${label}: its name is not valid UTF-8 percent-encoding`;
    const value = decodeOrNull(rawValue);
    if (value === null) return `${label}: not valid UTF-8 percent-encoding`;
    const problem = textProblem(name) ?? textProblem(value);
    if (problem) return `${label}: ${problem}`;
  }
  return null;
}

function decodeOrNull(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** A field name fit to show in a message: control characters spelled out, long names cut. */
function fieldLabel(name: string): string {
  const shown = name.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > 60 ? `${shown.slice(0, 60)}…` : shown || '(empty name)';
}

/**
 * The first bad string in a parsed body (keys included), as `path: reason`;
 * null when it is clean. Walks with its own stack, so a deeply nested body
 * cannot overflow the call stack.
 */
function bodyProblem(body: unknown): string | null {
  const stack: Array<{ value: unknown; at: string }> = [{ value: body, at: '' }];
  while (stack.length) {
    const { value, at } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value, { multiline: true });
      if (problem) return `${at || 'body'}: ${problem}`;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], at: `${at}[${i}]` });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const here = at ? `${at}.${fieldLabel(key)}` : fieldLabel(key);
        const problem = textProblem(key);
        if (problem) return `${here}: its name ${problem}`;
        stack.push({ value: child, at: here });
      }
    }
  }
  return null;
}

/**
 * Fastify's `rewriteUrl`: a path whose percent-encoding is not UTF-8 cannot
 * even be routed (the router would answer a bare 400 of its own), so it is
 * routed as a path with a NUL, which `checkPath` answers with the site's 404.
 * The original URL stays in `req.originalUrl` for the log.
 */
export function rewriteUndecodablePath(req: { url?: string }): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (decodeOrNull(path) !== null) return url;
  return path.startsWith('/api/') ? '/api/%00' : '/%00';
}

/** onRequest: a path that cannot name a page answers as a page that does not exist would. */
export async function checkPath(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (isCleanPath(req.url)) return undefined;
  // Already on its way to the not-found handler, which answers it.
  if (req.is404) return undefined;
  req.log.info({ code: 'not_found', status: 404 }, 'path with a control character or bad encoding');
  reply.callNotFound();
  return reply;
}

/** preValidation: the query and the parsed body, before schemas and handlers see them. */
export async function checkQueryAndBody(req: FastifyRequest): Promise<void> {
  const query = queryProblem(req.url);
  if (query) throw new ValidationError(`Invalid querystring: ${query}. Nothing was changed.`, { in: 'querystring' });
  const body = bodyProblem(req.body);
  if (body) throw new ValidationError(`Invalid body: ${body}. Nothing was changed.`, { in: 'body' });
}
