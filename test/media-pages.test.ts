/**
 * Library images on the public pages: a story whose hero and body images
 * were chosen from the media library (stored, as the newsroom's editor
 * stores them, by the URL of one variant) is served with every variant in
 * `srcset`, a `sizes` for where the page shows it, and the image's real
 * width and height; other images are shown as they were, and feeds keep
 * their absolute URLs.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { postMultipart } from './helpers/multipart.js';
import { signedInUser, type SignedIn } from './helpers/accounts.js';
import { buildSection, createStory, publishStory, type StoryFields } from './helpers/factories.js';
import { mediaStore } from '../src/media/media.store.js';
import type { MediaJson } from '../src/media/media.schemas.js';

let t: TestApp;
let editor: SignedIn;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      await buildSection(db, { slug: 'africa', name: 'Africa' });
    },
  });
  editor = await signedInUser(t.db.kysely, { role: 'editor' });
});

afterAll(async () => {
  await t?.close();
});

async function uploadImage(width: number, height: number, background: string): Promise<MediaJson> {
  const data = await sharp({ create: { width, height, channels: 3, background } }).jpeg().toBuffer();
  const res = await postMultipart(t, '/api/admin/media', [
    { name: 'file', value: data, filename: 'photo.jpg', type: 'image/jpeg' },
    { name: 'alt', value: 'Library alt text, not the story\'s' },
  ], { cookie: editor.cookie });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ media: MediaJson }>().media;
}

/** A story in Africa, published by the editor: where it lives. */
async function publishedStory(fields: StoryFields): Promise<{ id: number; path: string }> {
  const story = await createStory(t, editor, { section: 'africa', ...fields });
  const published = await publishStory(t, editor, story.id);
  return { id: story.id, path: new URL(published.path, t.url).pathname };
}

async function html(path: string) {
  const res = await t.get(path);
  expect(res.status, path).toBe(200);
  return { body: await res.text(), etag: res.headers.get('etag') };
}

/** The attributes of every <img> of a page whose src is `src`. */
function imgsWith(page: string, src: string): Array<Record<string, string>> {
  const escaped = src.replace(/&/g, '&amp;');
  return [...page.matchAll(/<img\s([^>]*)>/g)]
    .map((m) => Object.fromEntries([...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])))
    .filter((attrs) => attrs.src === escaped);
}

const body = (...content: unknown[]) => ({ type: 'doc', content });
const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });

describe('library images on the public pages', () => {
  let hero: MediaJson;
  let inBody: MediaJson;
  let story: { id: number; path: string };
  const external = 'https://images.example.org/flood.jpg';

  beforeAll(async () => {
    hero = await uploadImage(2400, 1350, '#336699');
    inBody = await uploadImage(1000, 800, '#993366');
    story = await publishedStory({
      headline: 'Rains return to the Kesra Valley',
      // As the editor stores a library image: the URL of its default variant.
      hero: { url: hero.url, alt: 'The valley under cloud', caption: 'Kesra, Tuesday', credit: 'Staff' },
      body: body(
        paragraph('The first rain in a year fell on Tuesday.'),
        { type: 'image', attrs: { src: inBody.url, alt: 'A flooded field', caption: 'The fields', credit: null } },
        { type: 'image', attrs: { src: external, alt: 'Elsewhere' } },
        { type: 'image', attrs: { src: '/media/demo/fields.svg', alt: 'Demo art' } },
      ),
    });
  });

  it('serves the hero and body images with srcset, sizes, width and height; other images as they were', async () => {
    const page = (await html(story.path)).body;

    const [heroImg, ...moreHero] = imgsWith(page, hero.url);
    expect(moreHero).toEqual([]);
    expect(heroImg).toMatchObject({ alt: 'The valley under cloud', width: '2400', height: '1350', fetchpriority: 'high' });
    expect(heroImg!.sizes).toMatch(/rem|vw/);
    const heroWidths = heroImg!.srcset!.split(', ').map((c) => /^\S+ (\d+)w$/.exec(c)?.[1]);
    expect(heroWidths).toEqual(['320', '640', '960', '1280', '1920']);

    const [bodyImg] = imgsWith(page, inBody.url);
    expect(bodyImg).toMatchObject({ alt: 'A flooded field', width: '1000', height: '800', loading: 'lazy' });
    expect(bodyImg!.sizes).toMatch(/rem|vw/);
    expect(bodyImg!.srcset!.split(', ').map((c) => /^\S+ (\d+w)$/.exec(c)?.[1])).toEqual(['320w', '640w', '960w', '1000w']);

    // Every URL of the srcsets is a variant the library serves.
    const urls = [heroImg!, bodyImg!].flatMap((img) => img.srcset!.split(', ').map((c) => c.split(' ')[0]!));
    expect(urls).toHaveLength(9);
    for (const url of urls) {
      expect(url).toMatch(/^\/media\/uploads\//);
      const res = await t.get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(/^image\//);
    }

    for (const src of [external, '/media/demo/fields.svg']) {
      const [img] = imgsWith(page, src);
      expect(img, src).toBeDefined();
      expect(Object.keys(img!).sort()).toEqual(['alt', 'decoding', 'loading', 'src']);
    }
  });

  it('gives the same page, and ETag, to everyone', async () => {
    const first = await html(story.path);
    const second = await t.get(story.path, { cookie: editor.cookie });
    expect(second.headers.get('etag')).toBe(first.etag);
    expect(await second.text()).toBe(first.body);
  });

  it('shows the hero on story cards with a sizes for the card, in one media query per list', async () => {
    const other = await uploadImage(800, 450, '#669933');
    await publishedStory({ headline: 'A picture from elsewhere', hero: { url: external, alt: 'External' }, markdown: 'Words.' });
    // The newest story: the section page's lead.
    const lead = await publishedStory({ headline: 'Farmers count the cost', hero: { url: other.url, alt: 'A farmer' }, markdown: 'Words.' });
    const spy = vi.spyOn(mediaStore, 'byFileBases');
    try {
      const section = (await html('/africa')).body;
      expect(spy).toHaveBeenCalledTimes(1);
      expect(new Set(spy.mock.calls[0]![1])).toEqual(new Set([hero.url, other.url].map((u) => /\/([0-9a-f]{24})-/.exec(u)![1])));
      spy.mockClear();
      await html('/');
      expect(spy).toHaveBeenCalledTimes(1);
      spy.mockClear();
      // The article page: one for the story's own images, one for its related stories.
      await html(lead.path);
      expect(spy.mock.calls.length).toBeLessThanOrEqual(2);

      const [leadImg] = imgsWith(section, other.url);
      expect(leadImg).toMatchObject({ width: '800', height: '450', fetchpriority: 'high' });
      expect(leadImg!.srcset).toMatch(/ 320w, .* 800w$/);
      expect(leadImg!.sizes).toBeTruthy();
      const [card] = imgsWith(section, hero.url);
      expect(card).toMatchObject({ width: '2400', height: '1350', loading: 'lazy' });
      expect(card!.srcset).toContain(' 1920w');
      expect(card!.sizes).toBeTruthy();
      expect(card!.sizes).not.toBe(leadImg!.sizes);
      const [plain] = imgsWith(section, external);
      expect(plain).toMatchObject({ width: '1200', height: '675' });
      expect(plain!.srcset).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps feeds to absolute URLs', async () => {
    const res = await t.get('/feed.xml');
    expect(res.status).toBe(200);
    const xml = await res.text();
    expect(xml).toContain(`${t.url}${inBody.url}`);
    expect(xml).not.toMatch(/srcset/);
  });
});
