import { describe, expect, it } from 'vitest';
import { PageCache, etagOf, type CachedPage } from './page-cache.js';

const page = (body: string, keys: string[], status = 200): CachedPage => ({ status, contentType: 'text/html', body, etag: etagOf(body), keys, sMaxAge: 60 });

describe('PageCache', () => {
  it('renders once for concurrent misses of one URL', async () => {
    const cache = new PageCache();
    let renders = 0;
    const render = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 20));
      return page('home', ['home']);
    };
    const results = await Promise.all(Array.from({ length: 10 }, () => cache.getOrRender('/', render)));
    expect(renders).toBe(1);
    expect(new Set(results.map((r) => r.body))).toEqual(new Set(['home']));
    await cache.getOrRender('/', render);
    expect(renders).toBe(1);
  });

  it('keeps within its memory budget: the least recently used pages go first', async () => {
    const cache = new PageCache({ maxBytes: 3 * 3 * 1000 });
    const big = (n: number) => page('x'.repeat(1000) + n, [`article:${n}`]);
    for (let n = 1; n <= 4; n++) await cache.getOrRender(`/${n}`, async () => big(n));
    let rendered = 0;
    await cache.getOrRender('/4', async () => (rendered++, big(4)));
    expect(rendered).toBe(0);
    await cache.getOrRender('/1', async () => (rendered++, big(1)));
    expect(rendered).toBe(1);
  });

  it('purges exactly the entries carrying a key', async () => {
    const cache = new PageCache();
    await cache.getOrRender('/a', async () => page('a', ['article:1', 'section:africa']));
    await cache.getOrRender('/b', async () => page('b', ['article:2', 'section:asia']));
    expect(cache.purgeLocal(['section:africa'])).toBe(1);
    let rendered = false;
    await cache.getOrRender('/a', async () => ((rendered = true), page('a2', ['article:1'])));
    expect(rendered).toBe(true);
    rendered = false;
    await cache.getOrRender('/b', async () => ((rendered = true), page('b2', [])));
    expect(rendered).toBe(false);
  });

  it('does not keep errors or a render that a purge overtook', async () => {
    const cache = new PageCache();
    await cache.getOrRender('/gone', async () => page('missing', [], 404));
    expect(cache.size).toBe(0);
    let release!: () => void;
    const slow = cache.getOrRender('/slow', () => new Promise<CachedPage>((r) => (release = () => r(page('old', ['home'])))));
    cache.purgeLocal(['home']);
    release();
    await slow;
    expect(cache.size).toBe(0);
  });

  it('gives equal bodies equal ETags and different bodies different ones', () => {
    expect(etagOf('x')).toBe(etagOf('x'));
    expect(etagOf('x')).not.toBe(etagOf('y'));
    expect(etagOf('x')).toMatch(/^"[\w-]+"$/);
  });
});

describe('stale-while-revalidate', () => {
  it('serves a stale copy at once and renders its replacement in the background', async () => {
    const cache = new PageCache({ ttlMs: 20, staleMs: 10_000 });
    let n = 0;
    const render = async () => page(`v${++n}`, ['home']);
    expect((await cache.getOrRender('/', render)).body).toBe('v1');
    await new Promise((r) => setTimeout(r, 30));
    expect((await cache.getOrRender('/', render)).body).toBe('v1'); // stale, served at once
    await new Promise((r) => setTimeout(r, 5));
    expect((await cache.getOrRender('/', render)).body).toBe('v2'); // the background render landed
  });
});
