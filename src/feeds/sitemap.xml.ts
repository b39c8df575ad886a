/**
 * Sitemaps (sitemaps.org 0.9, with Google's image and news extensions) and
 * robots.txt, as text. Every value is XML-escaped.
 */
import { escapeXml as xmlEscape } from '../web/escape.js';
import { absoluteUrl } from '../web/urls.js';
import type { NewsEntry, SitemapEntry, SitemapKind, SitemapPageRef } from '../content/sitemap.service.js';

export const SITEMAP_INDEX_PATH = '/sitemap.xml';
export const NEWS_SITEMAP_PATH = '/sitemaps/news.xml';
export const sitemapPath = (kind: SitemapKind, page: number) => `/sitemaps/${kind}-${page}.xml`;


const lastmodTag = (lastmod: string | null) => (lastmod ? `<lastmod>${xmlEscape(lastmod)}</lastmod>` : '');

export function sitemapIndexXml(siteUrl: string, pages: SitemapPageRef[], newsLastmod: string | null): string {
  const entries = [
    ...pages.map((p) => `<sitemap><loc>${xmlEscape(siteUrl + sitemapPath(p.kind, p.page))}</loc>${lastmodTag(p.lastmod)}</sitemap>`),
    `<sitemap><loc>${xmlEscape(siteUrl + NEWS_SITEMAP_PATH)}</loc>${lastmodTag(newsLastmod)}</sitemap>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${entries.join('\n')}\n</sitemapindex>\n`;
}

export function urlsetXml(siteUrl: string, entries: SitemapEntry[]): string {
  const urls = entries.map((e) => {
    const image = e.image
      ? `<image:image><image:loc>${xmlEscape(absoluteUrl(siteUrl, e.image.url))}</image:loc></image:image>`
      : '';
    return `<url><loc>${xmlEscape(siteUrl + e.path)}</loc>${lastmodTag(e.lastmod)}${image}</url>`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">\n' +
    `${urls.join('\n')}\n</urlset>\n`
  );
}

/** Google News: ISO 639 language codes, lowercase; Chinese keeps its script (zh-cn, zh-tw). */
function newsLanguage(language: string): string {
  const l = language.toLowerCase();
  return l === 'zh-cn' || l === 'zh-tw' ? l : l.split('-')[0]!;
}

export function newsSitemapXml(siteUrl: string, siteName: string, entries: NewsEntry[]): string {
  const urls = entries.map(
    (e) =>
      `<url><loc>${xmlEscape(siteUrl + e.path)}</loc>${lastmodTag(e.lastmod)}<news:news>` +
      `<news:publication><news:name>${xmlEscape(siteName)}</news:name><news:language>${xmlEscape(newsLanguage(e.language))}</news:language></news:publication>` +
      `<news:publication_date>${xmlEscape(e.publishedAt)}</news:publication_date><news:title>${xmlEscape(e.headline)}</news:title>` +
      '</news:news></url>',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' +
    `${urls.join('\n')}\n</urlset>\n`
  );
}

export function robotsTxt(siteUrl: string): string {
  return [
    'User-agent: *',
    // Search results and personal pages are not content; the API is for programs, described at /api/openapi.json.
    'Disallow: /search',
    'Disallow: /favorites',
    'Disallow: /account',
    'Disallow: /signin',
    'Disallow: /signup',
    'Disallow: /reset',
    'Disallow: /newsroom',
    'Disallow: /api/',
    'Allow: /',
    '',
    `Sitemap: ${siteUrl}${SITEMAP_INDEX_PATH}`,
    `Sitemap: ${siteUrl}${NEWS_SITEMAP_PATH}`,
    '',
  ].join('\n');
}
