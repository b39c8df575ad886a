/**
 * The newsroom's live coverage screen with plain forms (no JavaScript): an
 * editor starts the coverage, posts, pins, marks a key event, edits and
 * deletes a post and ends the coverage, and the reader's page follows each
 * step; contributors may not open it; a bad post shows the problem and saves nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection, createStory, publishStory } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { sameOrigin, type FormFields } from '../../test/helpers/http.js';
import { countRows } from '../../test/helpers/db.js';

let t: TestApp;
let who: Record<'contributor' | 'editor', SignedIn>;

beforeAll(async () => {
  t = await startTestApp({ seed: async ({ db: { kysely: db } }) => void (await buildSection(db, { slug: 'africa', name: 'Africa' })) });
  who = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor' }, { displayName: (k) => `Kofi ${k}` });
});
afterAll(async () => t?.close());

const send = (path: string, form: FormFields = {}, as: SignedIn = who.editor) => t.request('POST', path, { as, form, headers: sameOrigin(t.url) });

/** The screen, after a form post answered 303 (Post/Redirect/Get). */
async function followed(res: Response): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(303);
  const page = await t.page(res.headers.get('location')!, who.editor);
  expect(page.status).toBe(200);
  return page.html;
}

describe('the live coverage screen', () => {
  it('runs a live story from start to end with forms', async () => {
    const story = await publishStory(t, who.editor, (await createStory(t, who.editor, { headline: 'Floods in Kesra' })).id);
    const desk = `/newsroom/stories/${story.id}/live`;
    const first = await t.page(desk, who.editor);
    expect(first.status).toBe(200);
    expect(first.html).toContain('This is not a live story.');
    expect((await t.page(`/newsroom/stories/${story.id}`, who.editor)).html).toContain(`href="${desk}"`);

    expect(await followed(await send(`${desk}/start`))).toContain('Live coverage is on');
    let html = await followed(await send(`${desk}/posts`, { kind: 'text', body: 'Water is rising on the **east bank**.', keyEvent: 'East bank floods', pinned: 'on' }));
    expect(html).toContain('Posted: readers see it now.');
    html = await followed(await send(`${desk}/posts`, { kind: 'quote', body: 'Stay indoors.', attribution: 'The mayor' }));
    const ids = [...html.matchAll(/id="desk-post-(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toHaveLength(2);
    const [quote, first2] = ids as [number, number];

    let reader = (await t.page(story.path)).html;
    expect(reader).toContain(`<a href="#post-${first2}">East bank floods</a>`);
    expect(reader).toContain('East bank floods');
    expect(reader).toContain('— The mayor');
    expect(reader.slice(reader.indexOf('data-live-top'), reader.indexOf('class="live-stream"'))).toContain('east bank');

    await followed(await send(`${desk}/posts/${first2}/pin`, { pinned: '0' }));
    await followed(await send(`${desk}/posts/${quote}/key-event`, { title: 'Mayor: stay indoors' }));
    html = await followed(await send(`${desk}/posts/${quote}`, { body: 'Stay indoors tonight.', attribution: 'The mayor' }));
    expect(html).toContain('Stay indoors tonight.');
    reader = (await t.page(story.path)).html;
    expect(reader).toContain('Mayor: stay indoors');
    expect(reader).toContain('Stay indoors tonight.');
    expect(reader).toContain('(edited)');

    await followed(await send(`${desk}/posts/${quote}/delete`));
    reader = (await t.page(story.path)).html;
    expect(reader).not.toContain('Stay indoors');
    expect(reader).not.toContain('Mayor: stay indoors');

    expect(await followed(await send(`${desk}/end`))).toContain('Live coverage ended');
    reader = (await t.page(story.path)).html;
    expect(reader).toContain('Live coverage ended');
  });

  it('shows the problem of a bad post and saves nothing', async () => {
    const story = await publishStory(t, who.editor, (await createStory(t, who.editor, { headline: 'Checks on the desk' })).id);
    const desk = `/newsroom/stories/${story.id}/live`;
    await followed(await send(`${desk}/start`));
    const before = await countRows(t.db.kysely, 'live_posts');
    const res = await send(`${desk}/posts`, { kind: 'image', imageUrl: '/media/x.jpg', body: 'A caption' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('alt text');
    expect(html).toContain('A caption');
    expect(await countRows(t.db.kysely, 'live_posts')).toBe(before);
  });

  it('is refused to contributors and to cross-site forms', async () => {
    const story = await publishStory(t, who.editor, (await createStory(t, who.editor, { headline: 'Not for contributors' })).id);
    const desk = `/newsroom/stories/${story.id}/live`;
    const before = await countRows(t.db.kysely, 'live_coverages');
    expect((await t.page(desk, who.contributor)).status).toBe(403);
    expect((await send(`${desk}/start`, {}, who.contributor)).status).toBe(403);
    const forged = await t.request('POST', `${desk}/start`, { as: who.editor, form: {}, headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    expect(await countRows(t.db.kysely, 'live_coverages')).toBe(before);
  });
});
