/**
 * Choosing a special-coverage hub's lead on the tag's newsroom screen: a
 * plain form that POSTs (no JavaScript), for editors and admins only,
 * audited like PUT /api/admin/tags/:slug/hub, and seen where a reader sees
 * it: the hub page, through the page cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildSection, buildTag } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { countRows } from '../../test/helpers/db.js';
import { pageOf, sameOrigin, type FormFields } from '../../test/helpers/http.js';

let t: TestApp;
const ids = {} as Record<'summit' | 'weather' | 'stake' | 'talks' | 'draft' | 'untagged', number>;
let who: Record<'admin' | 'editor' | 'contributor' | 'reader', SignedIn>;
const db = () => t.db.kysely;
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely } }) => {
      const world = (await buildSection(kysely, { slug: 'world', name: 'World' })).id;
      ids.summit = (await buildTag(kysely, { slug: 'sefa-summit', name: 'Sefa summit', specialCoverage: true })).id;
      ids.weather = (await buildTag(kysely, { slug: 'weather', name: 'Weather' })).id;
      const at = (h: number) => new Date(Date.now() - h * HOUR);
      ids.stake = (await buildArticle(kysely, { sectionId: world, headline: 'What is at stake in Sefa', tagIds: [ids.summit], publishedAt: at(5) })).id;
      ids.talks = (await buildArticle(kysely, { sectionId: world, headline: 'Talks run into the night', tagIds: [ids.summit], publishedAt: at(1) })).id;
      ids.draft = (await buildArticle(kysely, { sectionId: world, headline: 'Unfinished draft on Sefa', tagIds: [ids.summit], status: 'draft', publishedAt: null })).id;
      ids.untagged = (await buildArticle(kysely, { sectionId: world, headline: 'Rain on the coast', tagIds: [ids.weather], publishedAt: at(2) })).id;
    },
  });
  who = await buildStaff(db(), { admin: 'admin', editor: 'editor', contributor: 'contributor', reader: 'reader' });
});
afterAll(async () => t?.close());

async function call(method: 'GET' | 'POST', path: string, as?: { cookie: string }, form?: FormFields, headers: Record<string, string> = {}) {
  return pageOf(await t.request(method, path, { as, form, headers: { accept: 'text/html', ...sameOrigin(t.url), ...headers } }));
}

const screen = () => `/newsroom/tags/${ids.summit}`;
const hubAction = () => `/newsroom/tags/${ids.summit}/hub`;

/** The hub-lead panel of the tag's screen. */
function panelOf(html: string): string {
  const at = html.indexOf('aria-labelledby="tx-hub-lead"');
  expect(at, 'the hub-lead panel').toBeGreaterThan(0);
  return html.slice(at, html.indexOf('</section>', at));
}

/** The radio buttons of the panel, in order: value and whether checked. */
function choicesOf(html: string): Array<[string, boolean]> {
  return [...panelOf(html).matchAll(/<input id="hub-lead-[^"]+" name="lead" type="radio" value="([^"]*)"( checked)?/g)].map((m) => [m[1]!, !!m[2]]);
}

async function auditRows() {
  return db().selectFrom('audit_log').select(['action', 'details', 'actor_user_id']).where('subject', '=', `tag:${ids.summit}`).where('action', '=', 'hub.lead').orderBy('id').execute();
}

/** The lead section of the public hub page. */
async function hubLead(): Promise<string | null> {
  const html = (await t.page('/tag/sefa-summit')).html;
  const at = html.indexOf('class="hub__lead"');
  return at < 0 ? null : html.slice(at, html.indexOf('</section>', at));
}

describe('the hub lead on a special-coverage tag screen', () => {
  it('lists "no lead" and the recent published stories with the tag, newest first', async () => {
    const res = await call('GET', screen(), who.editor);
    expect(res.status).toBe(200);
    expect(choicesOf(res.html)).toEqual([['none', true], [String(ids.talks), false], [String(ids.stake), false]]);
    const panel = panelOf(res.html);
    expect(panel).toContain('Talks run into the night');
    expect(panel).not.toContain('Unfinished draft'); // not published
    expect(panel).not.toContain('Rain on the coast'); // not tagged
    expect(panel).toContain(`action="${hubAction()}"`);
    // A tag that is not special coverage has no hub, so no panel.
    expect((await call('GET', `/newsroom/tags/${ids.weather}`, who.editor)).html).not.toContain('tx-hub-lead');
  });

  it('saves the lead, audits it, and the hub leads with it at once; "no lead" clears it', async () => {
    expect(await hubLead()).toBeNull(); // cached now: the save must purge it
    const saved = await call('POST', hubAction(), who.editor, { lead: String(ids.stake) });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${screen()}?done=hub`);
    const back = await call('GET', saved.location!, who.editor);
    expect(back.html).toContain('Hub lead saved: /tag/sefa-summit shows it now.');
    expect(choicesOf(back.html).find(([, on]) => on)).toEqual([String(ids.stake), true]);
    expect(await hubLead()).toContain('What is at stake in Sefa');

    const cleared = await call('POST', hubAction(), who.admin, { lead: 'none' });
    expect(cleared.status).toBe(303);
    expect(await hubLead()).toBeNull();
    expect(choicesOf((await call('GET', screen(), who.admin)).html)[0]).toEqual(['none', true]);

    const rows = await auditRows();
    expect(rows.map((r) => JSON.parse(r.details))).toEqual([{ articleId: ids.stake }, { articleId: null }]);
    expect(rows.map((r) => r.actor_user_id)).toEqual([who.editor.id, who.admin.id]);
  });

  it('answers a story without the tag, or a value that is no story, with the form and a clear error, saving nothing', async () => {
    const before = (await auditRows()).length;
    const untagged = await call('POST', hubAction(), who.editor, { lead: String(ids.untagged) });
    expect(untagged.status).toBe(409);
    expect(untagged.html).toMatch(/role="alert">[^<]*is not tagged/);
    expect(untagged.html).toContain('tx-hub-lead');
    const junk = await call('POST', hubAction(), who.editor, { lead: 'the newest' });
    expect(junk.status).toBe(400);
    expect(junk.html).toContain('Choose a story from the list, or no lead.');
    expect((await auditRows()).length).toBe(before);
    expect(await hubLead()).toBeNull();
  });

  it('refuses contributors, readers and cross-site posts, and changes nothing', async () => {
    const before = await countRows(db(), 'audit_log');
    expect((await call('GET', screen(), who.contributor)).status).toBe(403);
    expect((await call('POST', hubAction(), who.contributor, { lead: String(ids.stake) })).status).toBe(403);
    expect((await call('POST', hubAction(), who.reader, { lead: String(ids.stake) })).status).toBe(403);
    const forged = await call('POST', hubAction(), who.editor, { lead: String(ids.stake) }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    expect(await countRows(db(), 'audit_log')).toBe(before);
    expect(await hubLead()).toBeNull();
  });
});
