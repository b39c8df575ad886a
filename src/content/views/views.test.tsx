import { describe, it, expect } from 'vitest';
import type { Article, ArticleSummary, AuthorRef, SectionNode, SectionRef, SpecialCoverage, TagProfile } from '../content.model.js';
import { ArticlePage } from './article.js';
import { AuthorPage } from './author.js';
import { HomePage } from './home.js';
import { SectionPage } from './section.js';
import { TagPage } from './tag.js';
import { Pagination, RelTime } from '../../web/components.js';
import { Byline } from './story-parts.js';
import { exactTime } from '../../web/relative-time.js';
import { renderDocument } from '../../web/render.js';
import type { Chrome, PagePreview } from '../../web/view-types.js';
import { ErrorPage } from '../../web/views/error.js';
import { renderToString } from 'preact-render-to-string';

// ---------------------------------------------------------------- test data

const NOW = new Date('2026-11-29T21:52:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

function section(id: number, slug: string, name: string, icon: string, parent: SectionRef | null = null): SectionRef {
  return {
    id, slug, name, icon, description: `${name} news.`, path: `/${slug}`,
    parent: parent ? { slug: parent.slug, name: parent.name, path: parent.path } : null,
  };
}

const world = section(1, 'world', 'World', 'globe');
const africa = section(2, 'africa', 'Africa', 'globe', world);
const sport = section(3, 'sport', 'Sport', 'trophy');
const sections: SectionNode[] = [
  { ...world, position: 0, children: [africa] },
  { ...sport, position: 1, children: [] },
];

const amina: AuthorRef = { id: 7, slug: 'amina-diallo', name: 'Amina Diallo', path: '/author/amina-diallo', photoUrl: null };
const tom: AuthorRef = { id: 8, slug: 'tom-reyes', name: 'Tom Reyes', path: '/author/tom-reyes', photoUrl: null };

let nextId = 1000;
function summary(over: Partial<ArticleSummary> = {}): ArticleSummary {
  const id = over.id ?? nextId++;
  const sec = over.section ?? africa;
  const slug = over.slug ?? `story-${id}`;
  return {
    id,
    slug,
    path: `/${sec.slug}/${id}-${slug}`,
    headline: `Story number ${id}`,
    standfirst: `Standfirst of story ${id}.`,
    section: sec,
    authors: [],
    creditLine: 'Staff, Agencies',
    hero: { url: `/media/${id}.jpg`, alt: `Picture for story ${id}`, caption: 'A caption', credit: 'Photo: Agency' },
    language: 'en',
    publishedAt: hoursAgo(2),
    updatedAt: null,
    commentCount: 0,
    ...over,
  };
}

const tag: TagProfile = {
  id: 3, slug: 'kesra-drought', name: 'The Kesra drought', path: '/tag/kesra-drought', specialCoverage: true,
  description: 'Three years without rain.',
};

function article(over: Partial<Article> = {}): Article {
  return {
    ...summary({
      id: 1042,
      slug: 'rains-return-to-the-kesra-valley',
      headline: 'Rains return to the Kesra valley',
      standfirst: 'Farmers are planting again.',
      publishedAt: hoursAgo(25),
    }),
    path: '/africa/1042-rains-return-to-the-kesra-valley',
    bodyHtml: '<p>The river is running again.</p>',
    tags: [tag],
    wordCount: 6,
    corrections: [],
    ...over,
  };
}

function chrome(over: Partial<Chrome> = {}): Chrome {
  return {
    site: { name: 'The Dispatch', url: 'https://news.example.com' },
    assets: { css: ['/assets/main-abc.css'], js: ['/assets/main-abc.js'] },
    sections,
    breaking: null,
    now: NOW,
    ...over,
  };
}

function articleHtml(a: Article, extra: { specialCoverage?: SpecialCoverage | null; related?: ArticleSummary[]; preview?: PagePreview } = {}): string {
  return renderDocument(
    <ArticlePage
      chrome={chrome()}
      article={a}
      breadcrumb={[
        { name: 'Home', path: '/' },
        { name: 'World', path: '/world' },
        { name: 'Africa', path: '/africa' },
        { name: a.headline, path: a.path },
      ]}
      related={extra.related ?? []}
      specialCoverage={extra.specialCoverage ?? null}
      preview={extra.preview}
    />,
  );
}

/** The text a reader sees: tags dropped, whitespace collapsed, common entities decoded. */
function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');
}

function between(html: string, start: string, end: string): string {
  const i = html.indexOf(start);
  expect(i, `missing ${start}`).toBeGreaterThanOrEqual(0);
  const j = html.indexOf(end, i);
  return html.slice(i, j === -1 ? undefined : j + end.length);
}

// -------------------------------------------------------------------- tests

describe('layout', () => {
  const html = renderDocument(
    <SectionPage chrome={chrome()} section={sections[0]!} articles={{ items: [], page: 1, pageSize: 20, total: 0, totalPages: 0 }} />,
  );

  it('is a complete document with title, canonical URL and the built assets', () => {
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8"/>');
    expect(html).toContain('<title>World | The Dispatch</title>');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/world"/>');
    expect(html).toContain('<meta name="color-scheme" content="light dark"/>');
    expect(html).toContain('<link rel="stylesheet" href="/assets/main-abc.css"/>');
    expect(html).toContain('<script type="module" src="/assets/main-abc.js"></script>');
  });

  it('starts the body with a skip link to the main content', () => {
    const body = html.slice(html.indexOf('<body>'));
    expect(body).toMatch(/^<body><a class="skip-link" href="#main">Skip to content<\/a>/);
    expect(html).toContain('<main id="main" tabindex="-1"');
  });

  it('has banner, section navigation with the current section marked, and footer', () => {
    expect(html).toContain('role="banner"');
    const nav = between(html, '<nav class="site-nav" aria-label="Sections">', '</nav>');
    expect(nav).toContain('<a class="site-nav__link" href="/world" aria-current="page">World</a>');
    expect(nav).toContain('href="/africa"');
    expect(nav).toContain('<details');
    const footer = between(html, '<footer', '</footer>');
    expect(footer).toContain('role="contentinfo"');
    expect(text(footer)).toContain('© 2026 The Dispatch');
    expect(text(footer)).toContain('Built with Dispatch');
  });

  it('shows no breaking strip when there is no breaking news', () => {
    expect(html).not.toContain('Breaking news');
  });

  it('hides an expired breaking strip', () => {
    const expired = renderDocument(
      <ErrorPage
        chrome={chrome({ breaking: { text: 'Old news', path: null, expiresAt: hoursAgo(1) } })}
        status={404}
        title="Page not found"
        message="Nothing here."
      />,
    );
    expect(expired).not.toContain('Old news');
  });
});

describe('article page', () => {
  const a = article({ authors: [], creditLine: 'Staff, Agencies', commentCount: 0 });
  const html = articleHtml(a);

  it('puts the headline in the one h1 and the section label above it', () => {
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toMatch(/<h1 class="article__headline">Rains return to the Kesra valley<\/h1>/);
    const label = between(html, '<a class="section-label', '</a>');
    expect(label).toContain('href="/africa"');
    expect(text(label)).toBe('Africa');
    expect(html.indexOf('section-label')).toBeLessThan(html.indexOf('<h1'));
    expect(html).toContain('<p class="standfirst">Farmers are planting again.</p>');
  });

  it('shows the publication time relative to now, with the exact time in datetime and title', () => {
    const time = between(html, `<time datetime="${a.publishedAt}"`, '</time>');
    expect(time).toContain(`title="${exactTime(a.publishedAt)}"`);
    expect(time).toMatch(/title="Saturday,? 28 November 2026, 20:52 UTC"/);
    expect(time).toContain('data-relative');
    expect(text(time)).toBe('one day ago');
  });

  it('says "By Staff, Agencies" for a credit-only story', () => {
    expect(text(between(html, '<p class="byline">', '</p>'))).toBe('By Staff, Agencies');
  });

  it('links each author in the byline', () => {
    const withAuthors = articleHtml(article({ authors: [amina, tom], creditLine: 'Agencies' }));
    const byline = between(withAuthors, '<p class="byline">', '</p>');
    expect(byline).toContain('<a href="/author/amina-diallo" rel="author">Amina Diallo</a>');
    expect(byline).toContain('<a href="/author/tom-reyes" rel="author">Tom Reyes</a>');
    expect(text(byline)).toBe('By Amina Diallo and Tom Reyes, Agencies');
  });

  it('shows "Updated" only when the story was updated', () => {
    expect(text(html)).not.toContain('Updated');
    const updated = article({ updatedAt: hoursAgo(3) });
    const u = articleHtml(updated);
    expect(text(u)).toContain('Updated 3 hours ago');
    // the prefix sits outside <time>, so the client script can refresh the time alone
    expect(u).toContain(`Updated <time datetime="${updated.updatedAt}"`);
  });

  it('has a real favorites form posting to /favorites/{id}', () => {
    // The first form of the page is the header's search box; the story's is the favorites form.
    const form = between(html, '<form method="post"', '</form>');
    expect(form).toContain('method="post"');
    expect(form).toContain('action="/favorites/1042"');
    expect(form).toContain('data-article-id="1042"');
    expect(form).toMatch(/<button type="submit" aria-pressed="false" class="favorite-button">/);
    expect(text(form)).toContain('Add to favorites');
  });

  it('has a breadcrumb from Home to the story, the story marked as the current page', () => {
    const crumbs = between(html, '<nav class="breadcrumb" aria-label="Breadcrumb">', '</nav>');
    const links = [...crumbs.matchAll(/<a href="([^"]+)"( aria-current="page")?>([^<]+)<\/a>/g)];
    expect(links.map((m) => m[3])).toEqual(['Home', 'World', 'Africa', 'Rains return to the Kesra valley']);
    expect(links.map((m) => Boolean(m[2]))).toEqual([false, false, false, true]);
    expect(crumbs).toContain('<ol>');
  });

  it('has the hero with alt text and caption, the body, and tag links', () => {
    expect(html).toMatch(/<figure class="article__hero"><img src="\/media\/1042\.jpg" alt="Picture for story 1042" width="1200" height="675"/);
    expect(text(between(html, '<figcaption>', '</figcaption>'))).toBe('A caption Photo: Agency');
    expect(html).toContain('<div class="article-body"><p>The river is running again.</p></div>');
    expect(html).toContain('href="/tag/kesra-drought"');
  });

  it('has a comments region with the count and an empty-thread message', () => {
    const comments = between(html, '<section id="comments"', '</section>');
    expect(comments).toContain('aria-labelledby="comments-heading"');
    expect(comments).toContain('id="comments-heading"');
    expect(text(comments)).toContain('Comments (0)');
    expect(comments).toContain('<div class="comments-thread" data-article-id="1042"');
    expect(text(comments)).toContain('No comments yet.');
    expect(html).toContain('href="/africa/1042-rains-return-to-the-kesra-valley#comments"');
  });

  it('lists related stories and marks a story in another language', () => {
    const related = summary({ headline: 'Wells still dry in the north' });
    const fr = articleHtml(article({ language: 'fr' }), { related: [related] });
    expect(fr).toMatch(/<article class="article" lang="fr"[ >]/);
    expect(text(between(fr, '<section class="related"', '</section>'))).toContain('Wells still dry in the north');
    expect(html).toMatch(/<article class="article"[ >]/);
  });

  it('shows the special-coverage banner when the story belongs to one', () => {
    const other = summary({ headline: 'The aquifer, explained' });
    const sc = articleHtml(article(), { specialCoverage: { tag, articles: [other] } });
    const banner = between(sc, '<section class="special-coverage', '</section>');
    expect(text(banner)).toContain('Special coverage');
    expect(banner).toContain('<a href="/tag/kesra-drought">The Kesra drought</a>');
    expect(text(banner)).toContain('The aquifer, explained');
  });

  it('escapes markup in headlines and other text', () => {
    const evil = articleHtml(
      article({ headline: 'Hello <script>alert(1)</script>', standfirst: '<img src=x onerror=alert(1)>', creditLine: '<b>x</b>' }),
    );
    expect(evil).not.toContain('<script>alert(1)</script>');
    expect(evil).not.toContain('<img src=x');
    expect(evil).toContain('Hello &lt;script>alert(1)&lt;/script>');
    // the JSON-LD block cannot be broken out of either
    const ld = between(evil, '<script type="application/ld+json">', '</script>');
    const json = ld.slice('<script type="application/ld+json">'.length, -'</script>'.length);
    expect(json).not.toMatch(/<\/?script/i);
    expect(JSON.parse(json).headline).toBe('Hello <script>alert(1)</script>');
  });
});

describe('article page as the newsroom previews it', () => {
  const a = article();
  const reader = articleHtml(a);
  const preview = articleHtml(a, {
    preview: {
      banner: (
        <p>
          <strong>Preview — not published</strong> <a href="/newsroom/stories/1042">Back to the editor</a>
        </p>
      ),
      stylesheets: ['/assets/newsroom-abc.css'],
    },
  });

  it('is never indexed: a robots noindex, no canonical link, no og:url', () => {
    const head = between(preview, '<head>', '</head>');
    expect(head).toContain('<meta name="robots" content="noindex"/>');
    expect(head).not.toContain('rel="canonical"');
    expect(head).not.toContain('property="og:url"');
  });

  it("links the newsroom's stylesheet after the site's", () => {
    const head = between(preview, '<head>', '</head>');
    expect(head).toContain('<link rel="stylesheet" href="/assets/main-abc.css"/><link rel="stylesheet" href="/assets/newsroom-abc.css"/>');
  });

  it('puts the banner in a labelled region at the top of the page, after the skip link', () => {
    const body = between(preview, '<body>', '</body>');
    const banner = between(body, '<div class="preview-banner"', '</div>');
    expect(banner).toBe(
      '<div class="preview-banner" role="region" aria-label="Preview"><p><strong>Preview — not published</strong> <a href="/newsroom/stories/1042">Back to the editor</a></p></div>',
    );
    expect(body.indexOf('class="skip-link"')).toBeLessThan(body.indexOf(banner));
    expect(body.indexOf(banner)).toBeLessThan(body.indexOf('<header class="site-header"'));
  });

  it("shows the story exactly as the reader's page does", () => {
    expect(between(preview, '<main', '</main>')).toBe(between(reader, '<main', '</main>'));
  });

  it("leaves the reader's page without any of it", () => {
    expect(reader).not.toContain('name="robots"');
    expect(reader).not.toContain('preview-banner');
    expect(reader).not.toContain('newsroom-abc.css');
    expect(reader).toContain('<link rel="canonical" href="https://news.example.com/africa/1042-rains-return-to-the-kesra-valley"/>');
    expect(reader).toContain('<meta property="og:url" content="https://news.example.com/africa/1042-rains-return-to-the-kesra-valley"/>');
  });
});

describe('home page', () => {
  const lead = summary({ headline: 'The lead story', section: africa, commentCount: 12 });
  const latest = Array.from({ length: 6 }, (_, i) => summary({ headline: `Latest ${i + 1}`, publishedAt: hoursAgo(i + 3) }));
  const sportStories = [summary({ section: sport, headline: 'Late goal wins the cup' }), summary({ section: sport, headline: 'Marathon record falls' })];
  const html = renderDocument(
    <HomePage
      chrome={chrome({ breaking: { text: 'Parliament passes the budget', path: '/politics/1-budget', expiresAt: null } })}
      lead={lead}
      latest={latest}
      sectionBlocks={[
        { section: world, articles: [lead] },
        { section: sport, articles: sportStories },
      ]}
      specialCoverage={[{ tag, articles: [summary({ headline: 'Inside the dry valley' })] }]}
    />,
  );

  it('is titled with the site name alone', () => {
    expect(html).toContain('<title>The Dispatch</title>');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/"/>');
    expect(html).toMatch(/<a class="site-nav__link" href="\/" aria-current="page">Home<\/a>/);
  });

  it('shows the lead story large, not lazy-loaded', () => {
    const card = between(html, '<article class="story-card story-card--lead', '</article>');
    expect(text(card)).toContain('The lead story');
    expect(card).not.toContain('loading="lazy"');
    expect(card).toContain('width="1200" height="675"');
    expect(card).toContain('<a class="comment-count comment-count--card" href="' + lead.path + '#comments"');
    expect(text(card)).toContain('12 comments');
  });

  it('shows the latest stories and one block per section with a linked heading', () => {
    for (let i = 1; i <= 6; i++) expect(text(html)).toContain(`Latest ${i}`);
    const sportBlock = between(html, '<section class="section-block tone-trophy"', '</section>');
    expect(sportBlock).toMatch(/<h2 id="section-sport" class="block-heading"><a href="\/sport">/);
    expect(text(sportBlock)).toContain('Late goal wins the cup');
    expect(text(sportBlock)).toContain('Marathon record falls');
    expect(html).toContain('<section class="section-block tone-globe"');
  });

  it('shows the breaking strip, linked', () => {
    const strip = between(html, '<div class="breaking" role="region" aria-label="Breaking news">', '</div></div>');
    expect(strip).toContain('<strong class="breaking__label">Breaking</strong>');
    expect(strip).toContain('<a class="breaking__text" href="/politics/1-budget">Parliament passes the budget</a>');
  });

  it('shows the special coverage banner under the top stories, so the lead stays on the first screen', () => {
    const banner = between(html, '<section class="special-coverage"', '</section>');
    expect(text(banner)).toContain('Special coverage');
    expect(text(banner)).toContain('The Kesra drought');
    expect(text(banner)).toContain('Three years without rain.');
    expect(text(banner)).toContain('Inside the dry valley');
    expect(html.indexOf('<section class="special-coverage"')).toBeGreaterThan(html.indexOf('class="top-stories"'));
    expect(html.indexOf('<section class="special-coverage"')).toBeLessThan(html.indexOf('class="section-block'));
  });

  it('says so when nothing is published yet', () => {
    const empty = renderDocument(<HomePage chrome={chrome()} lead={null} latest={[]} sectionBlocks={[]} specialCoverage={[]} />);
    expect(text(empty)).toContain('No stories have been published yet.');
  });
});

describe('section, tag and author pages', () => {
  const items = [summary({ headline: 'Newest' }), summary({ headline: 'Older' })];

  it('section page: h1, description, subsections, stories, pagination with page in canonical', () => {
    const html = renderDocument(
      <SectionPage chrome={chrome()} section={sections[0]!} articles={{ items, page: 2, pageSize: 2, total: 6, totalPages: 3 }} />,
    );
    expect(text(between(html, '<h1', '</h1>'))).toBe('World');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/world?page=2"/>');
    expect(html).toContain('<title>World: page 2 | The Dispatch</title>');
    expect(html).toContain('<a class="chip" href="/africa">Africa</a>');
    expect(text(html).indexOf('Newest')).toBeLessThan(text(html).indexOf('Older'));
    const pager = between(html, '<nav class="pagination" aria-label="Pagination">', '</nav>');
    expect(pager).toMatch(/href="\/world" rel="prev"/);
    expect(pager).toMatch(/href="\/world\?page=3" rel="next"/);
    expect(text(pager)).toContain('Page 2 of 3');
  });

  it('section page links a subsection to its parent and has an empty state', () => {
    const html = renderDocument(
      <SectionPage
        chrome={chrome()}
        section={{ ...africa, position: 0, children: [] }}
        articles={{ items: [], page: 1, pageSize: 20, total: 0, totalPages: 0 }}
      />,
    );
    expect(html).toMatch(/<a href="\/world">.*World<\/a>/);
    expect(text(html)).toContain('No stories in this section yet.');
    expect(html).not.toContain('aria-label="Pagination"');
  });

  it('tag page: name, special coverage label, description, stories', () => {
    const html = renderDocument(<TagPage chrome={chrome()} tag={tag} articles={{ items, page: 1, pageSize: 20, total: 2, totalPages: 1 }} />);
    expect(text(between(html, '<h1', '</h1>'))).toBe('The Kesra drought');
    expect(text(html)).toContain('Special coverage');
    expect(text(html)).toContain('Three years without rain.');
    expect(text(html)).toContain('Newest');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/tag/kesra-drought"/>');
  });

  it('author page: photo with the name as alt, bio, stories', () => {
    const html = renderDocument(
      <AuthorPage
        chrome={chrome()}
        author={{ ...amina, photoUrl: '/media/amina.jpg', bio: 'West Africa correspondent.' }}
        articles={{ items, page: 1, pageSize: 20, total: 2, totalPages: 1 }}
      />,
    );
    expect(html).toContain('src="/media/amina.jpg" alt="Amina Diallo"');
    expect(text(between(html, '<h1', '</h1>'))).toBe('Amina Diallo');
    expect(text(html)).toContain('West Africa correspondent.');
    expect(text(html)).toContain('Newest');
  });
});

describe('error page', () => {
  const html = renderDocument(
    <ErrorPage chrome={chrome()} status={404} title="Page not found" message="We could not find that page." />,
  );

  it('shows the status, title and message in the site look, and is not indexed', () => {
    expect(text(between(html, '<p class="error-page__status">', '</p>'))).toContain('404');
    expect(text(between(html, '<h1', '</h1>'))).toBe('Page not found');
    expect(text(html)).toContain('We could not find that page.');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).not.toContain('rel="canonical"');
    expect(html).toContain('<title>Page not found | The Dispatch</title>');
    expect(html).toContain('role="banner"');
  });

  it('links home and to the sections', () => {
    const main = between(html, '<main', '</main>');
    expect(main).toContain('href="/"');
    expect(main).toContain('href="/world"');
    expect(main).toContain('href="/sport"');
  });
});

describe('components', () => {
  it('RelTime keeps a prefix outside the <time> element', () => {
    const html = renderToString(<RelTime iso={hoursAgo(3)} now={NOW} prefix="Updated " />);
    expect(html).toMatch(/^<span class="reltime">Updated <time datetime="[^"]+" title="[^"]+" data-relative[^>]*>3 hours ago<\/time><\/span>$/);
  });

  it('Byline renders nothing without authors or credit', () => {
    expect(renderToString(<Byline authors={[]} creditLine={null} />)).toBe('');
    expect(text(renderToString(<Byline authors={[amina]} creditLine={null} />))).toBe('By Amina Diallo');
    expect(text(renderToString(<Byline authors={[amina, tom, { ...tom, id: 9, name: 'Li Wei' }]} creditLine={null} />))).toBe(
      'By Amina Diallo, Tom Reyes and Li Wei',
    );
  });

  it('Pagination: page 1 has only "next", the last page only "previous", a single page nothing', () => {
    const first = renderToString(<Pagination page={1} totalPages={2} basePath="/sport" />);
    expect(first).not.toContain('rel="prev"');
    expect(first).toContain('href="/sport?page=2" rel="next"');
    const last = renderToString(<Pagination page={2} totalPages={2} basePath="/sport" />);
    expect(last).toContain('href="/sport" rel="prev"');
    expect(last).not.toContain('rel="next"');
    expect(renderToString(<Pagination page={1} totalPages={1} basePath="/sport" />)).toBe('');
  });
});
