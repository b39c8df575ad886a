/**
 * Live coverage end to end, through the admin API and the reader's pages:
 * posts append (newest first, each with its permalink), pin, edit (shown as
 * edited) and delete (no trace for readers); key events make the timeline;
 * the page is paginated without JavaScript and carries LiveBlogPosting
 * JSON-LD; the updates endpoint is cacheable, answers 304 while nothing
 * changed, is purged on every post and renders once for many readers;
 * fronts mark live stories; ending the coverage closes the stream.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection, buildTag, createStory, publishStory, type Story } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import type { ApiError } from '../../test/helpers/api-types.js';
import type { LiveCoverageEnvelope, LiveDeskJson, LivePostEnvelope } from '../newsroom/live.schemas.js';
import { liveRenders, type LiveUpdatesJson } from './live.routes.js';

let t: TestApp;
let staff: Record<'contributor' | 'editor' | 'reader', SignedIn>;

type Posted = Static<typeof LivePostEnvelope>;
type Updates = Static<typeof LiveUpdatesJson>;

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      await buildSection(db, { slug: 'africa', name: 'Africa' });
    },
  });
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor', reader: 'reader' }, { displayName: (k) => `Ada ${k}` });
});
afterAll(async () => t?.close());

async function liveStory(headline: string): Promise<Story> {
  const story = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline })).id);
  const started = await t.api<Static<typeof LiveCoverageEnvelope>>('POST', `/api/admin/articles/${story.id}/live/start`, { as: staff.editor });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return story;
}

const post = (id: number, body: Record<string, unknown>, as: SignedIn = staff.editor) =>
  t.api<Posted>('POST', `/api/admin/articles/${id}/live/posts`, { as, body });

async function postText(id: number, text: string, extra: Record<string, unknown> = {}): Promise<Posted['post']> {
  const r = await post(id, { body: text, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body!.post;
}

function jsonLd(html: string): Array<Record<string, unknown>> {
  return [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
}

/** The post ids of the stream on a page, in page order (the pinned post sits above, apart). */
function streamIds(html: string): number[] {
  const stream = html.slice(html.indexOf('class="live-stream"'));
  return [...stream.matchAll(/<article class="live-post[^"]*" id="post-(\d+)"/g)].map((m) => Number(m[1]));
}

describe('live posts', () => {
  it('append newest first, each with its author, time and permalink, and carry LiveBlogPosting JSON-LD', async () => {
    const story = await liveStory('Summit opens in Sefa');
    const first = await postText(story.id, 'Delegations are **arriving** at the hall.');
    const quote = (await post(story.id, { kind: 'quote', body: 'We came to agree.', attribution: 'The chair' })).body!.post;
    const image = (await post(story.id, { kind: 'image', imageUrl: '/media/hall.jpg', imageAlt: 'The hall, full', body: 'Inside the hall' })).body!.post;

    const page = await t.page(story.path);
    expect(page.status).toBe(200);
    expect(streamIds(page.html)).toEqual([image.id, quote.id, first.id]);
    expect(page.html).toContain(`href="#post-${first.id}"`);
    expect(page.html).toContain('Delegations are <strong>arriving</strong> at the hall.');
    expect(page.html).toContain('— The chair');
    expect(page.html).toContain('alt="The hall, full"');
    expect(page.html).toContain('Ada editor');
    expect(page.html).toContain(`<time datetime="${first.createdAt}"`);

    const ld = jsonLd(page.html).find((b) => b['@type'] === 'LiveBlogPosting')!;
    expect(ld).toBeTruthy();
    expect(ld.coverageStartTime).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(ld.coverageEndTime).toBeUndefined();
    const updates = ld.liveBlogUpdate as Array<Record<string, unknown>>;
    expect(updates.map((u) => u.url)).toEqual([image, quote, first].map((p) => `${t.url}${story.path}#post-${p.id}`));
    expect(updates[2]!.articleBody).toBe('Delegations are arriving at the hall.');
  });

  it('pins one post on top, edits show as edited, and a deleted post leaves no trace', async () => {
    const story = await liveStory('Talks resume');
    const a = await postText(story.id, 'Opening statements begin.');
    const b = await postText(story.id, 'A walkout by two delegations.');
    const c = await postText(story.id, 'The walkout ends.');

    const pinned = await t.api<Posted>('PUT', `/api/admin/articles/${story.id}/live/posts/${a.id}/pin`, { as: staff.editor, body: { pinned: true } });
    expect(pinned.body!.post.pinned).toBe(true);
    let html = (await t.page(story.path)).html;
    const top = html.slice(html.indexOf('data-live-top'), html.indexOf('class="live-stream"'));
    expect(top).toContain('Opening statements begin.');
    expect(top).toContain('Pinned');
    expect(streamIds(html)).toEqual([c.id, b.id]);

    // Pinning another unpins the first, which goes back to its place in the stream.
    await t.api('PUT', `/api/admin/articles/${story.id}/live/posts/${c.id}/pin`, { as: staff.editor, body: { pinned: true } });
    html = (await t.page(story.path)).html;
    expect(streamIds(html)).toEqual([b.id, a.id]);
    expect((await t.api<Static<typeof LiveDeskJson>>('GET', `/api/admin/articles/${story.id}/live`, { as: staff.editor })).body!.posts.filter((p) => p.pinned).map((p) => p.id)).toEqual([c.id]);

    const edited = await t.api<Posted>('PATCH', `/api/admin/articles/${story.id}/live/posts/${b.id}`, { as: staff.editor, body: { body: 'A walkout by three delegations.' } });
    expect(edited.status).toBe(200);
    expect(edited.body!.post.editedAt).not.toBeNull();
    html = (await t.page(story.path)).html;
    expect(html).toContain('A walkout by three delegations.');
    expect(html).not.toContain('A walkout by two delegations.');
    expect(html).toContain('(edited)');

    const deleted = await t.api('DELETE', `/api/admin/articles/${story.id}/live/posts/${b.id}`, { as: staff.editor });
    expect(deleted.status).toBe(204);
    html = (await t.page(story.path)).html;
    expect(html).not.toContain('walkout by three');
    expect(html).not.toContain(`post-${b.id}`);
    const updates = await t.get(`/api/v1/articles/${story.id}/live`);
    const body = (await updates.json()) as Updates;
    expect(body.posts.map((p) => p.id)).toEqual([a.id]);
    expect(JSON.stringify(body)).not.toContain('walkout by three');
    // Gone for the newsroom's API too; a second delete is a 404.
    expect((await t.api('DELETE', `/api/admin/articles/${story.id}/live/posts/${b.id}`, { as: staff.editor })).status).toBe(404);
  });

  it('shows key events as a timeline linking to each post', async () => {
    const story = await liveStory('Vote count');
    const p = await postText(story.id, 'Polls have closed across the country.', { keyEvent: 'Polls close' });
    const q = await postText(story.id, 'First results from the capital.');
    const marked = await t.api<Posted>('PUT', `/api/admin/articles/${story.id}/live/posts/${q.id}/key-event`, { as: staff.editor, body: { title: 'First results' } });
    expect(marked.body!.post.keyEvent).toEqual({ title: 'First results' });
    const html = (await t.page(story.path)).html;
    const timeline = html.slice(html.indexOf('class="live-timeline"'), html.indexOf('</nav>', html.indexOf('class="live-timeline"')));
    expect(timeline).toContain(`<a href="#post-${q.id}">First results</a>`);
    expect(timeline.indexOf('First results')).toBeLessThan(timeline.indexOf('Polls close'));
    expect(timeline).toContain(`<a href="#post-${p.id}">Polls close</a>`);

    await t.api('PUT', `/api/admin/articles/${story.id}/live/posts/${p.id}/key-event`, { as: staff.editor, body: { title: null } });
    expect((await t.page(story.path)).html).not.toContain('Polls close');
  });

  it('is complete without JavaScript: older posts are on pages of their own (?before=<post id>)', async () => {
    const story = await liveStory('Long day');
    const ids: number[] = [];
    for (let i = 1; i <= 23; i++) ids.push((await postText(story.id, `Update number ${i}.`)).id);
    const first = (await t.page(story.path)).html;
    expect(streamIds(first)).toEqual(ids.slice(3).reverse());
    const older = /href="([^"]*\?before=(\d+))">Older updates/.exec(first)!;
    expect(Number(older[2])).toBe(ids[3]);
    const second = (await t.page(older[1]!.replace(/&amp;/g, '&'))).html;
    expect(streamIds(second)).toEqual(ids.slice(0, 3).reverse());
    expect(second).not.toContain('Older updates');
    expect(second).toContain('Latest updates');
    // A post on an older page links to that page.
    expect(second).toContain(`href="${story.path}?before=${ids[2]! + 1}#post-${ids[2]}"`);
    // The older page does not follow new posts; the first page does.
    expect(second).not.toContain('data-live-updates');
    expect(first).toContain(`data-live-updates="/api/v1/articles/${story.id}/live"`);
    expect((await t.page(`${story.path}?before=${ids[0]}`)).status).toBe(404);
  });

  it('ends: the page says so, the JSON-LD has the end time, and the stream takes no more posts', async () => {
    const story = await liveStory('Storm passes');
    await postText(story.id, 'Winds are easing.');
    const ended = await t.api<Static<typeof LiveCoverageEnvelope>>('POST', `/api/admin/articles/${story.id}/live/end`, { as: staff.editor });
    expect(ended.status).toBe(200);
    expect(ended.body!.coverage.endedAt).not.toBeNull();
    const html = (await t.page(story.path)).html;
    expect(html).toContain('Live coverage ended');
    expect(html).toContain('Winds are easing.');
    expect(html).not.toContain('data-live-updates');
    const ld = jsonLd(html).find((b) => b['@type'] === 'LiveBlogPosting')!;
    expect(ld.coverageEndTime).toBe(ended.body!.coverage.endedAt);
    const refused = await post(story.id, { body: 'One more.' });
    expect(refused.status).toBe(409);
    expect((refused.body as unknown as ApiError).error.code).toBe('conflict');
  });

  it('marks running live stories "Live" on the home page, section fronts and in feeds, and not once ended', async () => {
    const story = await liveStory('Election night');
    const marker = new RegExp(`live-marker--card">Live</span><h\\d class="story-card__headline"><a href="${story.path}"`);
    expect((await t.page('/')).html).toMatch(marker);
    expect((await t.page('/africa')).html).toMatch(marker);
    // In the feeds too: the story, with a "Live" category while its coverage runs.
    const item = (xml: string) => xml.slice(xml.indexOf(`<link>${t.url}${story.path}</link>`) - 200, xml.indexOf('</item>', xml.indexOf(`<link>${t.url}${story.path}</link>`)));
    let rss = await (await t.get('/feed.xml')).text();
    expect(rss).toContain(`<link>${t.url}${story.path}</link>`);
    expect(item(rss)).toContain('<category domain="' + t.url + story.path + '">Live</category>');
    await t.api('POST', `/api/admin/articles/${story.id}/live/end`, { as: staff.editor });
    expect((await t.page('/')).html).not.toMatch(marker);
    rss = await (await t.get('/feed.xml')).text();
    expect(item(rss)).not.toContain('>Live</category>');
  });

  it('stores an embed as a link card through the safe fetcher, which will not reach a private address', async () => {
    let fetched = 0;
    const local = http.createServer((_req, res) => {
      fetched++;
      res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Secret admin panel</title>');
    });
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    try {
      const story = await liveStory('Embeds');
      const url = `http://127.0.0.1:${(local.address() as { port: number }).port}/panel`;
      const r = await post(story.id, { kind: 'embed', url, body: 'Seen on the wire.' });
      expect(r.status).toBe(201);
      expect(fetched).toBe(0);
      expect(r.body!.post.embed).toEqual({ url, title: '127.0.0.1', description: null, site: '127.0.0.1' });
      const html = (await t.page(story.path)).html;
      expect(html).toContain(`class="live-post__card" href="${url}" rel="noopener nofollow ugc"`);
      expect(html).not.toContain('Secret admin panel');
      expect((await post(story.id, { kind: 'embed', url: 'javascript:alert(1)' })).status).toBe(400);
    } finally {
      local.close();
    }
  });

  it('refuses bad input with a clear answer and changes nothing', async () => {
    const story = await liveStory('Checks');
    expect((await post(story.id, { kind: 'image', imageUrl: '/media/a.jpg' })).status).toBe(400);
    expect((await post(story.id, { kind: 'image', imageUrl: 'javascript:alert(1)', imageAlt: 'x' })).status).toBe(400);
    expect((await post(story.id, { kind: 'video', body: 'x' })).status).toBe(400);
    expect((await post(story.id, { body: '   ' })).status).toBe(400);
    expect((await post(story.id, { body: 'x', extra: 1 })).status).toBe(400);
    expect((await post(999999, { body: 'x' })).status).toBe(404);
    // Raw HTML is not carried over (the body is Markdown, rendered like a story's).
    expect((await post(story.id, { body: '<script>alert(1)</script>' })).status).toBe(400);
    const raw = await post(story.id, { body: 'An <img src=x onerror=alert(1)> attempt [link](javascript:alert(1))' });
    expect(raw.status, JSON.stringify(raw.body)).toBe(201);
    expect(raw.body!.post.html).not.toMatch(/<img|onerror|javascript:/);
    const desk = await t.api<Static<typeof LiveDeskJson>>('GET', `/api/admin/articles/${story.id}/live`, { as: staff.editor });
    expect(desk.body!.posts).toHaveLength(1);
    // A story that is not live takes no posts.
    const plain = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline: 'Not live' })).id);
    expect((await post(plain.id, { body: 'x' })).status).toBe(409);
    expect((await t.get(`/api/v1/articles/${plain.id}/live`)).status).toBe(404);
  });

  it('is for editors and admins only', async () => {
    const story = await liveStory('Who may post');
    expect((await post(story.id, { body: 'x' }, staff.contributor)).status).toBe(403);
    expect((await post(story.id, { body: 'x' }, staff.reader)).status).toBe(403);
    expect((await t.api('POST', `/api/admin/articles/${story.id}/live/posts`, { body: { body: 'x' } })).status).toBe(401);
    expect((await t.api('POST', `/api/admin/articles/${story.id}/live/end`, { as: staff.contributor })).status).toBe(403);
  });
});

describe('the updates endpoint', () => {
  it('carries ETag and a short s-maxage, answers 304 while nothing changed, and is purged by each post', async () => {
    const story = await liveStory('Polling');
    const a = await postText(story.id, 'First.');
    const url = `/api/v1/articles/${story.id}/live`;
    const res = await t.get(url);
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(res.headers.get('cache-control')).toMatch(/public, .*s-maxage=5\b/);
    expect(res.headers.get('surrogate-key')).toContain(`live:${story.id}`);
    const body = (await res.json()) as Updates;
    expect(body.posts.map((p) => p.id)).toEqual([a.id]);
    expect(body.posts[0]!.html).toContain(`id="post-${a.id}"`);
    expect(body.ended).toBe(false);

    const same = await t.get(url, { 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(await same.text()).toBe('');

    const b = await postText(story.id, 'Second.');
    const changed = await t.get(url, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as Updates).posts.map((p) => p.id)).toEqual([b.id, a.id]);
  });

  it('renders once per change however many readers ask at once', async () => {
    const story = await liveStory('Many readers');
    await postText(story.id, 'Before the crowd.');
    const url = `/api/v1/articles/${story.id}/live`;
    await t.get(url);
    const before = liveRenders.updates;
    const answers = await Promise.all(Array.from({ length: 50 }, () => t.get(url)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(liveRenders.updates - before).toBe(0);
    await postText(story.id, 'The crowd arrives.');
    const after = await Promise.all(Array.from({ length: 50 }, () => t.get(url)));
    const bodies = await Promise.all(after.map((r) => r.json() as Promise<Updates>));
    expect(bodies.every((b) => b.posts.length === 2)).toBe(true);
    expect(liveRenders.updates - before).toBe(1);
  });
});

describe('special-coverage hubs', () => {
  it('lead with the editors\' choice, show the live story under the tag with its key events, then the latest pieces', async () => {
    await buildTag(t.db.kysely, { slug: 'sefa-summit', name: 'Sefa summit', specialCoverage: true });
    await buildTag(t.db.kysely, { slug: 'weather', name: 'Weather' });
    const background = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline: 'What is at stake in Sefa', tags: ['sefa-summit'] })).id);
    const other = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline: 'Delegates arrive in Sefa', tags: ['sefa-summit'] })).id);
    const untagged = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline: 'Elsewhere' })).id);
    const live = await publishStory(t, staff.editor, (await createStory(t, staff.editor, { headline: 'Sefa summit: live', tags: ['sefa-summit'] })).id);

    // Before anything is arranged: a plain list, no live block.
    let html = (await t.page('/tag/sefa-summit')).html;
    expect(html).not.toContain('class="hub__live"');

    const setLead = (slug: string, leadArticleId: number | null, as: SignedIn = staff.editor) => t.api('PUT', `/api/admin/tags/${slug}/hub`, { as, body: { leadArticleId } });
    expect((await setLead('sefa-summit', background.id)).status).toBe(200);
    expect((await setLead('sefa-summit', untagged.id)).status).toBe(409);
    expect((await setLead('weather', background.id)).status).toBe(409);
    expect((await setLead('nowhere', background.id)).status).toBe(404);
    expect((await setLead('sefa-summit', background.id, staff.contributor)).status).toBe(403);

    await t.api('POST', `/api/admin/articles/${live.id}/live/start`, { as: staff.editor });
    const key = await postText(live.id, 'The leaders have signed.', { keyEvent: 'Accord signed' });
    html = (await t.page('/tag/sefa-summit')).html;
    const hub = html.slice(html.indexOf('<div class="hub">'));
    expect(hub.indexOf('class="hub__live"')).toBeGreaterThanOrEqual(0);
    expect(hub).toContain(`<a href="${live.path}">Sefa summit: live</a>`);
    expect(hub).toContain(`<a href="${live.path}#post-${key.id}">Accord signed</a>`);
    const leadAt = hub.indexOf('class="hub__lead"');
    expect(hub.slice(leadAt, hub.indexOf('</section>', leadAt))).toContain('What is at stake in Sefa');
    // The latest pieces follow, without the lead again.
    const latest = hub.slice(hub.indexOf('>Latest</h2>'));
    expect(latest).toContain('Delegates arrive in Sefa');
    expect(latest).not.toContain('What is at stake in Sefa');
    expect(latest).toMatch(new RegExp(`live-marker--card">Live</span><h2 class="story-card__headline"><a href="${live.path}"`));
    expect(other.id).toBeGreaterThan(0);

    // A new key event reaches the hub at once (the hub carries the live story's key).
    await postText(live.id, 'The press conference begins.', { keyEvent: 'Press conference' });
    expect((await t.page('/tag/sefa-summit')).html).toContain('Press conference');
    // Once the coverage ends the hub no longer shows a live story.
    await t.api('POST', `/api/admin/articles/${live.id}/live/end`, { as: staff.editor });
    expect((await t.page('/tag/sefa-summit')).html).not.toContain('class="hub__live"');
    // No lead chosen: the hub's top has no lead.
    expect((await setLead('sefa-summit', null)).status).toBe(200);
    expect((await t.page('/tag/sefa-summit')).html).not.toContain('class="hub__lead"');
  });
});
