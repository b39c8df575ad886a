import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../../test/helpers/factories.js';
import type { Static } from 'typebox';
import type { ApiError, OpenApiDoc } from '../../test/helpers/api-types.js';
import type { ArticleEnvelopeJson, ArticleListJson, AuthorEnvelopeJson, SectionsJson, TagEnvelopeJson } from './content.schemas.js';

type ArticleList = Static<typeof ArticleListJson>;

let t: TestApp;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id });
      const economy = await buildSection(db, { slug: 'economy', name: 'Economy' });
      const writer = await buildAuthor(db, { slug: 'lin-wei', name: 'Lin Wei' });
      const rates = await buildTag(db, { slug: 'rates', name: 'Interest rates' });
      ids.one = (await buildArticle(db, { sectionId: africa.id, headline: 'Harbour reopens', creditLine: 'Agencies', publishedAt: new Date(Date.now() - 60_000) })).id;
      ids.two = (await buildArticle(db, { sectionId: economy.id, headline: 'Bank holds rates', authorIds: [writer.id], tagIds: [rates.id], publishedAt: new Date(Date.now() - 120_000) })).id;
      ids.draft = (await buildArticle(db, { sectionId: economy.id, headline: 'Draft', status: 'draft', publishedAt: null })).id;
      for (let i = 0; i < 25; i++) await buildArticle(db, { sectionId: economy.id, headline: `Markets note ${i}`, publishedAt: new Date(Date.now() - (10 + i) * 3600_000) });
    },
  });
});
afterAll(async () => t?.close());

/** GET a path and read the JSON, typed as the answer the test expects (`unknown` when it only looks at the status). */
const json = async <T = unknown>(path: string) => {
  const res = await t.get(path);
  return { res, body: (await res.json()) as T };
};

describe('GET /api/v1/articles', () => {
  it('lists published stories newest first with canonical absolute URLs', async () => {
    const { res, body } = await json<ArticleList>('/api/v1/articles');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(body.pagination).toEqual({ page: 1, limit: 20, total: 27, totalPages: 2 });
    expect(body.articles).toHaveLength(20);
    const [first, second] = body.articles;
    if (!first) throw new Error('no articles');
    expect(first).toMatchObject({ id: ids.one, headline: 'Harbour reopens', url: `${t.url}/africa/${ids.one}-harbour-reopens`, byline: 'By Agencies', creditLine: 'Agencies' });
    expect(first.section).toMatchObject({ slug: 'africa', name: 'Africa', url: `${t.url}/africa`, parent: { slug: 'world', name: 'World', url: `${t.url}/world` } });
    expect(second).toMatchObject({ id: ids.two, byline: 'By Lin Wei', authors: [{ slug: 'lin-wei', name: 'Lin Wei', url: `${t.url}/author/lin-wei` }] });
    expect(body.articles.every((a) => a.url.startsWith(`${t.url}/`))).toBe(true);
    expect(body.articles.map((a) => a.id)).not.toContain(ids.draft);
    const canonical = await t.get(new URL(first.url).pathname);
    expect(canonical.status).toBe(200);
  });

  it('filters by section (with subsections), tag and author, and paginates', async () => {
    expect((await json<ArticleList>('/api/v1/articles?section=world')).body.articles.map((a) => a.id)).toEqual([ids.one]);
    expect((await json<ArticleList>('/api/v1/articles?tag=rates')).body.articles.map((a) => a.id)).toEqual([ids.two]);
    expect((await json<ArticleList>('/api/v1/articles?author=lin-wei')).body.articles.map((a) => a.id)).toEqual([ids.two]);
    const { body } = await json<ArticleList>('/api/v1/articles?section=economy&page=2&limit=10');
    expect(body.pagination).toEqual({ page: 2, limit: 10, total: 26, totalPages: 3 });
    expect(body.articles).toHaveLength(10);
    expect((await json<ArticleList>('/api/v1/articles?limit=100')).body.articles).toHaveLength(27);
  });

  it.each([
    ['limit over 100', '/api/v1/articles?limit=101'],
    ['limit zero', '/api/v1/articles?limit=0'],
    ['page not a number', '/api/v1/articles?page=two'],
    ['bad slug', '/api/v1/articles?section=Not%20A%20Slug'],
  ])('answers 400 with a JSON error for %s', async (_name, path) => {
    const { res, body } = await json(path);
    expect(res.status).toBe(400);
    expect(body).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });
  });

  it('answers 404 naming an unknown filter', async () => {
    const { res, body } = await json<ApiError>('/api/v1/articles?section=mars');
    expect(res.status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: 'No section "mars"' });
    expect((await json('/api/v1/articles?tag=nope')).res.status).toBe(404);
    expect((await json('/api/v1/articles?author=nobody')).res.status).toBe(404);
  });
});

describe('GET /api/v1/articles/{id}', () => {
  it('returns one story with its body, tags and URL', async () => {
    const { res, body } = await json<Static<typeof ArticleEnvelopeJson>>(`/api/v1/articles/${ids.two}`);
    expect(res.status).toBe(200);
    expect(body.article).toMatchObject({ id: ids.two, headline: 'Bank holds rates', url: `${t.url}/economy/${ids.two}-bank-holds-rates` });
    expect(body.article.bodyHtml).toContain('<p>');
    expect(body.article.tags).toEqual([{ slug: 'rates', name: 'Interest rates', url: `${t.url}/tag/rates`, specialCoverage: false }]);
    expect(body.article.wordCount).toBeGreaterThan(3);
  });

  it('answers 404 for a draft or unknown id, 400 for a malformed one', async () => {
    expect((await json(`/api/v1/articles/${ids.draft}`)).res.status).toBe(404);
    expect((await json<ApiError>('/api/v1/articles/987654')).body.error.code).toBe('not_found');
    for (const bad of ['abc', '0', '-3', '1.5', '99999999999']) {
      expect((await json(`/api/v1/articles/${bad}`)).res.status, bad).toBe(400);
    }
  });
});

describe('sections, tags and authors', () => {
  it('returns the section tree in order', async () => {
    const { body } = await json<Static<typeof SectionsJson>>('/api/v1/sections');
    expect(body.sections.map((s) => s.slug)).toEqual(['world', 'economy']);
    expect(body.sections[0]?.children).toEqual([expect.objectContaining({ slug: 'africa', name: 'Africa', url: `${t.url}/africa` })]);
  });

  it('returns a tag and an author with their story counts', async () => {
    expect((await json<Static<typeof TagEnvelopeJson>>('/api/v1/tags/rates')).body.tag).toMatchObject({ slug: 'rates', name: 'Interest rates', specialCoverage: false, articleCount: 1, url: `${t.url}/tag/rates` });
    expect((await json<Static<typeof AuthorEnvelopeJson>>('/api/v1/authors/lin-wei')).body.author).toMatchObject({ slug: 'lin-wei', name: 'Lin Wei', articleCount: 1, url: `${t.url}/author/lin-wei` });
  });

  it('answers 404 for unknown slugs and 400 for malformed ones', async () => {
    expect((await json('/api/v1/tags/unknown')).res.status).toBe(404);
    expect((await json('/api/v1/authors/unknown')).res.status).toBe(404);
    expect((await json('/api/v1/tags/Bad_Slug!')).res.status).toBe(400);
    expect((await json('/api/v1/nothing-here')).res.status).toBe(404);
  });
});

describe('OpenAPI', () => {
  it('describes every public route from the route schemas', async () => {
    const { res, body } = await json<OpenApiDoc>('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/articles', '/api/v1/articles/{id}', '/api/v1/sections', '/api/v1/tags/{slug}', '/api/v1/authors/{slug}', '/healthz', '/readyz']) {
      expect(body.paths[path], path).toBeDefined();
    }
    const params = body.paths['/api/v1/articles']?.get?.parameters?.map((p) => p.name).sort();
    expect(params).toEqual(['author', 'limit', 'page', 'section', 'tag']);
    expect(body.paths['/api/v1/articles/{id}']?.get?.responses['404']).toBeDefined();
  });
});

describe('refused requests write nothing', () => {
  it('does not accept writes on the read-only API', async () => {
    const before = (await json<ArticleList>('/api/v1/articles?limit=1')).body.pagination.total;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await fetch(`${t.url}/api/v1/articles/${ids.one}`, { method, headers: { 'content-type': 'application/json' }, body: '{"headline":"x"}' });
      expect(res.status, method).toBe(404);
    }
    expect((await json<ArticleList>('/api/v1/articles?limit=1')).body.pagination.total).toBe(before);
  });
});
