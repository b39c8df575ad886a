/**
 * The story editor in the browser, through HTTP: the editor page with every
 * field filled in, who may open it, the form posts that work without
 * JavaScript, the reader's preview of a story that is not public, and two
 * revisions compared. (The editor's script is driven in a real browser by
 * the e2e tests.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildAuthor, buildSection, buildTag, createStory } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { pageOf, sameOrigin, type FormFields, type HTTPMethods } from '../../test/helpers/http.js';
import type { Static } from 'typebox';
import type { BodyDoc } from '../content/body.js';
import type { RevisionComparisonJson, RevisionListJson, StoryEnvelope } from './newsroom.schemas.js';

type Story = Static<typeof StoryEnvelope>;

let t: TestApp;
let staff: Record<'contributor' | 'contributor2' | 'editor' | 'reader', SignedIn>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World', position: 0 });
      await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id });
      await buildSection(db, { slug: 'science', name: 'Science', position: 2 });
      await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo' });
      await buildAuthor(db, { slug: 'li-wei', name: 'Li Wei' });
      await buildTag(db, { slug: 'water', name: 'Water' });
      await buildTag(db, { slug: 'drought', name: 'Drought' });
    },
  });
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', contributor2: 'contributor', editor: 'editor', reader: 'reader' }, { displayName: (key) => `${key} person` });
});
afterAll(async () => t?.close());

/** An admin API call; the answer is read as T (null when it has no body). */
const api = <T = unknown>(method: HTTPMethods, url: string, as: SignedIn, body?: unknown) => t.api<T>(method, url, { as, body });

/** The text an editor's document starts with: its first paragraph's first run. */
function firstText(doc: unknown): string | undefined {
  const first = (doc as BodyDoc).content[0];
  const run = first?.type === 'paragraph' ? first.content?.[0] : undefined;
  return run?.type === 'text' ? run.text : undefined;
}

/** A form post as a browser sends it from the editor page. */
async function post(path: string, as: SignedIn, fields: FormFields) {
  return pageOf(await t.request('POST', path, { as, form: fields, headers: sameOrigin(t.url) }));
}

/** This file's story (in Africa, from buildStory). */
const VALLEY = { headline: 'Rains return to the valley', markdown: 'The first rain in a year fell on Tuesday.' };

/** The value of the control with this id, as the page renders it. */
function valueOf(html: string, id: string): string | null {
  const tag = new RegExp(`<(input|textarea)[^>]*id="${id}"[^>]*>`).exec(html);
  if (!tag) return null;
  if (tag[1] === 'textarea') return new RegExp(`id="${id}"[^>]*>([^<]*)</textarea>`).exec(html)?.[1] ?? null;
  return /value="([^"]*)"/.exec(tag[0])?.[1] ?? null;
}

function selectedIn(html: string, id: string): string[] {
  const select = new RegExp(`<select[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option[^>]*value="([^"]*)"[^>]*selected[^>]*>/g)].map((m) => m[1]!);
}

describe('the editor page', () => {
  it('shows every field of the story, its status and the buttons an editor may use', async () => {
    const { id } = await createStory(t, staff.editor, {
      ...VALLEY,
      standfirst: 'Farmers in the north celebrate & plan.',
      tags: ['water', 'drought'],
      authors: ['amara-diallo'],
      credit: 'Staff, Agencies',
      hero: { url: '/media/rain.jpg', alt: 'Rain over the hills', caption: 'The first storm', credit: 'Jane Doe' },
      seoTitle: 'Rain at last',
      seoDescription: 'The valley gets its first rain in a year.',
      commentsMode: 'premoderated',
      language: 'fr',
    });
    const { status, headers, html } = await t.page(`/newsroom/stories/${id}`, staff.editor);
    expect(status).toBe(200);
    expect(headers.get('cache-control')).toBe('no-store');
    expect(valueOf(html, 'story-headline')).toBe('Rains return to the valley');
    expect(valueOf(html, 'story-standfirst')).toBe('Farmers in the north celebrate &amp; plan.');
    expect(selectedIn(html, 'story-section')).toEqual(['africa']);
    expect(html).toContain('World › Africa');
    expect(valueOf(html, 'story-tags')).toBe('Water, Drought');
    expect(selectedIn(html, 'story-authors')).toEqual(['amara-diallo']);
    expect(valueOf(html, 'story-credit')).toBe('Staff, Agencies');
    expect(valueOf(html, 'story-hero-url')).toBe('/media/rain.jpg');
    expect(valueOf(html, 'story-hero-alt')).toBe('Rain over the hills');
    expect(valueOf(html, 'story-hero-caption')).toBe('The first storm');
    expect(valueOf(html, 'story-hero-credit')).toBe('Jane Doe');
    expect(valueOf(html, 'story-slug')).toBe('rains-return-to-the-valley');
    expect(valueOf(html, 'story-seo-title')).toBe('Rain at last');
    expect(valueOf(html, 'story-seo-description')).toBe('The valley gets its first rain in a year.');
    expect(selectedIn(html, 'story-comments')).toEqual(['premoderated']);
    expect(valueOf(html, 'story-language')).toBe('fr');
    // The body: shown as the site renders it, and as the editor's document for the script.
    expect(html).toContain('data-editor-body');
    expect(html).toContain('<p>The first rain in a year fell on Tuesday.</p>');
    const data = JSON.parse(/<script type="application\/json" id="story-editor-data">([\s\S]*?)<\/script>/.exec(html)![1]!);
    expect(data.body.content[0].content[0].text).toBe('The first rain in a year fell on Tuesday.');
    // Status, who changed it, and the editor's buttons for a draft.
    expect(html).toMatch(/data-story-status="draft"/);
    expect(html).toContain('Last changed by editor person');
    for (const label of ['Save', 'Submit for review', 'Publish now', 'Schedule', 'Delete', 'Preview']) expect(html).toContain(`>${label}</`);
    expect(html).not.toContain('>Unpublish</');
    expect(html).not.toContain('Add correction');
    expect(html).toContain('Time zone: UTC');
    expect(html).toContain(`/newsroom/stories/${id}/revisions/compare`);
  });

  it('keeps the embedded body from closing its script', async () => {
    const { id } = await createStory(t, staff.editor, { ...VALLEY, markdown: 'Beware `</script><script>alert(1)</script>` in copy.' });
    const { html } = await t.page(`/newsroom/stories/${id}`, staff.editor);
    const script = /<script type="application\/json" id="story-editor-data">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(script).not.toContain('<');
    expect(JSON.stringify(JSON.parse(script))).toContain('</script><script>alert(1)</script>');
    expect(html).not.toContain('<script>alert(1)');
  });

  it('offers a published story its correction form, Unpublish and the public link', async () => {
    const { id } = await createStory(t, staff.editor, VALLEY);
    expect((await api('POST', `/api/admin/articles/${id}/publish`, staff.editor, {})).status).toBe(200);
    const { html } = await t.page(`/newsroom/stories/${id}`, staff.editor);
    expect(html).toMatch(/data-story-status="published"/);
    expect(html).toContain('>Unpublish</');
    expect(html).toContain('>Add correction</');
    expect(html).not.toContain('>Publish now</');
    expect(html).not.toContain('>Delete</');
    expect(html).toMatch(new RegExp(`href="${t.url}/africa/${id}-rains-return-to-the-valley"`));
  });

  it('renders the new-story page with plain controls', async () => {
    const { status, html } = await t.page('/newsroom/stories/new', staff.contributor);
    expect(status).toBe(200);
    expect(html).toContain('id="story-headline"');
    expect(html).toMatch(/<option value(="")?>Choose a section<\/option>/);
    expect(html).toContain('>Save</');
    expect(html).not.toContain('>Publish now</');
    expect(html).not.toContain('Please wait');
  });

  it('gives a contributor their own draft, without the editor-only buttons, and refuses them another\'s', async () => {
    const { id: own } = await createStory(t, staff.contributor, VALLEY);
    const mine = await t.page(`/newsroom/stories/${own}`, staff.contributor);
    expect(mine.status).toBe(200);
    expect(valueOf(mine.html, 'story-headline')).toBe('Rains return to the valley');
    expect(mine.html).toContain('>Submit for review</');
    expect(mine.html).not.toContain('>Publish now</');
    expect(mine.html).not.toContain('>Schedule</');
    const theirs = await t.page(`/newsroom/stories/${own}`, staff.contributor2);
    expect(theirs.status).toBe(403);
    expect(theirs.html).not.toContain('Rains return to the valley');
  });

  it('sends anonymous visitors to sign in, and refuses readers', async () => {
    const { id } = await createStory(t, staff.editor, VALLEY);
    const anon = await t.page(`/newsroom/stories/${id}`);
    expect(anon.status).toBe(302);
    expect(anon.location).toBe(`/signin?next=${encodeURIComponent(`/newsroom/stories/${id}`)}`);
    expect((await t.page('/newsroom/stories/new')).status).toBe(302);
    expect((await t.page(`/newsroom/stories/${id}`, staff.reader)).status).toBe(403);
    expect((await t.page('/newsroom/stories/999999', staff.editor)).status).toBe(404);
  });
});

describe('the editor form without JavaScript', () => {
  const fields = {
    headline: 'Bridge reopens after repairs', standfirst: 'Traffic flows again.', section: 'science', tags: 'Water, Brand new topic',
    authors: ['li-wei', 'amara-diallo'], credit: '', heroUrl: '', heroAlt: '', heroCaption: '', heroCredit: '', slug: '', seoTitle: '',
    seoDescription: '', commentsMode: 'closed', language: 'en',
  };

  it('creates a story, saves it, and publishes it with one button', async () => {
    const created = await post('/newsroom/stories/new', staff.editor, { ...fields, intent: 'save' });
    expect(created.status).toBe(303);
    const id = Number(/\/newsroom\/stories\/(\d+)\?done=created$/.exec(created.location ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    const story = (await api<Story>('GET', `/api/admin/articles/${id}`, staff.editor)).body!.article;
    expect(story.headline).toBe('Bridge reopens after repairs');
    expect(story.tags.map((x: { slug: string }) => x.slug)).toEqual(['water', 'brand-new-topic']);
    expect(story.authors.map((x: { slug: string }) => x.slug)).toEqual(['li-wei', 'amara-diallo']);
    expect(story.commentsMode).toBe('closed');
    expect(story.slug).toBe('bridge-reopens-after-repairs');

    // The body needs the script; give it one through the API, then publish from the form (which saves first).
    await api('PATCH', `/api/admin/articles/${id}`, staff.editor, { markdown: 'The bridge is open.' });
    const published = await post(`/newsroom/stories/${id}`, staff.editor, { ...fields, headline: 'Bridge reopens at last', intent: 'publish' });
    expect(published.status).toBe(303);
    expect(published.location).toBe(`/newsroom/stories/${id}?done=publish`);
    const after = (await api<Story>('GET', `/api/admin/articles/${id}`, staff.editor)).body!.article;
    expect(after.status).toBe('published');
    expect(after.headline).toBe('Bridge reopens at last');
    expect(after.slug).toBe('bridge-reopens-at-last');
    expect(firstText(after.body)).toBe('The bridge is open.');
    expect((await t.page(`/newsroom/stories/${id}?done=publish`, staff.editor)).html).toContain('Published.');
  });

  it('shows the refusal by the buttons, with what was typed', async () => {
    const { id } = await createStory(t, staff.editor, VALLEY);
    const res = await post(`/newsroom/stories/${id}`, staff.editor, {
      ...fields, headline: 'A headline typed but refused', heroUrl: '/media/x.jpg', heroAlt: '', intent: 'publish',
    });
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/id="editor-errors"[^>]*>[^<]*Alt text is required/);
    expect(valueOf(res.html, 'story-headline')).toBe('A headline typed but refused');
    expect((await api<Story>('GET', `/api/admin/articles/${id}`, staff.editor)).body!.article.status).toBe('draft');
  });

  it('refuses a form save from a page older than the latest revision, keeping both what was saved and what was typed', async () => {
    const { id } = await createStory(t, staff.editor, VALLEY);
    const opened = await t.page(`/newsroom/stories/${id}`, staff.editor);
    const base = /name="baseRevision" value="(\d+)"/.exec(opened.html)?.[1];
    expect(Number(base)).toBeGreaterThan(0);
    expect((await api('PATCH', `/api/admin/articles/${id}`, staff.editor, { headline: 'Saved first, elsewhere' })).status).toBe(200);
    const res = await post(`/newsroom/stories/${id}`, staff.editor, { ...fields, headline: 'Typed on the old page', baseRevision: base!, intent: 'save' });
    expect(res.status).toBe(409);
    expect(res.html).toMatch(/id="editor-errors"[^>]*>[^<]*after you opened it/);
    expect(valueOf(res.html, 'story-headline')).toBe('Typed on the old page');
    expect((await api<Story>('GET', `/api/admin/articles/${id}`, staff.editor)).body!.article.headline).toBe('Saved first, elsewhere');
  });

  it('keeps a contributor to their own moves', async () => {
    const { id } = await createStory(t, staff.contributor, VALLEY);
    const refused = await post(`/newsroom/stories/${id}`, staff.contributor, { ...fields, intent: 'publish' });
    expect(refused.status).toBe(403);
    const submitted = await post(`/newsroom/stories/${id}`, staff.contributor, { ...fields, tags: 'Water', intent: 'submit' });
    expect(submitted.status).toBe(303);
    expect((await api<Story>('GET', `/api/admin/articles/${id}`, staff.contributor)).body!.article.status).toBe('review');
    expect((await post(`/newsroom/stories/${id}`, staff.contributor2, { ...fields, intent: 'save' })).status).toBe(403);
  });
});

describe('the preview', () => {
  it('shows a story that is not public as the reader would see it, marked and never cached', async () => {
    const { id } = await createStory(t, staff.contributor, { ...VALLEY, standfirst: 'A standfirst for readers.' });
    const res = await t.page(`/newsroom/stories/${id}/preview`, staff.contributor);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-robots-tag')).toBe('noindex');
    expect(res.html).toContain('<meta name="robots" content="noindex"/>');
    expect(res.html).not.toContain('rel="canonical"');
    expect(res.html).toContain('Preview — not published');
    expect(res.html).toMatch(/<h1 class="article__headline">Rains return to the valley<\/h1>/);
    expect(res.html).toContain('A standfirst for readers.');
    expect(res.html).toContain('<p>The first rain in a year fell on Tuesday.</p>');
    // The site itself still has nothing there.
    expect((await t.page(`/africa/${id}-rains-return-to-the-valley`)).status).toBe(404);
  });

  it('is refused to another contributor and to anonymous visitors', async () => {
    const { id } = await createStory(t, staff.contributor, VALLEY);
    expect((await t.page(`/newsroom/stories/${id}/preview`, staff.contributor2)).status).toBe(403);
    expect((await t.page(`/newsroom/stories/${id}/preview`, staff.editor)).status).toBe(200);
    const anon = await t.page(`/newsroom/stories/${id}/preview`);
    expect(anon.status).toBe(302);
    expect(anon.location).toContain('/signin?next=');
  });
});

describe('revisions', () => {
  it('lists the revisions and compares two, word by word', async () => {
    const { id } = await createStory(t, staff.editor, { ...VALLEY, standfirst: 'Farmers wait.' });
    await api('PATCH', `/api/admin/articles/${id}`, staff.editor, {
      headline: 'Rains return to the northern valley',
      standfirst: 'Farmers wait.',
      markdown: 'The first heavy rain in a year fell on Tuesday.\n\nRoads were closed.',
      tags: ['water'],
    });
    const revisions = (await api<Static<typeof RevisionListJson>>('GET', `/api/admin/articles/${id}/revisions`, staff.editor)).body!.revisions as Array<{ id: number }>;
    expect(revisions).toHaveLength(2);
    const [newer, older] = revisions.map((r) => r.id);

    const editor = await t.page(`/newsroom/stories/${id}`, staff.editor);
    expect(editor.html).toContain(`data-revision-id="${older}"`);
    expect(editor.html).toContain(`action="/newsroom/stories/${id}/revisions/${older}/restore"`);

    const res = await t.page(`/newsroom/stories/${id}/revisions/compare?a=${older}&b=${newer}`, staff.editor);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.html).toContain('<ins>northern </ins>');
    expect(res.html).toMatch(/<ins>heavy <\/ins>/);
    expect(res.html).toContain('<ins>Roads were closed.</ins>');
    expect(res.html).toMatch(/data-diff-field="Tags"[\s\S]*?<ins>Water<\/ins>/);
    expect(res.html).toContain('Unchanged: Standfirst');
    // Without a choice, the latest change; refused to those who may not read the story.
    expect((await t.page(`/newsroom/stories/${id}/revisions/compare`, staff.editor)).html).toContain('<ins>northern </ins>');
    // Either order, the older revision is on the left; the admin API compares the same way.
    expect((await t.page(`/newsroom/stories/${id}/revisions/compare?a=${newer}&b=${older}`, staff.editor)).html).toContain('<ins>northern </ins>');
    const viaApi = (await api<Static<typeof RevisionComparisonJson>>('GET', `/api/admin/articles/${id}/revisions/compare?a=${older}&b=${newer}`, staff.editor)).body!;
    expect(viaApi.changed.map((f: { label: string }) => f.label)).toEqual(expect.arrayContaining(['Headline', 'Tags']));
    expect(viaApi.unchanged).toContain('Standfirst');
    expect(viaApi.body).toContainEqual({ kind: 'added', text: 'Roads were closed.' });
    expect((await t.page(`/newsroom/stories/${id}/revisions/compare?a=${older}&b=${newer}`, staff.contributor)).status).toBe(403);
  });

  it('restores a revision from a form post', async () => {
    const { id } = await createStory(t, staff.editor, VALLEY);
    await api('PATCH', `/api/admin/articles/${id}`, staff.editor, { headline: 'A worse headline' });
    const revisions = (await api<Static<typeof RevisionListJson>>('GET', `/api/admin/articles/${id}/revisions`, staff.editor)).body!.revisions as Array<{ id: number }>;
    const res = await post(`/newsroom/stories/${id}/revisions/${revisions[1]!.id}/restore`, staff.editor, {});
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/newsroom/stories/${id}?done=restored`);
    expect((await api<Story>('GET', `/api/admin/articles/${id}`, staff.editor)).body!.article.headline).toBe('Rains return to the valley');
  });
});
