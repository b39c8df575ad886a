/**
 * Full-text search through the site and the API, on whichever database the
 * suite runs against (SQLite by default, PostgreSQL with DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildArticle, buildAuthor, buildSection, buildTag } from '../../test/helpers/factories.js';
import type { Static } from 'typebox';
import type { ApiError, OpenApiDoc } from '../../test/helpers/api-types.js';
import type { SearchResponseJson } from './search.schemas.js';

const DAY = 86_400_000;
let t: TestApp;
const ids = {} as Record<'headline' | 'standfirst' | 'body' | 'accent' | 'phrase' | 'scattered' | 'draft' | 'embargoed' | 'xss', number>;
const day = (msAgo: number) => new Date(Date.now() - msAgo).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestApp({
    seed: async ({ db: { kysely: db } }) => {
      const world = await buildSection(db, { slug: 'world', name: 'World' });
      const africa = await buildSection(db, { slug: 'africa', name: 'Africa', parentId: world.id });
      const politics = await buildSection(db, { slug: 'politics', name: 'Politics' });
      const amara = await buildAuthor(db, { slug: 'amara-diallo', name: 'Amara Diallo' });
      const water = await buildTag(db, { slug: 'water', name: 'Water' });

      // Ranking: the same word in the headline, the standfirst, the body.
      ids.headline = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Flood warning issued for the Kesra valley', standfirst: 'Rivers are rising.',
        markdown: 'Residents were told to move to higher ground.', authorIds: [amara.id], tagIds: [water.id], publishedAt: new Date(Date.now() - 2 * DAY),
      })).id;
      ids.standfirst = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Ministers meet in Orlen', standfirst: 'The flood defences budget is on the table.',
        markdown: 'A long meeting is expected.', publishedAt: new Date(Date.now() - 3 * DAY),
      })).id;
      ids.body = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Budget talks resume', standfirst: 'Negotiators return to the capital.',
        markdown: 'Delegates spoke of a flood of proposals and little agreement.', publishedAt: new Date(Date.now() - 1 * DAY),
      })).id;
      // Accents and case.
      ids.accent = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Café owners in Zürich protest new rules', standfirst: 'A quarrel over terraces.',
        markdown: 'The owners say the rules came without warning.', publishedAt: new Date(Date.now() - 4 * DAY),
      })).id;
      // Phrases.
      ids.phrase = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Treaty talks', standfirst: 'Officials meet.',
        markdown: 'The river basin agreement was signed at dawn.', tagIds: [water.id], publishedAt: new Date(Date.now() - 10 * DAY),
      })).id;
      ids.scattered = (await buildArticle(db, {
        sectionId: africa.id, headline: 'Border talks', standfirst: 'Officials meet again.',
        markdown: 'The basin of the river was the subject of the agreement.', publishedAt: new Date(Date.now() - 20 * DAY),
      })).id;
      // Never found.
      ids.draft = (await buildArticle(db, { sectionId: politics.id, headline: 'Flood draft never published', status: 'draft', publishedAt: null })).id;
      ids.embargoed = (await buildArticle(db, { sectionId: politics.id, headline: 'Flood embargoed until tomorrow', publishedAt: new Date(Date.now() + DAY) })).id;
      // Unsafe text.
      ids.xss = (await buildArticle(db, {
        sectionId: politics.id, headline: 'Zebra <script>alert(1)</script> crossing', standfirst: 'A <b>bold</b> zebra & friends.',
        markdown: 'The zebra crossing <img src=x onerror=alert(2)> opened.', publishedAt: new Date(Date.now() - 5 * DAY),
      })).id;
      // Pagination.
      for (let i = 0; i < 13; i++) {
        await buildArticle(db, { sectionId: politics.id, headline: `Harvest report ${i}`, markdown: 'The harvest was counted.', publishedAt: new Date(Date.now() - (30 + i) * DAY) });
      }
    },
  });
});
afterAll(async () => t?.close());

type SearchResponse = Static<typeof SearchResponseJson>;

/** A search through the API; the answer is read as the results, or as T (e.g. ApiError) where the test expects a refusal. */
async function api<T = SearchResponse>(query: string) {
  const res = await t.get(`/api/v1/search?${query}`);
  return { res, body: (await res.json()) as T };
}
const resultIds = (body: SearchResponse): number[] => body.results.map((r) => r.article.id);

describe('ranking', () => {
  it('ranks a headline match above a standfirst match above a body-only match', async () => {
    const { res, body } = await api('q=flood');
    expect(res.status).toBe(200);
    expect(resultIds(body)).toEqual([ids.headline, ids.standfirst, ids.body]);
    expect(body.results[0]!.score).toBeGreaterThan(body.results[2]!.score);
    expect(body.pagination).toEqual({ page: 1, limit: 10, total: 3, totalPages: 1 });
  });

  it('sorts by date when asked', async () => {
    const { body } = await api('q=flood&sort=date');
    expect(resultIds(body)).toEqual([ids.body, ids.headline, ids.standfirst]);
  });

  it('matches other forms of a word', async () => {
    const { body } = await api('q=floods');
    expect(resultIds(body)).toContain(ids.headline);
  });

  it('highlights the matches in the headline and a passage', async () => {
    const { body } = await api('q=flood');
    expect(body.results[0]?.headlineHtml).toBe('<mark>Flood</mark> warning issued for the Kesra valley');
    const bodyHit = body.results.find((r) => r.article.id === ids.body);
    expect(bodyHit?.snippetHtml).toContain('<mark>flood</mark> of proposals');
  });
});

describe('query syntax', () => {
  it('finds a quoted phrase only where its words stand together', async () => {
    const loose = await api('q=river%20basin');
    expect(resultIds(loose.body).sort()).toEqual([ids.phrase, ids.scattered].sort());
    const { body } = await api(`q=${encodeURIComponent('"river basin"')}`);
    expect(resultIds(body)).toEqual([ids.phrase]);
    expect(body.query.include).toEqual([['river', 'basin']]);
  });

  it('leaves out -excluded words and phrases', async () => {
    const { body } = await api('q=flood%20-budget');
    expect(resultIds(body)).toEqual([ids.headline]);
    expect(body.query).toMatchObject({ understood: 'flood -budget', exclude: [['budget']] });
    const phrase = await api(`q=${encodeURIComponent('river -"river basin"')}`);
    // "Rivers are rising" matches river too; only the story with the phrase is left out.
    expect(resultIds(phrase.body).sort()).toEqual([ids.headline, ids.scattered].sort());
  });

  it('ignores accents and case, both ways', async () => {
    for (const q of ['cafe', 'CAFÉ', 'Café', 'zurich', 'ZÜRICH']) {
      const { body } = await api(`q=${encodeURIComponent(q)}`);
      expect(resultIds(body), q).toEqual([ids.accent]);
    }
  });

  it('treats operator characters as plain text', async () => {
    for (const q of ['flood*', 'flood OR budget', 'NEAR(flood budget)', 'flood:headline', "flood'); DROP TABLE articles; --", '(flood']) {
      const { res } = await api(`q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    expect((await api('q=flood')).body.results.length).toBe(3);
  });
});

describe('filters and pagination', () => {
  it('filters by section (a parent section includes its subsections), tag and author', async () => {
    expect(resultIds((await api('q=flood&section=politics')).body)).toEqual([ids.standfirst, ids.body]);
    expect(resultIds((await api('q=flood&section=africa')).body)).toEqual([ids.headline]);
    expect(resultIds((await api('q=flood&section=world')).body)).toEqual([ids.headline]);
    expect(resultIds((await api('q=talks&tag=water')).body)).toEqual([ids.phrase]);
    expect(resultIds((await api('q=flood&author=amara-diallo')).body)).toEqual([ids.headline]);
  });

  it('filters by publication date, both ends inclusive', async () => {
    const { body } = await api(`q=flood&from=${day(2 * DAY)}&to=${day(1 * DAY)}`);
    expect(resultIds(body).sort()).toEqual([ids.headline, ids.body].sort());
    expect(resultIds((await api(`q=flood&to=${day(3 * DAY)}`)).body)).toEqual([ids.standfirst]);
  });

  it('pages through many results', async () => {
    const first = await api('q=harvest&limit=5&sort=date');
    expect(first.body.pagination).toEqual({ page: 1, limit: 5, total: 13, totalPages: 3 });
    const third = await api('q=harvest&limit=5&sort=date&page=3');
    expect(third.body.results).toHaveLength(3);
    const all = [...resultIds(first.body), ...resultIds((await api('q=harvest&limit=5&sort=date&page=2')).body), ...resultIds(third.body)];
    expect(new Set(all).size).toBe(13);
  });

  it('answers unknown filters and impossible dates clearly', async () => {
    const section = await api<ApiError>('q=flood&section=nowhere');
    expect(section.res.status).toBe(404);
    expect(section.body.error.message).toBe('There is no section "nowhere".');
    const date = await api<ApiError>('q=flood&from=2026-02-30');
    expect(date.res.status).toBe(400);
    expect(date.body.error.message).toMatch(/from.*date/);
    const page = await t.get('/search?q=flood&from=2026-02-30');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('The &quot;from&quot; date 2026-02-30 does not exist');
    const range = await api<ApiError>('q=flood&from=2026-05-02&to=2026-05-01');
    expect(range.res.status).toBe(400);
    expect(range.body.error.code).toBe('query_bad_date_range');
    expect((await api('q=flood&sort=sideways')).res.status).toBe(400);
  });
});

describe('only published stories', () => {
  it('never finds drafts or embargoed stories', async () => {
    const { body } = await api('q=flood');
    expect(resultIds(body)).not.toContain(ids.draft);
    expect(resultIds(body)).not.toContain(ids.embargoed);
  });

  it('drops an unpublished story at once, from the API and the cached page', async () => {
    const q = 'q=orlen';
    expect(resultIds((await api(q)).body)).toEqual([ids.standfirst]);
    const link = `href="/politics/${ids.standfirst}-ministers-meet-in-orlen"`;
    expect(await (await t.get(`/search?${q}`)).text()).toContain(link); // now cached
    await t.db.kysely.updateTable('articles').set({ status: 'unpublished' }).where('id', '=', ids.standfirst).execute();
    await t.app.deps.events.emit('article.unpublished', { articleId: ids.standfirst, keys: [`article:${ids.standfirst}`] });
    expect(resultIds((await api(q)).body)).toEqual([]);
    const page = await (await t.get(`/search?${q}`)).text();
    expect(page).not.toContain(link);
    expect(page).toContain('No stories match “orlen”');
    const doc = await t.db.kysely.selectFrom('search_documents').select('article_id').where('article_id', '=', ids.standfirst).executeTakeFirst();
    expect(doc).toBeUndefined();
  });

  it('finds a story once it is published, and by its new words once it is edited', async () => {
    const section = await t.db.kysely.selectFrom('sections').select('id').where('slug', '=', 'politics').executeTakeFirstOrThrow();
    const { id } = await buildArticle(t.db.kysely, { sectionId: section.id, headline: 'Quokka census begins', status: 'draft', publishedAt: null });
    expect((await api('q=quokka')).body.results).toEqual([]);
    await t.db.kysely.updateTable('articles').set({ status: 'published', published_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
    await t.app.deps.events.emit('article.published', { articleId: id, keys: [`article:${id}`] });
    expect(resultIds((await api('q=quokka')).body)).toEqual([id]);

    await t.db.kysely.updateTable('articles').set({ headline: 'Wombat census begins' }).where('id', '=', id).execute();
    await t.app.deps.events.emit('article.updated', { articleId: id, keys: [`article:${id}`] });
    expect(resultIds((await api('q=wombat')).body)).toEqual([id]);
    expect((await api('q=quokka')).body.results).toEqual([]);
  });

  it('rebuilds the whole index on demand', async () => {
    await t.db.kysely.deleteFrom('search_documents').execute();
    expect((await t.app.deps.search.search({
      query: { include: [['flood']], exclude: [], normalized: 'flood' }, filters: {}, sort: 'relevance', limit: 10, offset: 0, now: new Date().toISOString(),
    })).total).toBe(0);
    const published = await t.db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll<number | string>().as('n')).where('status', '=', 'published').executeTakeFirstOrThrow();
    expect(await t.app.deps.search.rebuild()).toBe(Number(published.n));
    await t.app.deps.events.emit('content.changed', { keys: ['search'] });
    expect(resultIds((await api('q=flood')).body)).toEqual([ids.headline, ids.body]);
  });
});

describe('safe highlights', () => {
  it('escapes the story text and adds only <mark> tags', async () => {
    const { body } = await api('q=zebra');
    const hit = body.results[0]!;
    expect(hit.article.id).toBe(ids.xss);
    for (const html of [hit.headlineHtml, hit.snippetHtml]) {
      expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    }
    expect(hit.headlineHtml).toBe('<mark>Zebra</mark> &lt;script&gt;alert(1)&lt;/script&gt; crossing');
    const page = await (await t.get('/search?q=zebra')).text();
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('<mark>Zebra</mark> &lt;script&gt;');
  });
});

describe('bad queries', () => {
  it('API: 400 with a message saying what to change', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['', 'query_empty', /Type a word or two/],
      ['   ', 'query_empty', /Type a word or two/],
      ['x'.repeat(1000), 'query_too_long', /too long \(1000 characters\).*at most 200/],
      ['!!! ??? ...', 'query_no_words', /only symbols/],
      ['"" -', 'query_no_words', /only symbols/],
      ['the of and', 'query_only_common_words', /too common/],
      ['-flood', 'query_only_exclusions', /at least one word/],
    ];
    for (const [q, code, message] of cases) {
      const { res, body } = await api<ApiError>(`q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(400);
      expect(body.error.code, q).toBe(code);
      expect(body.error.message, q).toMatch(message);
    }
    const missing = await api<ApiError>('');
    expect(missing.res.status).toBe(400);
    expect(missing.body.error.message).toMatch(/q/);
  });

  it('site: a 200 page in the site look that explains, with tips and the form', async () => {
    const cases: Array<[string, RegExp]> = [
      ['', /Type a word or two/],
      ['x'.repeat(1000), /That search is too long/],
      ['%$#@!', /only symbols/],
    ];
    for (const [q, message] of cases) {
      const res = await t.get(`/search?q=${encodeURIComponent(q)}&section=&from=&to=&sort=relevance`);
      const html = await res.text();
      expect(res.status, q).toBe(200);
      expect(html, q).toMatch(message);
      expect(html).toContain('Search tips');
      expect(html).toContain('<form class="search-form" action="/search" method="get" role="search" aria-label="Search stories">');
      expect(html).toContain('<meta name="robots" content="noindex"/>');
    }
    const bare = await t.get('/search');
    expect(bare.status).toBe(200);
    expect(await bare.text()).toContain('Search tips');
    const unknown = await t.get('/search?q=flood&section=nowhere');
    expect(unknown.status).toBe(200);
    expect(await unknown.text()).toContain('There is no section &quot;nowhere&quot;.');
  });
});

describe('the search page', () => {
  it('shows ranked results with highlights, filters kept in the form, and paging links', async () => {
    const res = await t.get('/search?q=harvest&sort=date&section=politics');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('surrogate-key')).toContain('search');
    expect(html).toContain('13 stories for “harvest”');
    expect(html).toContain('<option value="politics" selected>Politics</option>');
    expect(html).toContain('<option value="date" selected>Newest first</option>');
    expect(html).toContain('href="/search?q=harvest&amp;section=politics&amp;sort=date&amp;page=2" rel="next"');
    expect(html.match(/class="search-result /g)).toHaveLength(10);
    expect(html).toContain('<mark>Harvest</mark> report 0');
  });

  it('has a search box in every page header: a real GET form', async () => {
    const html = await (await t.get('/')).text();
    expect(html).toMatch(/<form class="site-search" action="\/search" method="get" role="search" aria-label="Site search">.*<input id="site-search-q"[^>]* name="q"/s);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await (await t.get('/api/openapi.json')).json()) as OpenApiDoc;
    const op = doc.paths['/api/v1/search']?.get;
    expect(op?.tags).toEqual(['search']);
    expect(op?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'section', 'tag', 'author', 'from', 'to', 'sort', 'page', 'limit']));
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400']));
  });
});
