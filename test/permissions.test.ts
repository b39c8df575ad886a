/**
 * The permission matrix, generated from the route table: every /api/admin
 * route the app registers × every kind of caller (anonymous, reader,
 * contributor, editor, admin, and API tokens of the staff roles) × path
 * variants (trailing slash, changed case, `//`, `%2e` segments) × ids that
 * belong to someone else. No caller may get a 2xx the policy does not allow.
 * The expectation is computed from the policy functions themselves
 * (newsroom.policy.ts), so a new route is covered the day it is added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteOptions } from 'fastify';
import { buildApp, type App } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import type { Role } from '../src/platform/db/types.js';
import { can, isStoryAction, type Actor, type NewsroomAction, type StorySubject } from '../src/accounts/staff.policy.js';
import { canManageSettings, canModerate } from '../src/comments/comment.policy.js';
import { issueApiToken } from '../src/accounts/people.service.js';
import { SYSTEM } from '../src/accounts/staff.js';
import { createTestDb, type TestDb } from './helpers/db.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from './helpers/factories.js';
import { buildUser, signedInUser } from './helpers/accounts.js';

interface AdminRoute {
  method: string;
  url: string;
  /** The policy action the route declares; null for routes of other domains (the discussion's moderation). */
  action: NewsroomAction | null;
}

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** As the policy sees the caller; null when anonymous. */
  actor: Actor | null;
  /** Signed in with a session (not a token). */
  session: boolean;
  /** Whose story the caller is sent to: someone else's, or (for one contributor run) their own. */
  subject: 'other' | 'own';
}

let t: TestDb;
let app: App;
const routes: AdminRoute[] = [];
/** The newsroom's HTML pages and forms (GET and POST under /newsroom). */
const pageRoutes: Array<{ method: string; url: string }> = [];
const callers: Caller[] = [];
/** The owner of the stories acted on: a contributor who is none of the callers. */
let ownerId: number;
let contributorId: number;
let sectionForStories: number;
let n = 0;

beforeAll(async () => {
  t = await createTestDb();
  const onRoute = (r: RouteOptions) => {
    if (r.url.startsWith('/newsroom')) {
      for (const method of [r.method].flat()) if (method === 'GET' || method === 'POST') pageRoutes.push({ method, url: r.url });
    }
    if (!r.url.startsWith('/api/admin')) return;
    for (const method of [r.method].flat()) {
      routes.push({ method: String(method), url: r.url, action: (r.config as { newsroomAction?: NewsroomAction } | undefined)?.newsroomAction ?? null });
    }
  };
  app = await buildApp({ config: loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent' }), db: t.db, logger: false, onRoute });
  await app.ready();

  const db = t.db.kysely;
  sectionForStories = (await buildSection(db, { slug: 'world' })).id;
  ownerId = (await buildUser(db, { role: 'contributor' })).id;
  callers.push({ name: 'anonymous', headers: {}, actor: null, session: false, subject: 'other' });
  for (const role of ['reader', 'contributor', 'editor', 'admin'] as Role[]) {
    const u = await signedInUser(db, { role });
    if (role === 'contributor') contributorId = u.id;
    callers.push({ name: role, headers: { cookie: u.cookie }, actor: { role, userId: u.id }, session: true, subject: 'other' });
    if (role === 'contributor') callers.push({ name: 'contributor (own story)', headers: { cookie: u.cookie }, actor: { role, userId: u.id }, session: true, subject: 'own' });
  }
  for (const role of ['contributor', 'editor', 'admin'] as Role[]) {
    const { secret } = await issueApiToken(db, { name: `${role} integration`, role, createdBy: null }, SYSTEM, new Date());
    callers.push({ name: `${role} token`, headers: { authorization: `Bearer ${secret}` }, actor: { role, userId: null }, session: false, subject: 'other' });
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.destroy();
});

/** Fresh things to act on, for one route: so one caller's success does not hide the next caller's refusal. */
async function subjects() {
  const db = t.db.kysely;
  const k = ++n;
  const story = async (owner: number) => {
    const a = await buildArticle(db, { sectionId: sectionForStories, headline: `Story ${k} by ${owner}`, status: 'draft', publishedAt: null });
    await db.updateTable('articles').set({ created_by: owner }).where('id', '=', a.id).execute();
    const rev = await db
      .insertInto('article_revisions')
      .values({ article_id: a.id, author_id: owner, token_id: null, created_at: new Date().toISOString(), snapshot: JSON.stringify({ headline: a.headline, sectionId: sectionForStories, tagIds: [], authorIds: [], body: { type: 'doc', content: [] } }), note: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: a.id, rev: rev.id };
  };
  const otherAdmin = (await buildUser(db, { role: 'admin' })).id;
  return {
    other: await story(ownerId),
    own: await story(contributorId),
    section: (await buildSection(db, { slug: `section-p${k}` })).id,
    tag: (await buildTag(db, { slug: `tag-p${k}` })).id,
    author: (await buildAuthor(db, { slug: `author-p${k}`, name: `Author P${k}` })).id,
    user: (await buildUser(db, { role: 'reader' })).id,
    token: (await issueApiToken(db, { name: `someone else's ${k}`, role: 'editor', createdBy: otherAdmin }, SYSTEM, new Date())).id,
  };
}

type Subjects = Awaited<ReturnType<typeof subjects>>;

function fill(url: string, s: Subjects, whose: 'other' | 'own'): string {
  const story = s[whose];
  const id = url.startsWith('/api/admin/articles') ? story.id
    : url.startsWith('/api/admin/sections') ? s.section
    : url.startsWith('/api/admin/tags') ? s.tag
    : url.startsWith('/api/admin/authors') ? s.author
    : url.startsWith('/api/admin/users') ? s.user
    : url.startsWith('/api/admin/tokens') ? s.token
    : 1; // another domain's ids (a comment): any id; a refusal must come before the lookup anyway
  return url.replace(':id', String(id)).replace(':rev', String(story.rev)).replace(':front', 'home');
}

/** A body each route would accept, so that refusals are about permission, not input. */
async function bodyFor(route: AdminRoute): Promise<unknown> {
  const k = ++n;
  const key = `${route.method} ${route.url}`;
  switch (key) {
    case 'POST /api/admin/articles': return { headline: `New story ${k}`, section: 'world', markdown: 'Text.' };
    case 'PATCH /api/admin/articles/:id': return { standfirst: `Changed ${k}` };
    case 'POST /api/admin/articles/:id/correction': return { note: 'A correction.' };
    case 'POST /api/admin/sections': return { name: `Section ${k}` };
    case 'PATCH /api/admin/sections/:id': return { description: `Changed ${k}` };
    case 'PUT /api/admin/sections/order': {
      const rows = await t.db.kysely.selectFrom('sections').select('id').orderBy('id').execute();
      return { ids: rows.map((r) => r.id) };
    }
    case 'POST /api/admin/tags': return { name: `Tag ${k}` };
    case 'PATCH /api/admin/tags/:id': return { description: `Changed ${k}` };
    case 'POST /api/admin/authors': return { name: `Author ${k}` };
    case 'PATCH /api/admin/authors/:id': return { bio: `Changed ${k}` };
    case 'PUT /api/admin/breaking': return { text: `Breaking ${k}` };
    case 'PATCH /api/admin/users/:id': return { role: k % 2 ? 'contributor' : 'reader' };
    case 'POST /api/admin/tokens': return { name: `token ${k}`, role: 'contributor' };
    case 'PUT /api/admin/articles/:id/comments-mode': return { mode: 'closed' };
    case 'POST /api/admin/wires/providers': return { name: `wire-p${k}`, credit: 'Agencies', format: 'ninjs', transport: 'push' };
    case 'PATCH /api/admin/wires/providers/:id': return { credit: `Changed ${k}` };
    case 'PUT /api/admin/fronts/:front/draft': return { slots: [], latestCount: k % 20 };
    default: return ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
  }
}

/** The same address, written the ways an attacker might try to slip past a check. */
function variants(url: string): string[] {
  const rest = url.slice('/api/admin'.length);
  return [
    url,
    `${url}/`,
    `/api/ADMIN${rest}`,
    url.toUpperCase(),
    `/api//admin${rest}`,
    `/api/admin/${rest.replace(/^\//, '/')}`,
    `/api/admin/%2e${rest}`,
    `/api/admin/x/%2e%2e${rest}`,
    `/api/%2E%2E/api/admin${rest}`,
  ];
}

function expectedAllowed(route: AdminRoute, caller: Caller): boolean {
  if (route.action) {
    const subject: StorySubject | undefined = isStoryAction(route.action)
      ? { ownerId: caller.subject === 'own' ? contributorId : ownerId, status: 'draft' }
      : undefined;
    return can(caller.actor, route.action, subject) === true;
  }
  // The discussion's staff routes, with the discussion's own policy (a session or a token alike).
  const moderator = caller.actor ? { id: caller.actor.userId, role: caller.actor.role } : null;
  return (route.url.startsWith('/api/admin/settings/') ? canManageSettings(moderator) : canModerate(moderator)) === true;
}

describe('the admin API permission matrix', () => {
  it('finds the admin routes in the route table, each naming its policy action', () => {
    const mine = routes.filter((r) => r.action);
    expect(mine.length).toBeGreaterThanOrEqual(30);
    for (const url of ['/api/admin/articles', '/api/admin/articles/:id/publish', '/api/admin/users/:id', '/api/admin/audit']) {
      expect(routes.some((r) => r.url === url), url).toBe(true);
    }
  });

  it('gives no caller a 2xx the policy does not allow, on any route, path variant or someone else\'s id', async () => {
    const unexpected: string[] = [];
    const wronglyRefused: string[] = [];
    const serverErrors: string[] = [];
    let requests = 0;
    for (const route of routes) {
      const s = await subjects();
      for (const caller of callers) {
        if (caller.subject === 'own' && !(route.action && isStoryAction(route.action))) continue;
        const allowed = expectedAllowed(route, caller);
        const url = fill(route.url, s, caller.subject);
        for (const [i, variant] of variants(url).entries()) {
          const body = await bodyFor(route);
          const res = await app.inject({
            method: route.method as 'GET',
            url: variant,
            headers: { ...caller.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
          });
          requests++;
          const ok = res.statusCode >= 200 && res.statusCode < 300;
          const what = `${caller.name} ${route.method} ${variant} -> ${res.statusCode}`;
          if (ok && !allowed) unexpected.push(what);
          if (res.statusCode >= 500) serverErrors.push(`${what}: ${res.body}`);
          // On the route's own address, the policy's answer is what the caller gets.
          if (i === 0 && route.action) {
            if (!allowed && res.statusCode !== (caller.actor ? 403 : 401)) unexpected.push(`${what} (expected ${caller.actor ? 403 : 401})`);
            if (allowed && (res.statusCode === 401 || res.statusCode === 403)) wronglyRefused.push(what);
          }
        }
      }
    }
    expect(unexpected).toEqual([]);
    expect(wronglyRefused).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(requests).toBeGreaterThan(1000);
  }, 120_000);
});

describe('the newsroom pages', () => {
  it('give no page and take no form from anyone signed out, a reader or an API token, on any path variant', async () => {
    expect(pageRoutes.length).toBeGreaterThanOrEqual(25);
    const outsiders = callers.filter((c) => !c.session || c.actor?.role === 'reader');
    const problems: string[] = [];
    const before = await t.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => eb.or([eb('actor_user_id', 'is not', null), eb('actor_token_id', 'is not', null)])).executeTakeFirstOrThrow();
    for (const route of pageRoutes) {
      const s = await subjects();
      const url = route.url.replace(':id', String(s.other.id)).replace(':rev', String(s.other.rev)).replace(':action', 'approve').replace(':front', 'home');
      for (const variant of [url, `${url}/`, url.replace('/newsroom', '/NEWSROOM'), url.replace('/newsroom', '//newsroom'), url.replace('/newsroom', '/%2e/newsroom')]) {
        for (const caller of outsiders) {
          const res = await app.inject({
            method: route.method as 'GET',
            url: variant,
            headers: { ...caller.headers, ...(route.method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
            ...(route.method === 'POST' ? { payload: 'name=x&role=admin&text=x&email=x%40example.org' } : {}),
          });
          const what = `${caller.name} ${route.method} ${variant} -> ${res.statusCode}`;
          const location = String(res.headers.location ?? '');
          if (res.statusCode >= 200 && res.statusCode < 300) problems.push(what);
          else if (res.statusCode >= 300 && res.statusCode < 400 && !location.startsWith('/signin?next=')) problems.push(`${what} to ${location}`);
          else if (res.statusCode >= 500) problems.push(`${what}: ${res.body.slice(0, 200)}`);
          // A reader signed in is told no; someone signed out is sent to sign in (on the page's own address).
          if (variant === url && caller.actor?.role === 'reader' && route.method === 'GET' && res.statusCode !== 403) problems.push(`${what} (expected 403)`);
          if (variant === url && !caller.session && route.method === 'GET' && res.statusCode !== 302) problems.push(`${what} (expected 302 to sign in)`);
        }
      }
    }
    expect(problems).toEqual([]);
    // Nothing was done on anyone's behalf (the test's own set-up acts as the system).
    const after = await t.db.kysely.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => eb.or([eb('actor_user_id', 'is not', null), eb('actor_token_id', 'is not', null)])).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  }, 120_000);
});
