import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildArticle, buildSection } from './helpers/factories.js';

let t: TestApp;
let id: number;
beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const s = await buildSection(db, { slug: 'economy', name: 'Economy' });
      id = (await buildArticle(db, { sectionId: s.id, headline: 'Prices steady in October' })).id;
    },
  });
});
afterAll(async () => t?.close());

describe('page cache', () => {
  it('serves from the cache until a content event purges the keys it touches', async () => {
    const path = `/economy/${id}-prices-steady-in-october`;
    const first = await (await t.get(path)).text();
    expect(first).toContain('Prices steady in October');

    await t.db.kysely.updateTable('articles').set({ standfirst: 'A quieter month for the shops.' }).where('id', '=', id).execute();
    expect(await (await t.get(path)).text()).not.toContain('A quieter month for the shops.'); // still the cached copy

    await t.app.deps.events.emit('article.updated', { articleId: id, keys: [`article:${id}`] });
    expect(await (await t.get(path)).text()).toContain('A quieter month for the shops.');
  });

  it('answers each page with a request id for the logs', async () => {
    const res = await t.get('/', { 'x-request-id': 'trace-123' });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect((await t.get('/')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
