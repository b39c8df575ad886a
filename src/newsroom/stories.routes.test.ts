/**
 * The newsroom's story list (/newsroom) and media library (/newsroom/media)
 * in the browser's terms: server-rendered pages, GET filter forms, plain
 * POST forms that answer 303 back, refusals said in words on the page and
 * changing nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { countRows } from '../../test/helpers/db.js';
import { postMultipart, type Part } from '../../test/helpers/multipart.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { buildArticle, buildAuthor, buildSection, createStory, publishStory } from '../../test/helpers/factories.js';
import { pageOf, type FormFields } from '../../test/helpers/http.js';

let t: TestApp;
const db = () => t.db.kysely;

let who: Record<'reader' | 'contributor' | 'contributor2' | 'editor' | 'admin', SignedIn>;
const story = {} as Record<'rains' | 'draft' | 'otherDraft' | 'scheduled' | 'legacy', number>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely } }) => {
      const world = await buildSection(kysely, { slug: 'world', name: 'World', position: 0 });
      await buildSection(kysely, { slug: 'africa', name: 'Africa', parentId: world.id });
      const politics = await buildSection(kysely, { slug: 'politics', name: 'Politics' });
      await buildAuthor(kysely, { slug: 'amara-diallo', name: 'Amara Diallo' });
      // On the site before the newsroom existed: no audit entry, no revision.
      story.legacy = (await buildArticle(kysely, { sectionId: politics.id, headline: 'Parliament sits late' })).id;
    },
  });
  const names = {
    reader: 'A Reader', contributor: 'Casey Contributor', contributor2: 'Robin Stringer', editor: 'Night Desk', admin: 'Site Admin',
  } as const;
  who = await buildStaff(db(), { reader: 'reader', contributor: 'contributor', contributor2: 'contributor', editor: 'editor', admin: 'admin' }, { displayName: (key) => names[key] });
  const markdown = 'The first paragraph.';
  story.rains = (await createStory(t, who.editor, { headline: 'Rains return to the Ondara valley', section: 'africa', authors: ['amara-diallo'], markdown })).id;
  await publishStory(t, who.editor, story.rains);
  story.draft = (await createStory(t, who.contributor, { headline: 'Water prices climb again', section: 'politics', markdown })).id;
  story.otherDraft = (await createStory(t, who.contributor2, { headline: 'A stringer files from the coast', section: 'world', markdown })).id;
  story.scheduled = (await createStory(t, who.editor, { headline: 'Budget vote tomorrow', section: 'politics', markdown })).id;
  const at = new Date(Date.now() + 24 * 3600_000).toISOString();
  await publishStory(t, who.editor, story.scheduled, at);
});

afterAll(async () => {
  await t?.close();
});

/** The story ids a list page shows, in order. */
function rowsOf(html: string): number[] {
  return [...html.matchAll(/<tr data-story-id="(\d+)"/g)].map((m) => Number(m[1]));
}

/** The HTML of one story's row. */
function rowOf(html: string, id: number): string {
  const m = new RegExp(`<tr data-story-id="${id}"[\\s\\S]*?</tr>`).exec(html);
  return m ? m[0] : '';
}

describe('the story list at /newsroom', () => {
  it('sends someone not signed in to sign in, and back', async () => {
    const res = await t.get('/newsroom?status=draft');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/signin?next=${encodeURIComponent('/newsroom?status=draft')}`);
  });

  it('refuses a reader', async () => {
    const res = await t.page('/newsroom', who.reader);
    expect(res.status).toBe(403);
    expect(res.html).toContain('staff');
    expect(res.html).not.toContain('Rains return');
  });

  it('lists every story for an editor, newest change first, never cached', async () => {
    const res = await t.page('/newsroom', who.editor);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const ids = rowsOf(res.html);
    expect(ids).toEqual(expect.arrayContaining([story.rains, story.draft, story.otherDraft, story.scheduled, story.legacy]));
    expect(ids[0]).toBe(story.scheduled);
    expect(res.html).toContain('href="/newsroom/stories/new"');
    expect(res.html).toContain(`href="/newsroom/stories/${story.rains}"`);
    expect(res.html).toContain('5 stories');
  });

  it('shows each row with its status, section, byline and scheduled time', async () => {
    const { html } = await t.page('/newsroom', who.editor);
    const rains = rowOf(html, story.rains);
    expect(rains).toContain('nr-badge--published');
    expect(rains).toContain('Africa');
    expect(rains).toContain('Amara Diallo');
    expect(rains).toMatch(/href="\/africa\/\d+-[a-z0-9-]+"/);
    const scheduled = rowOf(html, story.scheduled);
    expect(scheduled).toContain('nr-badge--scheduled');
    expect(scheduled).toMatch(/for <time datetime="[^"]+Z">/);
    expect(rowOf(html, story.draft)).toContain('nr-badge--draft');
  });

  it('names who changed each story last, and how', async () => {
    const { html } = await t.page('/newsroom', who.editor);
    const rains = rowOf(html, story.rains);
    expect(rains).toMatch(/Published by <strong class="nr-change__who">Night Desk<\/strong>/);
    expect(rains).toMatch(/<time datetime="[^"]+" title="[^"]+" data-relative>just now<\/time>/);
    expect(rowOf(html, story.scheduled)).toContain('Scheduled by <strong class="nr-change__who">Night Desk</strong>');
    expect(rowOf(html, story.draft)).toContain('Created by <strong class="nr-change__who">Casey Contributor</strong>');
    // No audit entry: the row's own last change.
    expect(rowOf(html, story.legacy)).toMatch(/Last changed<span aria-hidden="true"> · <\/span><time datetime="[^"]+"/);
  });

  it('filters by status', async () => {
    expect(rowsOf((await t.page('/newsroom?status=draft', who.editor)).html).sort()).toEqual([story.draft, story.otherDraft].sort());
    expect(rowsOf((await t.page('/newsroom?status=scheduled', who.editor)).html)).toEqual([story.scheduled]);
    expect(rowsOf((await t.page('/newsroom?status=published', who.editor)).html).sort()).toEqual([story.rains, story.legacy].sort());
    // "All" and an empty choice of the GET form mean every story.
    expect(rowsOf((await t.page('/newsroom?status=all&section=&author=&q=', who.editor)).html)).toHaveLength(5);
  });

  it('filters by section (with its subsections), byline and headline text', async () => {
    expect(rowsOf((await t.page('/newsroom?section=politics', who.editor)).html).sort()).toEqual([story.draft, story.scheduled, story.legacy].sort());
    expect(rowsOf((await t.page('/newsroom?section=world', who.editor)).html).sort()).toEqual([story.rains, story.otherDraft].sort());
    expect(rowsOf((await t.page('/newsroom?author=amara-diallo', who.editor)).html)).toEqual([story.rains]);
    expect(rowsOf((await t.page('/newsroom?q=WATER', who.editor)).html)).toEqual([story.draft]);
    expect(rowsOf((await t.page('/newsroom?q=valley&status=published', who.editor)).html)).toEqual([story.rains]);
  });

  it('keeps the filters in the form and says when nothing matches', async () => {
    const { html } = await t.page('/newsroom?q=no+such+headline&status=review', who.editor);
    expect(rowsOf(html)).toEqual([]);
    expect(html).toContain('No stories match these filters.');
    expect(html).toContain('value="no such headline"');
    expect(html).toMatch(/<option value="review" selected/);
  });

  it('refuses an unknown section with a page that says so', async () => {
    const res = await t.page('/newsroom?section=atlantis', who.editor);
    expect(res.status).toBe(400);
    expect(res.html).toContain('There is no section');
  });

  it('sorts by headline', async () => {
    const ids = rowsOf((await t.page('/newsroom?sort=headline&order=asc', who.editor)).html);
    expect(ids[0]).toBe(story.otherDraft); // "A stringer files…"
    expect(ids[ids.length - 1]).toBe(story.draft); // "Water prices…"
  });

  it('shows a contributor only their own stories, whatever they ask for', async () => {
    const { status, html } = await t.page('/newsroom', who.contributor);
    expect(status).toBe(200);
    expect(rowsOf(html)).toEqual([story.draft]);
    expect(rowsOf((await t.page('/newsroom?section=world', who.contributor)).html)).toEqual([]);
    expect((await t.page('/newsroom', who.contributor2)).html).not.toContain('Water prices climb again');
  });

  it("says what happened when the editor sends people back (its done codes), and nothing for other codes", async () => {
    const deleted = await t.page('/newsroom?done=deleted', who.editor);
    expect(deleted.status).toBe(200);
    expect(deleted.html).toMatch(/<p class="nr-alert nr-alert--notice" role="status">\s*Story deleted\.\s*<\/p>/);
    // The filter form and the page links do not carry the code on.
    expect(deleted.html).not.toContain('done=');

    for (const done of ['unknown', 'Deleted', '<b>hello</b>', 'constructor', '__proto__', 'saved']) {
      const res = await t.page(`/newsroom?done=${encodeURIComponent(done)}`, who.editor);
      expect(res.status).toBe(200);
      expect(res.html).not.toContain('nr-alert--notice');
      expect(res.html).not.toContain('Story deleted.');
      expect(res.html).not.toContain('hello');
    }
    expect((await t.page('/newsroom', who.editor)).html).not.toContain('nr-alert--notice');
  });

  it('pages through many stories without counting twice', async () => {
    const politics = await db().selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow();
    for (let i = 0; i < 26; i++) await buildArticle(db(), { sectionId: politics.id, headline: `Paging filler ${String(i).padStart(2, '0')}` });
    const first = await t.page('/newsroom?q=paging+filler&sort=headline&order=asc', who.editor);
    expect(rowsOf(first.html)).toHaveLength(25);
    expect(first.html).toContain('Page 1 of 2');
    expect(first.html).toContain('href="/newsroom?q=paging+filler&amp;sort=headline&amp;order=asc&amp;page=2"');
    const second = await t.page('/newsroom?q=paging+filler&sort=headline&order=asc&page=2', who.editor);
    expect(rowsOf(second.html)).toHaveLength(1);
    expect(second.html).toContain('Paging filler 25');
  });
});

// --- the media library ---------------------------------------------------------------

async function uploadByForm(as: SignedIn, parts: Part[], headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) {
  const res = await postMultipart(t, '/newsroom/media', parts, { cookie: as.cookie, ...headers });
  return { status: res.statusCode, html: res.body, location: res.headers.location as string | undefined };
}

function postForm(as: SignedIn, url: string, fields: FormFields, headers: Record<string, string> = { 'sec-fetch-site': 'same-origin' }) {
  return t.request('POST', url, { as, form: fields, headers }).then(pageOf);
}

const jpeg = (w = 800, h = 600) => sharp({ create: { width: w, height: h, channels: 3, background: '#2a6f4e' } }).jpeg().toBuffer();

async function mediaRows() {
  return db().selectFrom('media').selectAll().orderBy('id').execute();
}

function uploadedFiles(): string[] {
  const dir = path.join(t.dataDir, 'media', 'uploads');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => /\.(webp|jpg|png)$/.test(f));
}

/** The HTML of one image's card. */
function cardOf(html: string, id: number): string {
  const m = new RegExp(`<li class="nr-media__item[^"]*" id="media-${id}"[\\s\\S]*?</li>`).exec(html);
  return m ? m[0] : '';
}

describe('the media library at /newsroom/media', () => {
  let imageId = 0;

  it('sends someone not signed in to sign in, and refuses a reader', async () => {
    const anon = await t.get('/newsroom/media');
    expect(anon.status).toBe(302);
    expect(anon.headers.get('location')).toBe('/signin?next=%2Fnewsroom%2Fmedia');
    expect((await t.page('/newsroom/media', who.reader)).status).toBe(403);
  });

  it('starts empty, with the upload form', async () => {
    const { status, html } = await t.page('/newsroom/media', who.contributor);
    expect(status).toBe(200);
    expect(html).toContain('The library is empty.');
    expect(html).toMatch(/<form method="post" action="\/newsroom\/media" enctype="multipart\/form-data"/);
    expect(html).toContain('name="file"');
  });

  it('refuses a text file named .jpg, says why, and stores nothing', async () => {
    const before = uploadedFiles().length;
    const res = await uploadByForm(who.contributor, [{ name: 'file', value: 'this is not a picture at all', filename: 'holiday.jpg', type: 'image/jpeg' }, { name: 'alt', value: 'A beach' }]);
    expect(res.status).toBe(415);
    expect(res.html).toContain('role="alert"');
    expect(res.html).toContain('The image was not uploaded. Only JPEG, PNG, WebP and AVIF images can be uploaded; this file is none of those.');
    expect(await mediaRows()).toHaveLength(0);
    expect(uploadedFiles()).toHaveLength(before);
  });

  it('refuses a file over the size limit, says so, and stores nothing', async () => {
    const before = uploadedFiles().length;
    const big = Buffer.alloc(16 * 1024 * 1024, 0xff);
    const res = await uploadByForm(who.contributor, [{ name: 'file', value: big, filename: 'huge.jpg', type: 'image/jpeg' }]);
    expect(res.status).toBe(413);
    expect(res.html).toContain('The image was not uploaded. The file is larger than 15 MB, the most an upload may be.');
    expect(await mediaRows()).toHaveLength(0);
    expect(uploadedFiles()).toHaveLength(before);
  });

  it('asks for a file when none was chosen', async () => {
    const res = await uploadByForm(who.contributor, [{ name: 'file', value: Buffer.alloc(0), filename: '', type: 'application/octet-stream' }, { name: 'alt', value: '' }]);
    expect(res.status).toBe(400);
    expect(res.html).toContain('Choose an image file to upload.');
    expect(await mediaRows()).toHaveLength(0);
  });

  it('uploads an image by form and goes back to the library with a notice', async () => {
    const res = await uploadByForm(who.contributor, [{ name: 'file', value: await jpeg(), filename: 'valley.jpg', type: 'image/jpeg' }, { name: 'caption', value: 'The valley after the rains' }]);
    expect(res.status).toBe(303);
    const rows = await mediaRows();
    expect(rows).toHaveLength(1);
    imageId = rows[0]!.id;
    expect(rows[0]!.uploaded_by).toBe(who.contributor.id);
    expect(res.location).toBe(`/newsroom/media?done=uploaded_noalt-${imageId}#media-${imageId}`);
    const { html } = await t.page(res.location!.split('#')[0]!, who.contributor);
    expect(html).toContain(`Image ${imageId} uploaded. Write its alt text below`);
  });

  it('lists the image with its thumbnail, file, size, dimensions and uploader, and flags the missing alt text', async () => {
    const { html } = await t.page('/newsroom/media', who.editor);
    const card = cardOf(html, imageId);
    expect(card).toContain('nr-media__item--no-alt');
    expect(card).toMatch(/<img src="\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{24}-320-[0-9a-f]{8}\.webp"/);
    expect(card).toContain('Alt text needed before a story using it can be published');
    expect(card).toContain('800 × 600 pixels');
    expect(card).toMatch(/\d+ KB JPEG/);
    expect(card).toMatch(/href="\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{24}-800-[0-9a-f]{8}\.jpg"/);
    expect(card).toContain('by Casey Contributor');
    expect(card).toContain('The valley after the rains');
    // An editor may delete; the thumbnail's file is served.
    expect(card).toContain(`action="/newsroom/media/${imageId}/delete"`);
    const src = /<img src="([^"]+)"/.exec(card)![1]!;
    expect((await t.get(src)).status).toBe(200);
    // Only images without alt text, when asked.
    expect(cardOf((await t.page('/newsroom/media?missing=alt', who.editor)).html, imageId)).not.toBe('');
  });

  it('changes the alt text, caption and credit by form', async () => {
    const res = await postForm(who.contributor, `/newsroom/media/${imageId}`, {
      alt: 'Green fields under a grey sky in the Ondara valley', caption: 'After the rains', credit: 'Amara Diallo', page: '1',
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/newsroom/media?done=saved-${imageId}#media-${imageId}`);
    const row = (await mediaRows())[0]!;
    expect(row.alt).toBe('Green fields under a grey sky in the Ondara valley');
    expect(row.caption).toBe('After the rains');
    expect(row.credit).toBe('Amara Diallo');
    const card = cardOf((await t.page('/newsroom/media', who.contributor)).html, imageId);
    expect(card).not.toContain('Alt text needed');
    expect(card).toContain('Alt text:</span> Green fields under a grey sky in the Ondara valley');
    expect(cardOf((await t.page('/newsroom/media?missing=alt', who.editor)).html, imageId)).toBe('');
  });

  it('gives the alt text in the media list JSON (the editor\'s picker starts from it)', async () => {
    const res = await t.api<{ media: unknown[] }>('GET', '/api/admin/media', { as: who.editor });
    expect(res.status).toBe(200);
    expect(res.body?.media[0]).toMatchObject({ id: imageId, alt: 'Green fields under a grey sky in the Ondara valley', caption: 'After the rains' });
  });

  it("refuses a contributor changing someone else's image, and changes nothing", async () => {
    const card = cardOf((await t.page('/newsroom/media', who.contributor2)).html, imageId);
    expect(card).not.toContain(`action="/newsroom/media/${imageId}"`);
    const res = await postForm(who.contributor2, `/newsroom/media/${imageId}`, { alt: 'vandalised' });
    expect(res.status).toBe(403);
    expect(res.html).toContain('Contributors may only change images they uploaded.');
    expect((await mediaRows())[0]!.alt).toBe('Green fields under a grey sky in the Ondara valley');
  });

  it('refuses a contributor deleting an image, saying why', async () => {
    expect(cardOf((await t.page('/newsroom/media', who.contributor)).html, imageId)).not.toContain('/delete"');
    const res = await postForm(who.contributor, `/newsroom/media/${imageId}/delete`, {});
    expect(res.status).toBe(403);
    expect(res.html).toContain('Only editors and admins may delete images');
    expect(await mediaRows()).toHaveLength(1);
  });

  it('refuses cross-site posts before anything happens', async () => {
    const edit = await postForm(who.editor, `/newsroom/media/${imageId}`, { alt: 'from elsewhere' }, { 'sec-fetch-site': 'cross-site' });
    expect(edit.status).toBe(403);
    const del = await postForm(who.editor, `/newsroom/media/${imageId}/delete`, {}, { 'sec-fetch-site': 'cross-site' });
    expect(del.status).toBe(403);
    const up = await uploadByForm(who.editor, [{ name: 'file', value: await jpeg(320, 200), filename: 'x.jpg', type: 'image/jpeg' }], { 'sec-fetch-site': 'cross-site' });
    expect(up.status).toBe(403);
    const rows = await mediaRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.alt).toBe('Green fields under a grey sky in the Ondara valley');
  });

  it('deletes an image by form (editors), and says so when it is already gone', async () => {
    const res = await postForm(who.editor, `/newsroom/media/${imageId}/delete`, {});
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/newsroom/media?done=deleted-${imageId}`);
    expect(await mediaRows()).toHaveLength(0);
    expect(uploadedFiles()).toHaveLength(0);
    const again = await postForm(who.editor, `/newsroom/media/${imageId}/delete`, {});
    expect(again.status).toBe(404);
    expect(again.html).toContain(`Image ${imageId} was not deleted. There is no image ${imageId} in the media library.`);
  });

  it('pages the library', async () => {
    const data = await jpeg(400, 300);
    const rows = await mediaRows();
    expect(rows).toHaveLength(0);
    // The same bytes uploaded again make another row sharing the files: quick enough for 25 images.
    for (let i = 0; i < 25; i++) {
      const res = await uploadByForm(who.editor, [{ name: 'file', value: data, filename: 'same.jpg', type: 'image/jpeg' }, { name: 'alt', value: `Picture ${i}` }]);
      expect(res.status).toBe(303);
    }
    const first = await t.page('/newsroom/media', who.editor);
    expect(first.html.match(/<li class="nr-media__item/g)).toHaveLength(24);
    expect(first.html).toContain('Page 1 of 2');
    const second = await t.page('/newsroom/media?page=2', who.editor);
    expect(second.html.match(/<li class="nr-media__item/g)).toHaveLength(1);
    expect(second.html).toContain('Picture 0');
    expect(await countRows(db(), 'media')).toBe(25);
  });
});
