/**
 * How request schemas are applied: two Ajv instances instead of Fastify's one.
 *
 * - STRICT, for JSON bodies: a value of the wrong type is refused, never
 *   converted (`{"closeAfterDays": null}` is not 0, `{"headline": ["x"]}` is
 *   not "x"), and a field the schema does not name is refused (400), not
 *   dropped, so a client never believes it set something it did not.
 * - COERCING, for what is text by nature: the path, the query string, headers
 *   and the body of an HTML form (application/x-www-form-urlencoded). There a
 *   number arrives as "12" and one ticked checkbox as a string, so converting
 *   is right; fields no form has are dropped (a browser may send a button's
 *   name), as the form schemas say.
 *
 * A route's validator is compiled once per route and part, not per request,
 * so a body validator is compiled with both and picks one by where the body
 * came from: `markFormBodies` records the objects the form parser produced.
 * /api/ routes take JSON only, so their bodies are always strict.
 *
 * Integers in the path and the query must be written in digits (`12`, `-3`):
 * Ajv's coercion would also take `1e3`, ` 1`, `0x10` and `1.0`.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { parse as parseQueryString } from 'fast-querystring';
import { AppError } from './errors.js';

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

type Schema = Record<string, unknown>;

const common = { useDefaults: true, allErrors: false, addUsedSchema: false, strict: false } as const;
const strictAjv = addFormats(new Ajv({ ...common, coerceTypes: false, removeAdditional: false }));
const coercingAjv = addFormats(new Ajv({ ...common, coerceTypes: 'array', removeAdditional: true }));

/**
 * A string in a request body is one line (a headline, a name, a slug) unless
 * its schema says it may hold line breaks: `Type.String({ ...MULTILINE })`
 * for what a textarea sends (body text, descriptions, notes). A line break in
 * a one-line field is refused (400 naming the field) rather than stored,
 * where it would break titles, feeds and the fields that show it.
 */
export const MULTILINE = { 'x-multiline': true } as const;

const LINE_BREAK = /[\r\n\u2028\u2029]/;

function oneLine(schema: boolean, data: string): boolean {
  if (!schema || !LINE_BREAK.test(data)) return true;
  oneLine.errors = [{ keyword: 'singleLine', message: 'must be one line (no line breaks)', params: {} }];
  return false;
}
oneLine.errors = undefined as Array<Partial<ErrorObject>> | undefined;

for (const ajv of [strictAjv, coercingAjv]) ajv.addKeyword({ keyword: 'singleLine', type: 'string', schemaType: 'boolean', validate: oneLine });

/** Bodies parsed from an HTML form post (the only bodies validated with coercion). */
const formBodies = new WeakSet<object>();

const FORM_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

/** A preValidation hook: remember a form post's parsed body, so its validator coerces it. */
export async function markFormBodies(req: FastifyRequest): Promise<void> {
  const body: unknown = req.body;
  if (body === null || typeof body !== 'object' || req.url.startsWith('/api/')) return;
  const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (FORM_TYPES.has(type)) formBodies.add(body);
}

export const validatorCompiler: FastifySchemaCompiler<Schema> = ({ schema, httpPart }) => {
  if (httpPart === 'body') {
    const closed = closeObjects(schema);
    const strict = strictAjv.compile(closed);
    const coercing = coercingAjv.compile(closed);
    const validate = (data: unknown) => {
      const fn = data !== null && typeof data === 'object' && formBodies.has(data) ? coercing : strict;
      const ok = fn(data);
      validate.errors = ok ? null : (fn.errors ?? []).map(describe);
      return ok;
    };
    validate.errors = null as ErrorObject[] | null;
    return validate;
  }
  const fn = coercingAjv.compile(schema);
  const integers = httpPart === 'params' || httpPart === 'querystring' ? integerFields(schema) : [];
  const validate = (data: unknown) => {
    const notDigits = integers.length && data !== null && typeof data === 'object' ? firstNonDigits(data as Record<string, unknown>, integers) : undefined;
    if (notDigits) {
      validate.errors = [notDigits];
      return false;
    }
    const ok = fn(data);
    validate.errors = ok ? null : (fn.errors ?? []).map(describe);
    return ok;
  };
  validate.errors = null as ErrorObject[] | null;
  return validate;
};

/**
 * A copy of a body schema in which every object that does not say otherwise
 * is closed (`additionalProperties: false`), and the `Type.Never()` form of
 * "closed" reads the same way, so an unknown field gets one answer on every route;
 * and every string not marked MULTILINE is one line.
 */
export function closeObjects(schema: Schema): Schema {
  const out: Schema = { ...schema };
  if (out.type === 'string' && out['x-multiline'] !== true) out.singleLine = true;
  const isObject = out.type === 'object' || (out.properties !== undefined && out.type === undefined);
  if (isObject && out.patternProperties === undefined) {
    const extra = out.additionalProperties;
    if (extra === undefined || isNever(extra)) out.additionalProperties = false;
  }
  if (isPlain(out.properties)) {
    out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, isPlain(v) ? closeObjects(v) : v]));
  }
  if (isPlain(out.items)) out.items = closeObjects(out.items);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((v: unknown) => (isPlain(v) ? closeObjects(v) : v));
  }
  return out;
}

const isPlain = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNever = (v: unknown) => isPlain(v) && isPlain(v.not) && Object.keys(v.not).length === 0 && Object.keys(v).length === 1;

/** The fields of a params or querystring schema that hold integers (alone, in a union, or as a list). */
function integerFields(schema: Schema): string[] {
  if (!isPlain(schema.properties)) return [];
  return Object.entries(schema.properties).filter(([, s]) => isPlain(s) && holdsInteger(s)).map(([k]) => k);
}

function holdsInteger(s: Schema): boolean {
  if (s.type === 'integer' || (Array.isArray(s.type) && s.type.includes('integer'))) return true;
  if (s.type === 'array' && isPlain(s.items)) return holdsInteger(s.items);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = s[key];
    if (Array.isArray(list) && list.some((v: unknown) => isPlain(v) && holdsInteger(v))) return true;
  }
  return false;
}

const DIGITS = /^-?[0-9]+$/;

function firstNonDigits(data: Record<string, unknown>, fields: string[]): ErrorObject | undefined {
  for (const field of fields) {
    const raw = data[field];
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.some((v) => typeof v === 'string' && !DIGITS.test(v))) {
      return { instancePath: `/${field}`, schemaPath: '#/digits', keyword: 'type', params: { type: 'integer' }, message: 'must be a whole number written in digits' };
    }
  }
  return undefined;
}

/** Ajv's error, with an unknown field named in the path and said plainly. */
function describe(e: ErrorObject): ErrorObject {
  if (e.keyword === 'additionalProperties') {
    const field = String((e.params as { additionalProperty?: unknown }).additionalProperty ?? '');
    return { ...e, instancePath: `${e.instancePath}/${field}`, message: 'is not a field this API accepts' };
  }
  return e;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies must be UTF-8 (RFC 8259): bytes that are not are refused (400)
 * rather than read as U+FFFD and stored. Fastify's own parser does the rest
 * (prototype poisoning checks, empty bodies).
 */
export function refuseInvalidUtf8Json(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError(400, 'invalid_request', 'The body is not valid UTF-8.'), undefined);
      return;
    }
    parseJson(req, text, done);
  });
}

/**
 * HTML form posts (application/x-www-form-urlencoded) are held to UTF-8 as
 * JSON bodies are: raw bytes or percent-escapes that are not UTF-8 are refused
 * (400) rather than read as U+FFFD and saved. This replaces @fastify/formbody,
 * whose parser decodes with replacement characters; the fields are then read
 * by fast-querystring, as that plugin did.
 */
export function parseFormBodies(app: FastifyInstance, { bodyLimit }: { bodyLimit: number }): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new AppError(400, 'invalid_request', 'The form is not valid UTF-8.'), undefined);
      return;
    }
    for (const pair of text.split('&')) {
      if (!pair.includes('%')) continue;
      try {
        decodeURIComponent(pair.replace(/\+/g, ' '));
      } catch {
        const name = pair.split('=')[0] ?? '';
        done(new AppError(400, 'invalid_request', `The form field ${JSON.stringify(safeName(name))} is not valid UTF-8 percent-encoding.`), undefined);
        return;
      }
    }
    done(null, parseQueryString(text));
  });
}

/** A field name fit to quote in an error: decoded where it can be, and short. */
function safeName(raw: string): string {
  let name = raw;
  try {
    name = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // quoted as sent
  }
  return name.replace(/[^\p{L}\p{N}_.[\]-]/gu, '?').slice(0, 60);
}
