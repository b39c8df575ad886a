/**
 * The newsroom's Fronts screens as a browser without JavaScript uses them
 * (same-origin form posts), on the suite's database: arranging a section
 * front with the plain forms, refusals shown on the screen with nothing
 * saved, the preview (the reader's page with the draft, never cached nor
 * indexed, staff only), publishing and scheduling, and who may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection, createStory, publishStory, type Story } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { pageOf, sameOrigin, type FormFields } from '../../test/helpers/http.js';

let t: TestApp;
let who: Record<'contributor' | 'editor', SignedIn>;
const s: Story[] = [];

beforeAll(async () => {
  t = await startTestApp({ seed: async ({ db: { kysely: db } }) => void (await buildSection(db, { slug: 'africa', name: 'Africa' })) });
  who = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor' });
  for (const headline of ['Oldest: the dam holds', 'Middle: the market reopens', 'Newest: a two-line test story']) {
    s.push(await publishStory(t, who.editor, (await createStory(t, who.editor, { headline })).id));
  }
});
afterAll(async () => t?.close());

const call = async (method: 'GET' | 'POST', path: string, as?: SignedIn, form?: FormFields) =>
  pageOf(await t.request(method, path, { as, form, headers: { accept: 'text/html', ...sameOrigin(t.url) } }));
const post = (path: string, form: FormFields, as: SignedIn = who.editor) => call('POST', path, as, form);
const order = (...stories: Story[]) => stories.map((x) => x.id).join(',');
const main = (html: string) => html.slice(html.indexOf('id="main"'));

describe('arranging a front without JavaScript', () => {
  it('adds, moves and saves the newest count as a draft; readers see none of it until it is published', async () => {
    const empty = await call('GET', '/newsroom/fronts/africa', who.editor);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('cache-control')).toBe('no-store');
    expect(empty.html).toContain('No story is arranged');

    const added = await post('/newsroom/fronts/africa/draft', { slots: '', latestCount: '11', add: String(s[0]!.id) });
    expect(added.status).toBe(303);
    expect(added.location).toBe('/newsroom/fronts/africa?done=saved');
    expect((await post('/newsroom/fronts/africa/draft', { slots: order(s[0]!), latestCount: '11', add: String(s[1]!.id) })).status).toBe(303);
    const screen = await call('GET', '/newsroom/fronts/africa?done=saved', who.editor);
    expect(screen.html).toContain('Draft saved.');
    // The ↓ button of the lead carries the order with the first two swapped.
    expect(screen.html).toContain(`name="slots" value="${order(s[1]!, s[0]!)}"`);
    expect(screen.html).toMatch(/aria-label="Move “Oldest: the dam holds” down"/);
    expect((await post('/newsroom/fronts/africa/draft', { slots: order(s[1]!, s[0]!), latestCount: '1', add: '' })).status).toBe(303);

    const reader = main((await t.page('/africa')).html);
    expect(reader.indexOf(s[2]!.headline)).toBeLessThan(reader.indexOf(s[0]!.headline)); // still newest first

    const preview = await call('GET', '/newsroom/fronts/africa/preview', who.editor);
    expect(preview.status).toBe(200);
    expect(preview.headers.get('cache-control')).toBe('no-store');
    expect(preview.headers.get('x-robots-tag')).toBe('noindex');
    expect(preview.html).toContain('<meta name="robots" content="noindex"/>');
    expect(preview.html).toContain('Preview — the draft of Africa');
    const shown = main(preview.html);
    expect(shown.indexOf(s[1]!.headline)).toBeLessThan(shown.indexOf(s[0]!.headline));
    expect(shown.indexOf(s[0]!.headline)).toBeLessThan(shown.indexOf(s[2]!.headline));

    const published = await post('/newsroom/fronts/africa/publish', { when: 'now', at: '' });
    expect(published.status).toBe(303);
    expect(published.location).toBe('/newsroom/fronts/africa?done=published');
    const live = main((await t.page('/africa')).html);
    expect(live.indexOf(s[1]!.headline)).toBeLessThan(live.indexOf(s[0]!.headline));
    expect(live.indexOf(s[0]!.headline)).toBeLessThan(live.indexOf(s[2]!.headline));
    expect((await call('GET', '/newsroom/fronts', who.editor)).html).toContain('2 arranged stories, then the 1 newest');
    // No draft now: nothing to preview.
    expect((await call('GET', '/newsroom/fronts/africa/preview', who.editor)).status).toBe(404);
  });

  it('shows what is wrong, on the screen, and saves nothing', async () => {
    const twice = await post('/newsroom/fronts/africa/draft', { slots: order(s[0]!, s[0]!), latestCount: '11', add: '' });
    expect(twice.status).toBe(400);
    expect(twice.html).toMatch(/is in the layout twice.*Nothing was saved\./);
    const garbage = await post('/newsroom/fronts/africa/draft', { slots: '1;2', latestCount: '11', add: '' });
    expect(garbage.status).toBe(400);
    expect(garbage.html).toContain('That order was not a list of stories.');
    const draftStory = await createStory(t, who.editor, { headline: 'Still a draft' });
    const hidden = await post('/newsroom/fronts/africa/draft', { slots: '', latestCount: '', add: String(draftStory.id) });
    expect(hidden.status).toBe(400);
    expect(hidden.html).toContain('Only published stories can be placed on a front');
    expect((await call('GET', '/newsroom/fronts/africa', who.editor)).html).not.toContain('Draft saved');

    expect((await post('/newsroom/fronts/africa/draft', { slots: order(s[2]!), latestCount: '', add: '' })).status).toBe(303);
    const past = await post('/newsroom/fronts/africa/publish', { when: 'later', at: '2020-01-01T10:00' });
    expect(past.status).toBe(400);
    expect(past.html).toContain('has already passed');
    const scheduled = await post('/newsroom/fronts/africa/publish', { when: 'later', at: '2099-01-01T10:00' });
    expect(scheduled.status).toBe(303);
    const screen = (await call('GET', '/newsroom/fronts/africa?done=scheduled', who.editor)).html;
    expect(screen).toContain('Goes live at <strong>2099-01-01 10:00 UTC</strong>');
    const id = /\/newsroom\/fronts\/africa\/scheduled\/(\d+)\/cancel/.exec(screen)![1];
    expect((await post(`/newsroom/fronts/africa/scheduled/${id}/cancel`, {})).location).toBe('/newsroom/fronts/africa?done=cancelled');
  });

  it('is for editors and admins: a contributor is refused, someone signed out is sent to sign in, another site is refused', async () => {
    expect((await call('GET', '/newsroom/fronts', who.contributor)).status).toBe(403);
    expect((await call('GET', '/newsroom/fronts/africa/preview', who.contributor)).status).toBe(403);
    expect((await post('/newsroom/fronts/africa/draft', { slots: '', latestCount: '', add: '' }, who.contributor)).status).toBe(403);
    const out = await call('GET', '/newsroom/fronts/home');
    expect(out.status).toBe(302);
    expect(out.location).toBe('/signin?next=%2Fnewsroom%2Ffronts%2Fhome');
    const crossSite = await t.request('POST', '/newsroom/fronts/home/publish', { as: who.editor, form: { when: 'now', at: '' }, headers: { origin: 'https://elsewhere.example', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect((await call('GET', '/newsroom/fronts/nowhere', who.editor)).status).toBe(404);
  });
});
