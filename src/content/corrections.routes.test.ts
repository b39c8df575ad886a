/**
 * The corrections log, end to end: entries appended and never lost, shown on
 * the story in order, in its JSON-LD and feed items, on /corrections and its
 * feeds; a typo fixed (and audited), never deleted; caches purged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection, createStory, publishStory, type Story } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import type { ApiError } from '../../test/helpers/api-types.js';
import type { CorrectionEnvelope, CorrectionListJson, StoryEnvelope } from '../newsroom/newsroom.schemas.js';
import { correctionDate } from './content.model.js';

let t: TestApp;
let staff: Record<'contributor' | 'editor', SignedIn>;

type Created = Static<typeof CorrectionEnvelope>;
type Listed = Static<typeof CorrectionListJson>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      await buildSection(db, { slug: 'africa', name: 'Africa' });
    },
  });
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor' });
});
afterAll(async () => t?.close());

async function publishedStory(headline: string): Promise<Story> {
  const story = await createStory(t, staff.editor, { headline });
  return publishStory(t, staff.editor, story.id);
}

const addCorrection = (id: number, body: Record<string, unknown>, as: SignedIn = staff.editor) =>
  t.api<Created>('POST', `/api/admin/articles/${id}/corrections`, { as, body });

/** The JSON-LD blocks of a page. */
function jsonLd(html: string): Array<Record<string, unknown>> {
  return [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

describe('the corrections log', () => {
  it('keeps every entry, in order, dated, with its kind, on the story page', async () => {
    const story = await publishedStory('Bridge opened in 1962');
    const first = await addCorrection(story.id, { kind: 'correction', note: 'An earlier version said the bridge opened in 1926.' });
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/api/admin/articles/${story.id}/corrections/${first.body!.correction.id}`);
    // The earlier request shape still works: no kind is a correction.
    const second = await t.api<Static<typeof StoryEnvelope>>('POST', `/api/admin/articles/${story.id}/correction`, { as: staff.editor, body: { note: 'The mayor\'s name was misspelt.' } });
    expect(second.status).toBe(200);
    const third = await addCorrection(story.id, { kind: 'update', note: 'The bridge reopened on Friday.' });
    expect(third.status).toBe(201);

    const list = await t.api<Listed>('GET', `/api/admin/articles/${story.id}/corrections`, { as: staff.editor });
    expect(list.body!.corrections.map((c) => [c.kind, c.note])).toEqual([
      ['correction', 'An earlier version said the bridge opened in 1926.'],
      ['correction', 'The mayor\'s name was misspelt.'],
      ['update', 'The bridge reopened on Friday.'],
    ]);
    expect(second.body!.article.corrections).toHaveLength(2);

    const page = (await t.page(story.path)).html;
    // The log on the page (the head's JSON-LD carries the same words).
    const html = page.slice(page.indexOf('<ol class="corrections-log"'));
    const date = correctionDate(first.body!.correction.publishedAt);
    const a = html.indexOf(`Correction, <time datetime="${first.body!.correction.publishedAt}"`);
    const b = html.indexOf('The mayor\'s name was misspelt.');
    const c = html.indexOf('Update, <time');
    expect(a).toBeGreaterThanOrEqual(0);
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(html).toContain(`>${date}</time>:</strong> An earlier version said the bridge opened in 1926.`);
    expect(html).toContain(`id="correction-${first.body!.correction.id}"`);
  });

  it('lets an editor fix a typo (audited, the date kept, shown as edited) but never delete an entry', async () => {
    const story = await publishedStory('Harvest doubles');
    const created = (await addCorrection(story.id, { kind: 'clarification', note: 'The figures are for the nothern region.' })).body!.correction;
    await t.page(story.path); // cached

    const fixed = await t.api<Created>('PATCH', `/api/admin/articles/${story.id}/corrections/${created.id}`, { as: staff.editor, body: { note: 'The figures are for the northern region.' } });
    expect(fixed.status).toBe(200);
    expect(fixed.body!.correction).toMatchObject({ note: 'The figures are for the northern region.', publishedAt: created.publishedAt, editedAt: expect.any(String) });
    const audit = await t.db.kysely.selectFrom('audit_log').select(['action', 'details']).where('subject', '=', `article:${story.id}`).orderBy('id').execute();
    const edit = audit.find((r) => r.action === 'article.correction_edit');
    expect(edit).toBeDefined();
    expect(JSON.parse(edit!.details)).toMatchObject({ correction: created.id, was: 'The figures are for the nothern region.', note: 'The figures are for the northern region.' });

    const { html } = await t.page(story.path);
    expect(html).toContain('The figures are for the northern region.');
    expect(html).not.toContain('nothern');
    expect(html).toContain('wording edited');

    // No way to delete: 405 for an editor, 403 for a contributor, and the entry stays.
    const del = await t.api<ApiError>('DELETE', `/api/admin/articles/${story.id}/corrections/${created.id}`, { as: staff.editor });
    expect(del.status).toBe(405);
    expect(del.body!.error.code).toBe('method_not_allowed');
    expect((await t.api('DELETE', `/api/admin/articles/${story.id}/corrections/${created.id}`, { as: staff.contributor })).status).toBe(403);
    expect((await t.api('PATCH', `/api/admin/articles/${story.id}/corrections/${created.id}`, { as: staff.contributor, body: { note: 'x' } })).status).toBe(403);
    expect((await t.api('POST', `/api/admin/articles/${story.id}/corrections`, { as: staff.contributor, body: { note: 'x' } })).status).toBe(403);
    // An empty note is refused (it would erase the entry), as is an unknown kind.
    expect((await t.api('PATCH', `/api/admin/articles/${story.id}/corrections/${created.id}`, { as: staff.editor, body: { note: '   ' } })).status).toBe(400);
    expect((await addCorrection(story.id, { kind: 'retraction', note: 'x' })).status).toBe(400);
    expect((await t.api('PATCH', `/api/admin/articles/${story.id}/corrections/999999`, { as: staff.editor, body: { note: 'x' } })).status).toBe(404);
    const count = await t.db.kysely.selectFrom('article_corrections').select('id').where('article_id', '=', story.id).execute();
    expect(count).toHaveLength(1);

    // And the story carrying it can be unpublished, not deleted: the log stays.
    await t.api('POST', `/api/admin/articles/${story.id}/unpublish`, { as: staff.editor });
    expect((await t.api<ApiError>('DELETE', `/api/admin/articles/${story.id}`, { as: staff.editor })).status).toBe(409);
  });

  it('puts the log in the story\'s JSON-LD as dated CorrectionComments', async () => {
    const story = await publishedStory('Turnout was 61 percent');
    const c = (await addCorrection(story.id, { kind: 'correction', note: 'Turnout was 61 percent, not 71.' })).body!.correction;
    const article = jsonLd((await t.page(story.path)).html).find((x) => x['@type'] === 'NewsArticle')!;
    expect(article.correction).toEqual([
      {
        '@type': 'CorrectionComment',
        '@id': `${t.url}${story.path}#correction-${c.id}`,
        url: `${t.url}${story.path}#correction-${c.id}`,
        name: 'Correction',
        text: 'Turnout was 61 percent, not 71.',
        datePublished: c.publishedAt,
      },
    ]);
  });

  it('carries the log in the story\'s feed items (RSS, Atom, JSON Feed)', async () => {
    const story = await publishedStory('Dam inspected');
    await t.get('/feed.xml'); // cached before the correction
    await addCorrection(story.id, { kind: 'clarification', note: 'The inspection was routine.' });
    const line = /Clarification, \d{1,2} \w+ \d{4}:(<\/strong>|&lt;\/strong&gt;)? The inspection was routine\./;
    const rss = await (await t.get('/feed.xml')).text();
    const item = rss.split('<item>').find((x) => x.includes('Dam inspected'))!;
    expect(item).toMatch(line);
    const atom = await (await t.get('/atom.xml')).text();
    expect(atom.split('<entry>').find((x) => x.includes('Dam inspected'))).toMatch(line);
    const json = (await (await t.get('/feed.json')).json()) as { items: Array<{ title: string; content_html: string }> };
    expect(json.items.find((i) => i.title === 'Dam inspected')!.content_html).toMatch(line);
  });

  it('lists corrections across stories on /corrections and its feeds, newest first, purging their caches', async () => {
    const one = await publishedStory('Port strike ends');
    const two = await publishedStory('Rail line reopens');
    const before = await t.page('/corrections'); // cached
    expect(before.headers.get('cache-control')).toMatch(/public/);
    await t.get('/corrections/feed.xml');
    await t.get('/corrections/atom.xml');
    await t.get('/corrections/feed.json');
    await t.page(two.path);

    await addCorrection(one.id, { note: 'The strike lasted nine days, not ten.' });
    const latest = (await addCorrection(two.id, { kind: 'update', note: 'Trains now stop at Kesra.' })).body!.correction;

    const page = await t.page('/corrections');
    expect(page.status).toBe(200);
    const newer = page.html.indexOf('Trains now stop at Kesra.');
    const older = page.html.indexOf('The strike lasted nine days, not ten.');
    expect(newer).toBeGreaterThan(0);
    expect(older).toBeGreaterThan(newer);
    expect(page.html).toContain(`href="${two.path}#correction-${latest.id}"`);
    // The story's cached page was purged too.
    expect((await t.page(two.path)).html).toContain('Trains now stop at Kesra.');

    const rss = await (await t.get('/corrections/feed.xml')).text();
    expect(rss).toContain('<title><![CDATA[Update: Rail line reopens]]></title>');
    expect(rss.indexOf('Rail line reopens')).toBeLessThan(rss.indexOf('Port strike ends'));
    const atom = await t.get('/corrections/atom.xml');
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    expect(await atom.text()).toContain('Trains now stop at Kesra.');
    const json = await t.get('/corrections/feed.json');
    expect(json.headers.get('content-type')).toContain('application/feed+json');
    const doc = (await json.json()) as { version: string; items: Array<{ title: string; content_text: string; url: string }> };
    expect(doc.version).toBe('https://jsonfeed.org/version/1.1');
    expect(doc.items[0]).toMatchObject({ title: 'Update: Rail line reopens', url: expect.stringContaining(`${two.path}#correction-${latest.id}`) });
    expect(doc.items[0]!.content_text).toContain('Trains now stop at Kesra.');

    // An unpublished story's corrections leave the list (its page is gone).
    await t.api('POST', `/api/admin/articles/${one.id}/unpublish`, { as: staff.editor });
    expect((await t.page('/corrections')).html).not.toContain('The strike lasted nine days');
    expect((await t.page('/corrections?page=99')).status).toBe(404);
  });

  it('gives the newsroom editor the kind select, the entries and a form to fix each one (without JavaScript too)', async () => {
    const story = await publishedStory('Budget passed');
    const c = (await addCorrection(story.id, { kind: 'correction', note: 'The vote was 201 to 118.' })).body!.correction;
    const editor = await t.page(`/newsroom/stories/${story.id}`, staff.editor);
    expect(editor.html).toContain('name="correctionKind"');
    expect(editor.html).toContain('<option value="clarification">Clarification</option>');
    expect(editor.html).toContain('The vote was 201 to 118.');
    expect(editor.html).toContain(`formaction="/newsroom/stories/${story.id}/corrections/${c.id}"`);
    expect(editor.html).not.toContain('Remove correction');

    const origin = { origin: t.url, 'sec-fetch-site': 'same-origin' };
    const fixed = await t.request('POST', `/newsroom/stories/${story.id}/corrections/${c.id}`, {
      as: staff.editor, headers: origin, form: { intent: 'correction-edit', headline: 'ignored', [`correction-${c.id}`]: 'The vote was 201 to 119.' },
    });
    expect(fixed.status).toBe(303);
    const added = await t.request('POST', `/newsroom/stories/${story.id}`, {
      as: staff.editor, headers: origin,
      form: { intent: 'correction', headline: 'Budget passed', section: 'africa', correctionKind: 'clarification', note: 'The budget covers two years.' },
    });
    expect(added.status).toBe(303);
    const list = (await t.api<Listed>('GET', `/api/admin/articles/${story.id}/corrections`, { as: staff.editor })).body!.corrections;
    expect(list.map((x) => [x.kind, x.note])).toEqual([['correction', 'The vote was 201 to 119.'], ['clarification', 'The budget covers two years.']]);
    expect(list[0]!.editedAt).not.toBeNull();
  });
});
