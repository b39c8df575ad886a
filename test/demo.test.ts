import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from 'typebox';
import { startDemoApp, type TestApp } from './helpers/app.js';
import type { ArticleEnvelopeJson, ArticleListJson } from '../src/content/content.schemas.js';

let t: TestApp;
beforeAll(async () => {
  t = await startDemoApp();
});
afterAll(async () => t?.close());

describe('the demo edition', () => {
  it('has the breadth a real edition has', async () => {
    const { sections } = (await (await t.get('/api/v1/sections')).json()) as { sections: Array<{ slug: string; children: unknown[] }> };
    const all = sections.length + sections.reduce((n, s) => n + s.children.length, 0);
    expect(all).toBeGreaterThanOrEqual(6);
    expect(sections.some((s) => s.children.length > 0)).toBe(true);
    const { articles, pagination } = (await (await t.get('/api/v1/articles?limit=100')).json()) as Static<typeof ArticleListJson>;
    expect(pagination.total).toBeGreaterThanOrEqual(40);
    expect(new Set(articles.flatMap((a) => a.authors.map((x) => x.slug))).size).toBeGreaterThanOrEqual(3);
    expect(articles.filter((a) => a.creditLine === 'Staff, Agencies').length).toBeGreaterThan(0);
    const ages = articles.map((a) => Date.now() - Date.parse(a.publishedAt));
    expect(Math.min(...ages)).toBeLessThan(24 * 3600_000);
    expect(Math.max(...ages)).toBeLessThanOrEqual(61 * 24 * 3600_000);
    const tags = new Set<string>();
    for (const a of articles.slice(0, 100)) {
      const full = (await (await t.get(`/api/v1/articles/${a.id}`)).json()) as Static<typeof ArticleEnvelopeJson>;
      for (const tag of full.article.tags) tags.add(`${tag.slug}:${tag.specialCoverage}`);
    }
    expect(tags.size).toBeGreaterThanOrEqual(12);
    expect([...tags].filter((x) => x.endsWith(':true')).length).toBe(2);
  });

  it('runs one live story under the Wadi Sarn talks, and that hub leads with the agreement', async () => {
    const html = await (await t.get('/tag/sarn-talks')).text();
    const hub = html.slice(html.indexOf('<div class="hub">'));
    expect(hub).toContain('class="hub__live"');
    expect(hub).toContain('The Wadi Sarn talks: the final day as it happens');
    expect(hub).not.toMatch(/live-marker">Live<\/span> <a[^>]*>Live/); // the marker says it once
    expect(hub).toContain('Deal to reopen the crossing within 30 days');
    const leadAt = hub.indexOf('class="hub__lead"');
    expect(hub.slice(leadAt, hub.indexOf('</section>', leadAt))).toContain('Qasrin and Almadar agree to reopen the Wadi Sarn crossing within 30 days');
    const path = /<a href="(\/middle-east\/\d+-live-the-sarn-talks-final-day)"/.exec(hub)![1]!;
    const live = await (await t.get(path)).text();
    const posts = [...live.matchAll(/id="post-(\d+)"/g)].map((m) => m[1]);
    expect(new Set(posts).size).toBe(10);
    // The pinned summary comes first, above the newest-first stream.
    expect(live.indexOf('Sarn Hauliers')).toBeGreaterThan(0);
    expect(live.indexOf('What we know:')).toBeLessThan(live.indexOf('Sarn Hauliers'));
  });

  it('links only to pages and pictures that exist, from every page type', async () => {
    const seen = new Map<string, number>();
    const queue = ['/'];
    const pageTypes = new Set<string>();
    while (queue.length && seen.size < 400) {
      const path = queue.shift()!;
      if (seen.has(path)) continue;
      const res = await t.get(path);
      seen.set(path, res.status);
      if (!res.headers.get('content-type')?.includes('text/html')) {
        await res.body?.cancel();
        continue;
      }
      const html = await res.text();
      if (/^\/tag\//.test(path)) pageTypes.add('tag');
      else if (/^\/author\//.test(path)) pageTypes.add('author');
      else if (/^\/[a-z-]+\/\d+-/.test(path)) pageTypes.add('article');
      else if (/^\/[a-z-]+$/.test(path)) pageTypes.add('section');
      for (const m of html.matchAll(/(?:href|src)="(\/[^"#]*)"/g)) {
        const link = m[1]!.replace(/&amp;/g, '&');
        if (!seen.has(link) && !link.startsWith('/favorites/')) queue.push(link);
      }
    }
    const broken = [...seen].filter(([, status]) => status !== 200);
    expect(broken).toEqual([]);
    expect([...pageTypes].sort()).toEqual(['article', 'author', 'section', 'tag']);
    const pictures = [...seen.keys()].filter((p) => p.startsWith('/media/'));
    expect(pictures.length).toBeGreaterThan(10);
    const svg = await t.get(pictures[0]!);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
