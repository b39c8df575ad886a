/**
 * schema.org data for the page heads (JSON-LD): what search engines and apps
 * read about a story or a listing. Built from the same data the page shows.
 */
import { CORRECTION_LABELS, correctionAnchor, type Article, type ArticleSummary, type SiteCorrection } from '../content.model.js';
import { LOGO_PATH, LOGO_SIZE } from '../../web/logo.js';
import type { SiteInfo } from '../../web/view-types.js';
import { absoluteUrl } from '../../web/urls.js';
import { postAnchor, type LiveStream } from '../live.model.js';

type Ld = Record<string, unknown>;

/** Hero pictures are drawn and cropped to this size (see the article page and demo-images.ts). */
export const HERO_WIDTH = 1200;
export const HERO_HEIGHT = 675;

export { absoluteUrl };

/** The newsroom as publisher, with its logo. */
export function publisherLd(site: SiteInfo): Ld {
  return {
    '@type': 'NewsMediaOrganization',
    '@id': `${site.url}/#publisher`,
    name: site.name,
    url: `${site.url}/`,
    logo: { '@type': 'ImageObject', url: site.url + LOGO_PATH, width: LOGO_SIZE, height: LOGO_SIZE },
  };
}

/** Plain text of a short description: the standfirst, or the body's opening words. */
export function describeArticle(article: Pick<Article, 'standfirst' | 'bodyHtml'>, max = 200): string {
  if (article.standfirst.trim()) return article.standfirst.trim();
  const text = article.bodyHtml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!)
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 30))}…`;
}

export function newsArticleLd(article: Article, site: SiteInfo): Ld {
  const url = site.url + article.path;
  const publisher = publisherLd(site);
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    '@id': `${url}#article`,
    headline: article.headline.length > 110 ? `${article.headline.slice(0, 109)}…` : article.headline,
    description: describeArticle(article),
    inLanguage: article.language,
    datePublished: article.publishedAt,
    dateModified: article.updatedAt ?? article.publishedAt,
    url,
    mainEntityOfPage: { '@type': 'WebPage', '@id': url },
    articleSection: article.section.name,
    keywords: article.tags.map((t) => t.name),
    ...(article.hero
      ? { image: [{ '@type': 'ImageObject', url: absoluteUrl(site.url, article.hero.url), width: HERO_WIDTH, height: HERO_HEIGHT, caption: article.hero.caption ?? article.hero.alt }] }
      : {}),
    author: article.authors.length
      ? article.authors.map((a) => ({ '@type': 'Person', name: a.name, url: site.url + a.path }))
      : [{ '@type': 'Organization', name: article.creditLine || site.name, ...(article.creditLine ? {} : { url: `${site.url}/` }) }],
    publisher,
    isAccessibleForFree: true,
    ...(article.wordCount ? { wordCount: article.wordCount } : {}),
    commentCount: article.commentCount,
    // schema.org's CreativeWork.correction: each entry of the log, dated.
    ...(article.corrections.length
      ? { correction: article.corrections.map((c) => correctionLd(c, url)) }
      : {}),
  };
}

/** One entry of a corrections log as a schema.org CorrectionComment. */
export function correctionLd(c: Pick<SiteCorrection, 'id' | 'kind' | 'note' | 'at' | 'editedAt'>, articleUrl: string): Ld {
  return {
    '@type': 'CorrectionComment',
    '@id': `${articleUrl}#${correctionAnchor(c.id)}`,
    url: `${articleUrl}#${correctionAnchor(c.id)}`,
    name: CORRECTION_LABELS[c.kind],
    text: c.note,
    datePublished: c.at,
    ...(c.editedAt ? { dateModified: c.editedAt } : {}),
  };
}

export function breadcrumbLd(site: SiteInfo, crumbs: Array<{ name: string; path: string }>): Ld {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({ '@type': 'ListItem', position: i + 1, name: c.name, item: site.url + c.path })),
  };
}

/** A section, tag or author page: a collection of stories, listed in order. */
export function collectionPageLd(
  site: SiteInfo,
  page: { name: string; description: string; path: string; types?: string[]; about?: Ld },
  items: ArticleSummary[],
  firstPosition = 1,
): Ld {
  return {
    '@context': 'https://schema.org',
    '@type': page.types ?? 'CollectionPage',
    '@id': site.url + page.path,
    url: site.url + page.path,
    name: page.name,
    description: page.description,
    isPartOf: { '@type': 'WebSite', name: site.name, url: `${site.url}/` },
    publisher: publisherLd(site),
    // A profile's main entity is the person; a listing's, the stories it lists.
    mainEntity: page.about ?? {
      '@type': 'ItemList',
      itemListOrder: 'https://schema.org/ItemListOrderDescending',
      numberOfItems: items.length,
      itemListElement: items.map((a, i) => ({ '@type': 'ListItem', position: firstPosition + i, url: site.url + a.path, name: a.headline })),
    },
  };
}

/** The home page: the site, and how to search it. */
export function websiteLd(site: SiteInfo): Ld {
  return {
    '@context': 'https://schema.org',
    '@type': 'WebSite',
    name: site.name,
    url: `${site.url}/`,
    publisher: publisherLd(site),
    potentialAction: {
      '@type': 'SearchAction',
      target: { '@type': 'EntryPoint', urlTemplate: `${site.url}/search?q={search_term_string}` },
      'query-input': 'required name=search_term_string',
    },
  };
}

/**
 * A live story as schema.org's LiveBlogPosting: the story's NewsArticle
 * data plus the coverage times and the posts of this page as liveBlogUpdate
 * items (each a BlogPosting at its permalink).
 */
export function liveBlogLd(articleLd: Ld, live: LiveStream, articleUrl: string): Ld {
  const updates = [...(live.pinned ? [live.pinned] : []), ...live.posts];
  return {
    ...articleLd,
    '@type': 'LiveBlogPosting',
    coverageStartTime: live.coverage.startedAt,
    ...(live.coverage.endedAt ? { coverageEndTime: live.coverage.endedAt } : {}),
    liveBlogUpdate: updates.map((p) => ({
      '@type': 'BlogPosting',
      '@id': `${articleUrl}#${postAnchor(p.id)}`,
      url: `${articleUrl}#${postAnchor(p.id)}`,
      headline: (p.keyEvent?.title || p.text || p.embed?.title || p.image?.alt || 'Update').slice(0, 110),
      datePublished: p.createdAt,
      ...(p.editedAt ? { dateModified: p.editedAt } : {}),
      ...(p.text ? { articleBody: p.text } : {}),
      ...(p.author ? { author: { '@type': 'Person', name: p.author } } : {}),
      ...(p.image ? { image: p.image.url.startsWith('/') ? articleUrl.replace(/^(https?:\/\/[^/]+).*$/, '$1') + p.image.url : p.image.url } : {}),
    })),
  };
}
