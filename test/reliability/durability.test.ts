/**
 * Durability: readers post comments and editors save stories all at once; the
 * server is killed with SIGKILL midway (no shutdown, no flush) and started
 * again on the same data. Every write the server acknowledged (a 2xx) must be
 * there, the database must be sound, and each story's shown comment count must
 * equal its approved comments.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Static } from 'typebox';
import { createServerSite, openSiteDb, type ServerProcess, type ServerSite } from './server.js';
import { buildArticle, buildSection } from '../helpers/factories.js';
import { signedInUser, type SignedIn } from '../helpers/accounts.js';
import type { ArticleEnvelopeJson } from '../../src/content/content.schemas.js';
import type { StoryEnvelope } from '../../src/newsroom/newsroom.schemas.js';

const COMMENTS = 80;
const SAVES = 40;
const KILL_AFTER = 60;
/** Story saves acknowledged before the comments start. */
const SAVES_AHEAD = 10;

let site: ServerSite;
let server: ServerProcess;
let discussionId = 0;
const storyIds: number[] = [];
const readers: SignedIn[] = [];
let editor: SignedIn;
const dialect = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

beforeAll(async () => {
  site = await createServerSite();
  // Starting makes the schema; the seed goes in while the server runs (from another process, as an import would).
  server = await site.start();
  const db = openSiteDb(site);
  try {
    const k = db.kysely;
    const world = await buildSection(k, { slug: 'world', name: 'World' });
    discussionId = (await buildArticle(k, { sectionId: world.id, headline: 'Storm reaches the coast', publishedAt: new Date(Date.now() - 3600_000) })).id;
    for (let i = 0; i < SAVES; i++) {
      storyIds.push((await buildArticle(k, { sectionId: world.id, headline: `Draft story ${i}`, status: 'draft', publishedAt: null })).id);
    }
    for (let i = 0; i < COMMENTS; i++) readers.push(await signedInUser(k, { displayName: `Reader ${i}` }));
    editor = await signedInUser(k, { role: 'editor', displayName: 'Desk Editor' });
  } finally {
    await db.close();
  }
});
afterAll(async () => site?.destroy());

interface Write {
  kind: 'comment' | 'save';
  /** The text that identifies the write: a comment's body, a story's new headline. */
  text: string;
  storyId: number;
  acknowledged: boolean;
  /** The answer's status, when one came. */
  status?: number;
}

const jsonHeaders = (who: SignedIn) => ({ 'content-type': 'application/json', accept: 'application/json', cookie: who.cookie });

it(`keeps every acknowledged write when killed after ${KILL_AFTER} of ${COMMENTS + SAVES}, and counts match`, async () => {
  const writes: Write[] = [];
  let acknowledged = 0;
  let killedAt = -1;
  const fire = async (w: Write, req: () => Promise<Response>) => {
    writes.push(w);
    try {
      const res = await req();
      w.status = res.status;
      // The status line comes only after the handler's transaction committed.
      if (res.status >= 200 && res.status < 300) {
        w.acknowledged = true;
        if (++acknowledged === KILL_AFTER) {
          killedAt = acknowledged;
          server.kill('SIGKILL');
        }
      } else if (killedAt < 0) {
        throw new Error(`${w.kind} answered ${res.status} before the kill: ${await res.text()}`);
      }
      await res.body?.cancel();
    } catch (err) {
      // A request the dying server never answered is not acknowledged (nor is one whose answer broke off).
      if (killedAt < 0) throw err;
    }
  };

  // The saves go first; once SAVES_AHEAD of them are acknowledged the comments follow, all at once, so both
  // kinds are in flight when the kill comes (a save costs several times a comment, and would otherwise all queue behind them).
  const all: Array<Promise<void>> = [];
  let savesAcknowledged = 0;
  let startComments!: () => void;
  const commentsMayStart = new Promise<void>((resolve) => (startComments = resolve));
  for (let i = 0; i < SAVES; i++) {
    const text = `Saved headline ${i} for story ${storyIds[i]}`;
    const w: Write = { kind: 'save', text, storyId: storyIds[i]!, acknowledged: false };
    all.push(fire(w, () =>
      fetch(`${server.url}/api/admin/articles/${storyIds[i]}`, { method: 'PATCH', headers: jsonHeaders(editor), body: JSON.stringify({ headline: text }) }))
      .then(() => void (w.acknowledged && ++savesAcknowledged === SAVES_AHEAD && startComments())));
  }
  await Promise.race([commentsMayStart, Promise.all(all)]);
  for (let i = 0; i < COMMENTS; i++) {
    const text = `Comment ${i}: the water rose overnight on street ${i}.`;
    all.push(fire({ kind: 'comment', text, storyId: discussionId, acknowledged: false }, () =>
      fetch(`${server.url}/api/v1/articles/${discussionId}/comments`, { method: 'POST', headers: jsonHeaders(readers[i]!), body: JSON.stringify({ body: text }) })));
  }
  await Promise.all(all);
  const exit = await server.exited;
  expect(exit.signal, 'the server was killed, not stopped').toBe('SIGKILL');
  expect(acknowledged).toBeGreaterThanOrEqual(KILL_AFTER);

  // Started again on the same data: what it acknowledged is there.
  const again = await site.start();
  const db = openSiteDb(site);
  try {
    const k = db.kysely;
    const comments = await k.selectFrom('comments').select(['body', 'status', 'deleted_at']).where('article_id', '=', discussionId).execute();
    const bodies = new Set(comments.filter((c) => c.status === 'approved' && !c.deleted_at).map((c) => c.body));
    const present = [];
    for (const w of writes.filter((x) => x.acknowledged)) {
      if (w.kind === 'comment') {
        if (bodies.has(w.text)) present.push(w);
      } else {
        const res = await fetch(`${again.url}/api/admin/articles/${w.storyId}`, { headers: jsonHeaders(editor) });
        expect(res.status).toBe(200);
        if (((await res.json()) as Static<typeof StoryEnvelope>).article.headline === w.text) present.push(w);
      }
    }
    const acked = writes.filter((w) => w.acknowledged);
    const line = `durability (${dialect}): acknowledged ${acked.length}, present ${present.length} ` +
      `(comments ${acked.filter((w) => w.kind === 'comment').length} acknowledged, ${bodies.size} in the database; ` +
      `saves ${acked.filter((w) => w.kind === 'save').length} acknowledged) of ${writes.length} sent`;
    console.log(line);
    expect(present.map((w) => w.text).sort()).toEqual(acked.map((w) => w.text).sort());
    // Both kinds of write were acknowledged, and some were cut off by the kill.
    expect(acked.filter((w) => w.kind === 'save').length).toBeGreaterThanOrEqual(SAVES_AHEAD);
    expect(acked.filter((w) => w.kind === 'comment').length).toBeGreaterThan(0);
    expect(acked.length).toBeLessThan(writes.length);

    // The shown count is the approved comments (the API a reader's page uses, and the column itself).
    const shown = await fetch(`${again.url}/api/v1/articles/${discussionId}`, { headers: { accept: 'application/json' } });
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as Static<typeof ArticleEnvelopeJson>).article.commentCount).toBe(bodies.size);
    const column = await k.selectFrom('articles').select('comment_count').where('id', '=', discussionId).executeTakeFirstOrThrow();
    expect(Number(column.comment_count)).toBe(bodies.size);

    // Every story's count agrees with its comments, and no comment points at a story that is not there.
    const counts = await k
      .selectFrom('articles as a')
      .select(['a.id', 'a.comment_count', (eb) => eb.selectFrom('comments as c').select((e) => e.fn.countAll().as('n'))
        .whereRef('c.article_id', '=', 'a.id').where('c.status', '=', 'approved').where('c.deleted_at', 'is', null).as('approved')])
      .execute();
    expect(counts.filter((r) => Number(r.comment_count) !== Number(r.approved))).toEqual([]);

    if (dialect === 'sqlite') {
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(k);
      expect(integrity.rows.map((r) => r.integrity_check)).toEqual(['ok']);
      expect((await sql`pragma foreign_key_check`.execute(k)).rows).toEqual([]);
      const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(k);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(k);
      console.log(`durability (sqlite): journal_mode ${journal.rows[0]?.journal_mode}, synchronous ${['OFF', 'NORMAL', 'FULL', 'EXTRA'][sync.rows[0]?.synchronous ?? -1]}`);
      expect(journal.rows[0]?.journal_mode).toBe('wal');
      // FULL: each commit is synced, so it survives a power loss as well as a kill.
      expect(sync.rows[0]?.synchronous).toBe(2);
    } else {
      const orphans = await sql<{ n: string }>`select count(*) as n from comments c left join articles a on a.id = c.article_id where a.id is null`.execute(k);
      expect(Number(orphans.rows[0]?.n)).toBe(0);
      const fsync = await sql<{ fsync: string }>`show fsync`.execute(k);
      const commit = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(k);
      console.log(`durability (postgres): fsync ${fsync.rows[0]?.fsync}, synchronous_commit ${commit.rows[0]?.synchronous_commit}`);
    }

    // And the restarted server takes writes again, counting on from there.
    const late = readers[0]!;
    const res = await fetch(`${again.url}/api/v1/articles/${discussionId}/comments`, { method: 'POST', headers: jsonHeaders(late), body: JSON.stringify({ body: 'After the restart, all is well here.' }) });
    expect(res.status).toBe(201);
    const after = await k.selectFrom('articles').select('comment_count').where('id', '=', discussionId).executeTakeFirstOrThrow();
    expect(Number(after.comment_count)).toBe(bodies.size + 1);
  } finally {
    await db.close();
  }
});
