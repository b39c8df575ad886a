/**
 * What content keeps in memory (the section tree, the breaking strip) is
 * dropped in every process when a change is purged: two app processes share
 * one database and Redis; a change made through one shows on the other's pages.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildArticle, buildSection } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';
import { injectApi } from '../../test/helpers/http.js';

const REDIS_URL = process.env.REDIS_URL;

describe.skipIf(!REDIS_URL)('memoised chrome across processes (REDIS_URL)', () => {
  let t: TestDb;
  let apps: [App, App];
  let admin: SignedIn;
  let sectionId: number;
  let storyPath: string;
  const prefix = `test-article-pages-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    t = await createTestDb();
    sectionId = (await buildSection(t.db.kysely, { slug: 'africa', name: 'Africa' })).id;
    const story = await buildArticle(t.db.kysely, { sectionId, headline: 'Rains return to the valley' });
    storyPath = `/africa/${story.id}-${story.slug}`;
    ({ admin } = await buildStaff(t.db.kysely, { admin: 'admin' }));
    const config = loadConfig({ DISPATCH_DATA: t.dataDir, LOG_LEVEL: 'silent', REDIS_URL, REDIS_PREFIX: prefix });
    apps = [await buildApp({ config, db: t.db, logger: false }), await buildApp({ config, db: t.db, logger: false })];
  });
  afterAll(async () => {
    for (const app of apps ?? []) await app.close();
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await t?.destroy();
  });

  /** The other process's page, once the purge has reached it through Redis (within 2 s). */
  async function eventually(app: App, url: string, expected: string): Promise<string> {
    let body = '';
    for (let i = 0; i < 40; i++) {
      body = (await app.inject({ method: 'GET', url })).body;
      if (body.includes(expected)) return body;
      await new Promise((r) => setTimeout(r, 50));
    }
    return body;
  }

  it('a section renamed and a breaking strip set through one process show on the other', async () => {
    const [a, b] = apps;
    expect((await b.inject({ method: 'GET', url: storyPath })).body).toContain('>Africa<');
    expect((await injectApi(a, 'PATCH', `/api/admin/sections/${sectionId}`, { as: admin, body: { name: 'African news' } })).status).toBe(200);
    expect(await eventually(b, storyPath, 'African news')).toContain('African news');
    expect((await injectApi(a, 'PUT', '/api/admin/breaking', { as: admin, body: { text: 'Spillway opened after record inflow' } })).status).toBe(200);
    expect(await eventually(b, '/', 'Spillway opened after record inflow')).toContain('Spillway opened after record inflow');
    expect(await eventually(b, storyPath, 'Spillway opened after record inflow')).toContain('Spillway opened after record inflow');
  });
});
