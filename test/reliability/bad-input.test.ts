/**
 * The bad-input corpus (issue 10): every route of a real `dispatch serve` —
 * the JSON API as its /api/openapi.json describes it, and the HTML pages and
 * forms from the app's route table — sent hostile input by a signed-in
 * admin: NUL and control characters in every string field, the path and the
 * query; wrong JSON types per field; unknown fields; a body over the 1 MiB
 * limit; JSON nested 10,000 deep; invalid UTF-8; path traversal; CR and LF in
 * headers and the query; numbers out of range. Bad input gets a clear answer
 * and changes nothing: no 5xx, no dropped connection, and the row count of
 * every table the same after each route's corpus as before it.
 *
 * Requests go over raw TCP: fetch and node:http would fix up or refuse the
 * very bytes under test (`/../`, CR, NUL, invalid UTF-8).
 */
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDb, type Db } from '../../src/platform/db/connection.js';
import { createTestDb, snapshotTables } from '../helpers/db.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../helpers/factories.js';
import { signedInUser } from '../helpers/accounts.js';
import { createServerSite, type ServerProcess, type ServerSite } from './server.js';

type Schema = Record<string, unknown>;

interface Route {
  method: string;
  /** Fastify's pattern, e.g. /api/admin/articles/:id */
  url: string;
  params: Record<string, Schema>;
  query: Record<string, Schema>;
  body: Schema | undefined;
  /** An HTML form route (its bodies are sent URL-encoded as well as JSON). */
  html: boolean;
}

interface Probe {
  /** What kind of bad input: groups the probes whose writes are compared. */
  kind: string;
  method: string;
  /** The request target exactly as sent on the wire. */
  target: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** What was sent, for the failure message. */
  what: string;
}

interface Failure { route: string; kind: string; what: string; status: number; answer: string }

/**
 * A state-changing route with no path, query or body schema reads nothing a
 * probe could make bad (sign out, clear the breaking strip, start two-step
 * sign-in): with the session it would simply do its job, so its probes go
 * without one.
 */
const readsNoInput = (r: Route) => r.method !== 'GET' && !r.body && !Object.keys(r.params).length && !Object.keys(r.query).length;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false, coerceTypes: false, allErrors: false }));

let site: ServerSite;
let server: ServerProcess;
let db: Db;
let cookie: string;
const routes: Route[] = [];

beforeAll(async () => {
  routes.push(...(await htmlRoutes()));
  site = await createServerSite();
  server = await site.start();
  routes.push(...apiRoutes((await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApi));
  db = openDb({ dataDir: site.dataDir, databaseUrl: site.databaseUrl });
  const k = db.kysely;
  // Something for GET routes to find (id 1 of each), so reads reach the database with the bad values.
  const world = await buildSection(k, { slug: 'world', name: 'World' });
  const tag = await buildTag(k, { slug: 'water', name: 'Water' });
  const author = await buildAuthor(k, { slug: 'amara-diallo', name: 'Amara Diallo' });
  await buildArticle(k, { sectionId: world.id, headline: 'Rain at last', tagIds: [tag.id], authorIds: [author.id] });
  cookie = (await signedInUser(k, { role: 'admin' })).cookie;
});

afterAll(async () => {
  await db?.close();
  await site?.destroy();
});

it('answers every route\'s bad input without a 5xx and without writing anything', async () => {
  const started = Date.now();
  const failures: Failure[] = [];
  const writes: Array<{ route: string; kind: string; changed: string }> = [];
  let requests = 0;
  const probe = async (route: Route, probes: Probe[]) => {
    requests += probes.length;
    const answers = await inBatches(probes, 16, (p) => send(p, readsNoInput(route) ? undefined : cookie));
    return answers.map((a, i) => ({ a, p: probes[i]! })).filter(({ a }) => a.status >= 500 || a.status === 0);
  };
  const written = (before: Record<string, number>, after: Record<string, number>) =>
    Object.keys(after).filter((t) => after[t] !== before[t]).map((t) => `${t} ${before[t] ?? 0}→${after[t]}`).join(', ');
  let before = await snapshotTables(db);
  for (const route of routes) {
    const name = `${route.method} ${route.url}`;
    const groups = new Map<string, Probe[]>();
    for (const p of probesFor(route)) groups.set(p.kind, [...(groups.get(p.kind) ?? []), p]);
    const bad = new Map<string, Array<{ a: Answer; p: Probe }>>();
    for (const [kind, probes] of groups) bad.set(kind, await probe(route, probes));
    // Tables are counted before and after each route (counting after each kind of probe is slow on PostgreSQL).
    const after = await snapshotTables(db);
    const changed = written(before, after);
    before = after;
    for (const [kind, fives] of bad) {
      for (const { a, p } of fives) failures.push({ route: name, kind, what: p.what, status: a.status, answer: a.head });
    }
    if (changed) writes.push({ route: name, kind: 'all probes', changed });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`bad-input corpus on ${db.dialect}: ${requests} requests to ${routes.length} routes in ${seconds} s; ${failures.length} 5xx or no answer; ${writes.length} routes wrote`);
  const report = [
    ...failures.map((f) => `${f.status || 'no answer'} ${f.route} [${f.kind}] ${f.what} -> ${f.answer}`),
    ...writes.map((w) => `WROTE ${w.route} [${w.kind}]: ${w.changed}`),
  ];
  expect(report, report.join('\n')).toEqual([]);
  expect(requests).toBeGreaterThan(1000);
});

// --- the routes ------------------------------------------------------------------------

interface OpenApi {
  paths: Record<string, Record<string, {
    parameters?: Array<{ name: string; in: string; schema?: Schema }>;
    requestBody?: { content?: Record<string, { schema?: Schema }> };
  }>>;
}

function apiRoutes(doc: OpenApi): Route[] {
  const out: Route[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params: Record<string, Schema> = {};
      const query: Record<string, Schema> = {};
      for (const p of op.parameters ?? []) {
        if (p.in === 'path') params[p.name] = p.schema ?? {};
        if (p.in === 'query') query[p.name] = p.schema ?? {};
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      out.push({ method: method.toUpperCase(), url: path.replace(/\{(\w+)\}/g, ':$1'), params, query, body, html: false });
    }
  }
  return out;
}

/** The pages and forms (everything outside /api), from the app's own route table. */
async function htmlRoutes(): Promise<Route[]> {
  const t = await createTestDb();
  const out: Route[] = [];
  const onRoute = (r: RouteOptions) => {
    if (r.url.startsWith('/api/') || r.url.startsWith('/assets/') || r.url.startsWith('/media/')) return;
    const schema = (r.schema ?? {}) as { params?: Schema; querystring?: Schema; body?: Schema };
    for (const method of [r.method].flat()) {
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      out.push({ method, url: r.url, params: propertiesOf(schema.params), query: propertiesOf(schema.querystring), body: schema.body, html: true });
    }
  };
  const app = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: t.db, logger: false, onRoute });
  await app.ready();
  await app.close();
  await t.destroy();
  return out;
}

function propertiesOf(s: Schema | undefined): Record<string, Schema> {
  return s && isSchema(s.properties) ? (s.properties as Record<string, Schema>) : {};
}

const isSchema = (v: unknown): v is Schema => v !== null && typeof v === 'object' && !Array.isArray(v);

// --- the corpus ------------------------------------------------------------------------

const NUL = 'a\u0000b';
const CONTROL = 'a\u0001\u0008\u001b\u007fb';
const BIG = [2 ** 31, 2 ** 53 + 1, -1];
/** Path and query values, percent-encoded as they go on the wire. */
const TEXT_VALUES: Array<[string, string]> = [
  ['NUL', 'a%00b'], ['control', '%01%08%1b%7f'], ['CRLF', 'a%0d%0aSet-Cookie:%20x=1'], ['traversal', '..%2f..%2fetc%2fpasswd'],
  ['dot segments', '%2e%2e%2f%2e%2e'], ['invalid UTF-8', '%C3%28%FF%FE'], ['2^31', '2147483648'], ['2^53+1', '9007199254740993'],
  ['-1', '-1'], ['1e309', '1e309'], ['1e3', '1e3'], ['0x10', '0x10'], ['long', 'x'.repeat(300)],
];

function probesFor(route: Route): Probe[] {
  const probes: Probe[] = [];
  const mutating = route.method !== 'GET';
  // Acting on something that does not exist: a refused probe must not be what stops a write.
  const base = Object.fromEntries(Object.entries(route.params).map(([k, s]) => [k, baseParam(k, s, mutating)]));
  const path = (over: Record<string, string> = {}) => route.url.replace(/:(\w+)/g, (_m, k: string) => over[k] ?? base[k] ?? 'x').replace(/\*$/, 'x');
  const query = baseQuery(route.query);
  const at = (p: string, q = query) => (q ? `${p}?${q}` : p);

  for (const k of Object.keys(route.params)) {
    for (const [label, v] of TEXT_VALUES) probes.push({ kind: 'path', method: route.method, target: at(path({ [k]: v })), what: `:${k} = ${label}` });
  }
  probes.push(
    { kind: 'path', method: route.method, target: at(`/x/..${path()}`), what: '/x/.. before the path' },
    { kind: 'path', method: route.method, target: at(`${path()}/%2e%2e%2f%2e%2e%2f`), what: '%2e%2e%2f after the path' },
    { kind: 'path', method: route.method, target: at(`${path()}%00`), what: '%00 after the path' },
    { kind: 'path', method: route.method, target: at(`${path()}\u0000`), what: 'a raw NUL byte in the request line' },
  );

  for (const k of Object.keys(route.query)) {
    for (const [label, v] of TEXT_VALUES) probes.push({ kind: 'query', method: route.method, target: `${path()}?${join(query, `${k}=${v}`)}`, what: `?${k} = ${label}` });
    probes.push({ kind: 'query', method: route.method, target: `${path()}?${join(query, `${k}=1&${k}=2`)}`, what: `?${k} twice` });
  }
  for (const v of ['a%00b', '%C3%28', '9007199254740993']) {
    probes.push({ kind: 'query', method: route.method, target: `${path()}?${join(query, `unknownField=${v}`)}`, what: `an unknown query field = ${v}` });
  }
  probes.push(
    { kind: 'query', method: route.method, target: `${path()}?a=1\r\nX-Injected: 1`, what: 'a raw CRLF in the query' },
  );

  for (const [label, v] of [['CR', 'a\rb'], ['LF', 'a\nX-Injected: 1'], ['NUL', 'a\u0000b'], ['DEL and controls', CONTROL]] as const) {
    probes.push({ kind: 'header', method: route.method, target: at(path()), headers: { 'x-corpus': v }, what: `a header with ${label}` });
  }
  probes.push({ kind: 'header', method: route.method, target: at(path()), headers: { 'accept-language': `en${CONTROL}` }, what: 'Accept-Language with controls' });

  if (!mutating) return probes;
  const target = at(path());
  const json = (kind: string, what: string, body: unknown, raw?: string) =>
    probes.push({ kind, method: route.method, target, headers: { 'content-type': 'application/json' }, body: Buffer.from(raw ?? JSON.stringify(body)), what });

  // Whatever the route reads, too much, too deep and not UTF-8 is refused before it.
  json('body size', 'a JSON body over 1 MiB', { text: 'x'.repeat(1100 * 1024) });
  json('body depth', 'JSON nested 10,000 deep', undefined, `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
  json('body depth', 'a JSON array nested 10,000 deep', undefined, `${'['.repeat(10_000)}${']'.repeat(10_000)}`);
  json('body type', 'a JSON body that is not JSON', undefined, '{"a": ');
  for (const raw of ['null', '[]', '"text"', '12', 'true']) json('body type', `the JSON body ${raw}`, undefined, raw);
  probes.push({ kind: 'body type', method: route.method, target, headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello'), what: 'a text/plain body' });

  const fields = propertiesOf(route.body);
  const firstField = Object.keys(fields)[0] ?? 'name';
  probes.push({ kind: 'body utf8', method: route.method, target, headers: { 'content-type': 'application/json' }, body: Buffer.concat([Buffer.from(`{"${firstField}":"a`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]), what: `invalid UTF-8 in ${firstField}` });
  if (route.html) {
    const form = (kind: string, what: string, text: string | Buffer) =>
      probes.push({ kind, method: route.method, target, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(text), what });
    form('form size', 'a form over its 64 KiB limit', `a=${'x'.repeat(70 * 1024)}`);
    form('form utf8', `invalid UTF-8 in ${firstField}`, Buffer.concat([Buffer.from(`${firstField}=a`), Buffer.from([0xc3, 0x28, 0xff])]));
    form('form utf8', `invalid percent-encoded UTF-8 in ${firstField}`, `${firstField}=%C3%28%FF`);
  }

  if (!route.body) return probes;
  const baseline = valueFor(route.body);
  const validate = compile(route.body);
  const withField = (k: string, v: unknown) => ({ ...(isSchema(baseline) ? baseline : {}), [k]: v });
  json('body unknown field', 'an unknown field', withField('unknownField', 'x'));
  for (const [k, s] of Object.entries(fields)) {
    const wrong: Array<[string, unknown]> = [
      ['null', null], ['true', true], ['a number', 12345], ['an array', ['x']], ['an object', { a: 1 }], ['a string', 'not a number'],
      ...BIG.map((n): [string, unknown] => [String(n), n]),
    ];
    for (const [label, v] of wrong) {
      // A value the schema takes is not bad input (null for a nullable field).
      if (validate?.(withField(k, v))) continue;
      json('body wrong type', `${k} = ${label}`, withField(k, v));
    }
    json('body wrong type', `${k} = 1e309`, undefined, JSON.stringify(withField(k, 0)).replace(`"${k}":0`, `"${k}":1e309`));
    json('body deep field', `${k} nested 10,000 deep`, undefined, JSON.stringify(withField(k, 0)).replace(`"${k}":0`, `"${k}":${'['.repeat(10_000)}${']'.repeat(10_000)}`));
    if (acceptsString(s)) {
      json('body text', `${k} with NUL`, withField(k, NUL));
      json('body text', `${k} with control characters`, withField(k, CONTROL));
    }
    if (route.html) {
      const form = (what: string, text: string) =>
        probes.push({ kind: 'form text', method: route.method, target, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(text), what });
      form(`${k} with %00`, `${k}=a%00b`);
      form(`${k} with controls`, `${k}=%01%08%1b%7f`);
      form(`${k} with CRLF`, `${k}=a%0d%0ab`);
      form(`${k} twice`, `${k}=a&${k}=b&${k}=c`);
    }
  }
  return probes;
}

function baseParam(name: string, s: Schema, mutating: boolean): string {
  if (Array.isArray(s.enum) && s.enum.length) return String(s.enum[0]);
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  const literal = alternatives?.find((a) => a.const !== undefined)?.const;
  if (literal !== undefined) return String(literal);
  if (s.type === 'integer' || s.type === 'number') return mutating ? '999999' : '1';
  if (name === 'slug' && !mutating) return 'world';
  return mutating ? 'no-such-thing' : 'world';
}

/** The query's required fields, so the probes reach past "q is required". */
function baseQuery(query: Record<string, Schema>): string {
  return Object.entries(query).filter(([k]) => k === 'q').map(([k]) => `${k}=rain`).join('&');
}

const join = (a: string, b: string) => (a ? `${a}&${b}` : b);

function compile(s: Schema): ValidateFunction | undefined {
  try {
    return ajv.compile(s);
  } catch {
    return undefined;
  }
}

function acceptsString(s: Schema): boolean {
  if (s.type === 'string') return true;
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  return Boolean(alternatives?.some(acceptsString));
}

/** A plausible value for a schema (required fields only, for objects), so one bad field is what a probe changes. */
function valueFor(s: Schema): unknown {
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives?.length) return valueFor(alternatives.find((a) => a.type !== 'null') ?? alternatives[0]!);
  switch (s.type) {
    case 'object': {
      const props = propertiesOf(s);
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(required.map((k) => [k, valueFor(props[k] ?? {})]));
    }
    case 'array': return [];
    case 'integer':
    case 'number': return typeof s.minimum === 'number' ? Math.max(s.minimum, 1) : 1;
    case 'boolean': return false;
    case 'string': {
      if (s.format === 'email') return 'corpus@example.test';
      if (s.format === 'uri') return 'https://example.test/';
      if (s.format === 'date-time') return '2030-01-01T00:00:00Z';
      const min = typeof s.minLength === 'number' ? s.minLength : 1;
      return 'corpus'.padEnd(min, 'x');
    }
    default: return {};
  }
}

// --- the wire --------------------------------------------------------------------------

interface Answer { status: number; head: string }

/** One request on its own connection, bytes as given; the status (0: no answer) and the start of the answer. */
function send(p: Probe, session: string | undefined): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const body = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      resolve({ status, head: `${text.split('\r\n')[0] ?? ''} ${body.slice(0, 200)}` });
      socket.destroy();
    };
    socket.setTimeout(15_000, finish);
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', finish);
    const headers: Record<string, string> = { host: `127.0.0.1:${server.port}`, connection: 'close', ...(session ? { cookie: session } : {}), ...p.headers };
    if (p.body) headers['content-length'] = String(p.body.length);
    const head = `${p.method} ${p.target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), p.body ?? Buffer.alloc(0)]));
  });
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}
