/**
 * Every classic XSS vector in test/fixtures/xss-vectors.txt is posted as a
 * comment (and as a display name, an edit and a report reason), approved, and
 * then looked for in every page that shows comments: nothing may be executable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildSection, postComment, type PostedComment } from '../../test/helpers/factories.js';
import { signedInUser } from '../../test/helpers/accounts.js';
import { jsonOf } from '../../test/helpers/http.js';
import type { DiscussionJson } from './comment.schemas.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const VECTORS = fs
  .readFileSync(path.join(here, '../../test/fixtures/xss-vectors.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('## '));

let t: TestApp;
let articleId: number;
let articlePath: string;
let editor: string;
const posted: number[] = [];

// --- a small HTML tokenizer: in well-formed output every "<" starts a tag ---

const TAG_RE = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTR_RE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const VOID = new Set(['br', 'img', 'input', 'meta', 'link', 'base', 'hr', 'source', 'embed', 'col', 'area', 'wbr', 'track', 'param', 'keygen']);

interface Tag {
  close: boolean;
  name: string;
  attrs: Record<string, string>;
  start: number;
  end: number;
}

function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const m of html.matchAll(TAG_RE)) {
    if (!m[2]) continue; // a comment
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(ATTR_RE)) attrs[a[1]!.toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? '';
    out.push({ close: m[1] === '/', name: m[2].toLowerCase(), attrs, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The element that starts at `marker`, up to its matching end tag. */
function element(html: string, marker: string, from = 0): { html: string; end: number } | null {
  const start = html.indexOf(marker, from);
  if (start < 0) return null;
  const all = tags(html.slice(start));
  const name = all[0]!.name;
  let depth = 0;
  for (const tag of all) {
    if (tag.name !== name || VOID.has(name)) continue;
    depth += tag.close ? -1 : 1;
    if (depth === 0) return { html: html.slice(start, start + tag.end), end: start + tag.end };
  }
  throw new Error(`unclosed ${marker}`);
}

function elements(html: string, marker: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (let el = element(html, marker, from); el; el = element(html, marker, from)) {
    out.push(el.html);
    from = el.end;
  }
  return out;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);?/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);?/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** What a browser would take as the URL's scheme: entities decoded, whitespace and controls dropped. */
function schemeOf(url: string): string {
  const cleaned = decodeEntities(url).replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  return /^([a-z][a-z0-9+.-]*):/.exec(cleaned)?.[1] ?? '';
}

const FORBIDDEN = ['<script', '<iframe', '<object', '<embed', '<svg', '<style', '<img', '<form', '<meta', '<link', '<base', '<math', '<input', '<textarea', '<frame', '<video', '<audio'];

/** A region of server output that shows comments: nothing in it may run. */
function assertInert(region: string, where: string, allowedTags: Set<string>, { ownForms = false } = {}) {
  expect(region.length, where).toBeGreaterThan(0);
  const lower = region.toLowerCase();
  // The moderation list has the newsroom's own forms (checked separately); nothing else may.
  const forbidden = ownForms ? FORBIDDEN.filter((x) => x !== '<form' && x !== '<input') : FORBIDDEN;
  for (const bad of forbidden) expect(lower.includes(bad), `${where}: ${bad}`).toBe(false);
  const found = tags(region);
  // Text holds no raw "<": every one began a tag above (a lone ">" in text is harmless and left as is by Preact).
  const text = region.replace(TAG_RE, '');
  expect(text.includes('<'), `${where}: stray "<" in ${text.slice(Math.max(0, text.indexOf('<') - 40), text.indexOf('<') + 40)}`).toBe(false);
  for (const tag of found) {
    expect(allowedTags.has(tag.name), `${where}: <${tag.name}>`).toBe(true);
    for (const [name, value] of Object.entries(tag.attrs)) {
      expect(/^on/i.test(name), `${where}: ${name}= on <${tag.name}>`).toBe(false);
      expect(['style', 'src', 'srcdoc', 'formaction', 'background', 'xlink:href'].includes(name), `${where}: ${name}=`).toBe(false);
      if (name === 'action') expect(ownForms && tag.name === 'form', `${where}: action= on <${tag.name}>`).toBe(true);
      if (name === 'href') {
        const scheme = schemeOf(value);
        expect(['javascript', 'data', 'vbscript'].includes(scheme), `${where}: href="${value}"`).toBe(false);
        expect(scheme === '' ? /^\/[^/]/.test(value) : ['http', 'https', 'mailto'].includes(scheme), `${where}: href="${value}"`).toBe(true);
      }
    }
  }
  expect(/\son\w+\s*=/i.test(found.map((x) => region.slice(x.start, x.end)).join('')), `${where}: event handler attribute`).toBe(false);
}

/** A comment body: only p, br and a, each link absolute http(s)/mailto with rel nofollow ugc. */
function assertCommentBody(bodyHtml: string, where: string) {
  assertInert(bodyHtml || '<p></p>', where, new Set(['p', 'br', 'a', 'div']));
  for (const tag of tags(bodyHtml)) {
    if (tag.name === 'div') continue; // the wrapper when checking a rendered body
    expect(['p', 'br', 'a'].includes(tag.name), `${where}: <${tag.name}>`).toBe(true);
    if (tag.name === 'a' && !tag.close) {
      expect(Object.keys(tag.attrs).sort(), `${where}: link attributes`).toEqual(['href', 'rel']);
      expect(['http', 'https', 'mailto'].includes(schemeOf(tag.attrs.href!)), `${where}: href="${tag.attrs.href}"`).toBe(true);
      expect(tag.attrs.rel!.split(' ')).toEqual(expect.arrayContaining(['nofollow', 'ugc']));
    }
  }
}

const THREAD_TAGS = new Set(['div', 'ol', 'li', 'article', 'header', 'span', 'a', 'time', 'p', 'br']);

function assertThreadRegion(html: string, where: string) {
  const thread = element(html, '<div class="comments-thread"');
  expect(thread, where).not.toBeNull();
  assertInert(thread!.html, where, THREAD_TAGS);
  const bodies = elements(thread!.html, '<div class="comment__body"');
  for (const body of bodies) assertCommentBody(body, `${where} comment body`);
  return bodies.length;
}

async function send(method: string, url: string, cookie: string, body?: unknown) {
  const res = await t.request(method, url, { as: { cookie }, json: body, headers: { origin: t.url } });
  return { status: res.status, body: await jsonOf<unknown>(res) };
}

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const s = await buildSection(db, { slug: 'opinion', name: 'Opinion' });
      const a = await buildArticle(db, { sectionId: s.id, headline: 'Readers write in' });
      articleId = a.id;
      articlePath = `/opinion/${a.id}-${a.slug}`;
    },
  });
  // Many comments in a row: the least gap between one reader's comments is a test hook on the service.
  t.app.deps.comments.limits.minGapMs = 0;
  const db = t.db.kysely;
  editor = (await signedInUser(db, { role: 'editor' })).cookie;

  // Each vector comes from its own reader, whose display name is a vector too.
  let parent: number | null = null;
  for (const [i, vector] of VECTORS.entries()) {
    const { cookie } = await signedInUser(db, { displayName: VECTORS[(i + 7) % VECTORS.length]!.slice(0, 80) });
    const asReply: boolean = i % 4 === 3 && parent !== null;
    const { res, body }: { res: Response; body: PostedComment } = await postComment(t, articleId, { cookie }, vector, asReply ? (parent ?? undefined) : undefined);
    expect(res.status, vector).toBe(201);
    posted.push(body.comment.id);
    if (!asReply) parent = body.comment.id;
    if (i === 0) {
      // An edit goes through the same pipeline.
      const edited = await send('PATCH', `/api/v1/comments/${body.comment.id}`, cookie, { body: VECTORS[VECTORS.length - 1] });
      expect(edited.status).toBe(200);
    }
  }
  // Anything held (too many links) is approved too: every vector must be shown.
  for (const id of posted) {
    const r = await send('POST', `/api/admin/comments/${id}/approve`, editor);
    expect(r.status).toBe(200);
  }
  // Report reasons are reader text shown to moderators.
  const reporter = (await signedInUser(db)).cookie;
  for (const [i, vector] of VECTORS.slice(0, 2).entries()) {
    expect((await send('POST', `/api/v1/comments/${posted[posted.length - 1 - i]}/report`, reporter, { reason: vector })).status).toBe(201);
  }
}, 120_000);
afterAll(async () => t?.close());

describe('XSS vectors in comments', () => {
  it('has enough vectors', () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(60);
    expect(posted).toHaveLength(VECTORS.length);
  });

  it('stores only allowlisted HTML for every vector', async () => {
    const rows = await t.db.kysely.selectFrom('comments').select(['id', 'body_html']).execute();
    for (const row of rows) assertCommentBody(row.body_html, `comment ${row.id}`);
  });

  it('renders the article page with nothing executable in the comments', async () => {
    const res = await t.get(articlePath);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(assertThreadRegion(html, 'article page')).toBeGreaterThan(0);
    // The text is kept, escaped: readers see what was written.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // The page's own scripts are only the site's bundle and JSON-LD.
    for (const m of html.matchAll(/<script\b[^>]*>/gi)) expect(m[0]).toMatch(/type="(module|application\/ld\+json)"/);
  });

  it('renders every page of the discussion inert', async () => {
    let shown = 0;
    for (const sort of ['newest', 'oldest']) {
      for (let page = 1; ; page++) {
        const res = await t.get(`/articles/${articleId}/comments?sort=${sort}&page=${page}`);
        if (res.status === 404) break;
        expect(res.status).toBe(200);
        shown += assertThreadRegion(await res.text(), `discussion ${sort} page ${page}`);
      }
    }
    expect(shown).toBe(2 * VECTORS.length);
  });

  it('returns only allowlisted HTML from the JSON API', async () => {
    let seen = 0;
    for (let page = 1; ; page++) {
      const res = await t.get(`/api/v1/articles/${articleId}/comments?page=${page}`);
      if (res.status === 404) break;
      const body = (await res.json()) as Static<typeof DiscussionJson>;
      for (const c of body.comments) {
        for (const x of [c, ...c.replies]) {
          assertCommentBody(x.bodyHtml, `api comment ${x.id}`);
          seen++;
        }
      }
    }
    expect(seen).toBe(VECTORS.length);
  });

  it('shows moderators the vectors, reasons and names inert', async () => {
    for (const status of ['approved', 'reported']) {
      for (let page = 1; page < 10; page++) {
        const res = await fetch(`${t.url}/newsroom/comments?status=${status}&page=${page}`, { headers: { cookie: editor } });
        expect(res.status).toBe(200);
        const html = await res.text();
        const list = element(html, '<ol class="mod-list"');
        expect(list).not.toBeNull();
        // The list holds the moderators' own forms; everything reader-written is in bodies, names and reasons.
        assertInert(list!.html, `moderation ${status} page ${page}`, new Set([...THREAD_TAGS, 'form', 'input', 'button', 'strong', 'ul']), { ownForms: true });
        for (const body of elements(list!.html, '<div class="comment__body')) assertCommentBody(body, 'moderation body');
        for (const form of tags(list!.html).filter((x) => x.name === 'form' && !x.close)) expect(form.attrs.action).toMatch(/^\/newsroom\/(comments|users)\/\d+\/[a-z-]+$/);
        if (!html.includes('rel="next"')) break;
      }
    }
  });
});
