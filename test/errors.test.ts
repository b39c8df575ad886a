import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { buildSection } from './helpers/factories.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ seed: async ({ db: { kysely: db } }) => void (await buildSection(db, { slug: 'world', name: 'World' })) });
});
afterAll(async () => {
  await t?.app.close();
  // The database is already closed by the test; the rest of destroy() cleans the temp files.
  await t?.destroy().catch(() => {});
});

describe('when the database is gone', () => {
  it('answers pages with an error page in the site look, the API with JSON, and /readyz with 503', async () => {
    await t.db.close();
    const page = await t.get('/world');
    expect(page.status).toBe(500);
    const html = await page.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Something went wrong');
    expect(html).toMatch(/<main/);
    expect(html).not.toMatch(/Error:|at .*\.(ts|js):\d+|kysely|sqlite/i);
    expect(page.headers.get('cache-control')).toBe('no-store');

    const api = await t.get('/api/v1/sections');
    expect(api.status).toBe(500);
    expect(await api.json()).toEqual({ error: { code: 'internal_error', message: expect.any(String) } });

    expect((await t.get('/readyz')).status).toBe(503);
    expect((await t.get('/healthz')).status).toBe(200);
  });
});
