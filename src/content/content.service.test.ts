/**
 * Related stories under an article: those sharing the most tags first, then
 * the newest; stories of the section fill the rest; drafts, embargoed stories
 * and the story itself never appear. On both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildArticle, buildSection, buildTag } from '../../test/helpers/factories.js';
import { articleStore } from './article.store.js';

let t: TestDb;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

beforeAll(async () => {
  t = await createTestDb();
});

afterAll(async () => {
  await t?.destroy();
});

describe('related stories', () => {
  it('ranks by tags shared, then by recency, and fills from the section', async () => {
    const db = t.db.kysely;
    const africa = await buildSection(db, { slug: 'africa', name: 'Africa' });
    const asia = await buildSection(db, { slug: 'asia', name: 'Asia' });
    const [water, farming, weather] = [await buildTag(db, { slug: 'water' }), await buildTag(db, { slug: 'farming' }), await buildTag(db, { slug: 'weather' })];
    const story = await buildArticle(db, { sectionId: africa.id, headline: 'The story itself', tagIds: [water.id, farming.id, weather.id], publishedAt: hoursAgo(1) });
    const both = await buildArticle(db, { sectionId: asia.id, headline: 'Shares two tags, older', tagIds: [water.id, farming.id], publishedAt: hoursAgo(48) });
    const three = await buildArticle(db, { sectionId: asia.id, headline: 'Shares three tags, oldest', tagIds: [water.id, farming.id, weather.id], publishedAt: hoursAgo(90) });
    const oneNew = await buildArticle(db, { sectionId: asia.id, headline: 'Shares one tag, newest', tagIds: [weather.id], publishedAt: hoursAgo(2) });
    const oneOld = await buildArticle(db, { sectionId: asia.id, headline: 'Shares one tag, old', tagIds: [water.id], publishedAt: hoursAgo(30) });
    await buildArticle(db, { sectionId: asia.id, headline: 'A draft sharing every tag', tagIds: [water.id, farming.id, weather.id], status: 'draft', publishedAt: null });
    await buildArticle(db, { sectionId: asia.id, headline: 'Embargoed, sharing every tag', tagIds: [water.id, farming.id, weather.id], publishedAt: new Date(Date.now() + 3600_000) });
    const sectionMate = await buildArticle(db, { sectionId: africa.id, headline: 'Same section, no tags', publishedAt: hoursAgo(5) });

    const rows = await articleStore.related(db, story.id, [water.id, farming.id, weather.id], africa.id, new Date().toISOString(), 6);
    expect(rows.map((r) => r.id)).toEqual([three.id, both.id, oneNew.id, oneOld.id, sectionMate.id]);
  });
});
