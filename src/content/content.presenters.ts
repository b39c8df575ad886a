import type { Static } from 'typebox';
import type { Article, ArticleSummary, AuthorProfile, SectionNode, TagProfile } from './content.model.js';
import type { ArticleJson, ArticleSummaryJson, SectionJson } from './content.schemas.js';
import { isSitePath } from '../web/urls.js';

/** Explicit output: every field the API returns is listed here, with absolute URLs. */
export function presentSummary(a: ArticleSummary, siteUrl: string): Static<typeof ArticleSummaryJson> {
  return {
    id: a.id,
    url: siteUrl + a.path,
    slug: a.slug,
    headline: a.headline,
    standfirst: a.standfirst,
    section: {
      slug: a.section.slug,
      name: a.section.name,
      url: siteUrl + a.section.path,
      parent: a.section.parent ? { slug: a.section.parent.slug, name: a.section.parent.name, url: siteUrl + a.section.parent.path } : null,
    },
    authors: a.authors.map((au) => ({ slug: au.slug, name: au.name, url: siteUrl + au.path, photoUrl: absolute(au.photoUrl, siteUrl) })),
    creditLine: a.creditLine,
    byline: bylineText(a),
    heroImage: a.hero ? { url: absolute(a.hero.url, siteUrl)!, alt: a.hero.alt, caption: a.hero.caption, credit: a.hero.credit } : null,
    language: a.language,
    publishedAt: a.publishedAt,
    updatedAt: a.updatedAt,
    commentCount: a.commentCount,
  };
}

export function presentArticle(a: Article, siteUrl: string): Static<typeof ArticleJson> {
  return {
    ...presentSummary(a, siteUrl),
    tags: a.tags.map((t) => ({ slug: t.slug, name: t.name, url: siteUrl + t.path, specialCoverage: t.specialCoverage })),
    bodyHtml: a.bodyHtml,
    wordCount: a.wordCount,
    corrections: a.corrections.map((c) => ({ kind: c.kind, note: c.note, publishedAt: c.at, editedAt: c.editedAt })),
  };
}

export function presentSection(s: SectionNode, siteUrl: string): Static<typeof SectionJson> {
  return {
    id: s.id,
    slug: s.slug,
    name: s.name,
    description: s.description,
    icon: s.icon,
    url: siteUrl + s.path,
    parent: s.parent?.slug ?? null,
    children: s.children.map((c) => ({ id: c.id, slug: c.slug, name: c.name, description: c.description, icon: c.icon, url: siteUrl + c.path })),
  };
}

export function presentTag(t: TagProfile, articleCount: number, siteUrl: string) {
  return {
    slug: t.slug, name: t.name, description: t.description, specialCoverage: t.specialCoverage,
    url: siteUrl + t.path, articleCount, articlesUrl: `${siteUrl}/api/v1/articles?tag=${t.slug}`,
  };
}

export function presentAuthor(a: AuthorProfile, articleCount: number, siteUrl: string) {
  return {
    slug: a.slug, name: a.name, bio: a.bio, photoUrl: absolute(a.photoUrl, siteUrl),
    url: siteUrl + a.path, articleCount, articlesUrl: `${siteUrl}/api/v1/articles?author=${a.slug}`,
  };
}

/** "By Amara Okafor and Lin Wei, Staff, Agencies" — the same words the page shows. */
export function bylineText(a: Pick<ArticleSummary, 'authors' | 'creditLine'>): string {
  const names = a.authors.map((x) => x.name);
  const people = names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const parts = [people, a.creditLine ?? ''].filter(Boolean);
  return parts.length ? `By ${parts.join(', ')}` : '';
}

function absolute(url: string | null, siteUrl: string): string | null {
  if (!url) return null;
  return isSitePath(url) ? siteUrl + url : url;
}
