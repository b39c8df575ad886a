/**
 * What the public site and the Content API know about content: plain data,
 * assembled by the content service from the stores, handed to views and
 * presenters. Paths are site-relative; presenters add SITE_URL for the API.
 */
import { feedPath } from '../web/urls.js';

export interface SectionRef {
  id: number;
  slug: string;
  name: string;
  description: string;
  /** Icon key: globe | landmark | chart | flask | palette | trophy | quote | news */
  icon: string;
  path: string;
  parent: { slug: string; name: string; path: string } | null;
}

export interface SectionNode extends SectionRef {
  position: number;
  children: SectionRef[];
}

export interface AuthorRef {
  id: number;
  slug: string;
  name: string;
  path: string;
  photoUrl: string | null;
}

export interface AuthorProfile extends AuthorRef {
  bio: string;
}

export interface TagRef {
  id: number;
  slug: string;
  name: string;
  path: string;
  specialCoverage: boolean;
}

export interface TagProfile extends TagRef {
  description: string;
}

/**
 * What lets a browser pick the right variant of a media-library image, and
 * keep its room before it loads: `srcset` lists the library's own variant
 * URLs; `sizes` is how wide the page shows the image.
 */
export interface ImageSources {
  srcset: string;
  sizes: string;
  width: number;
  height: number;
}

/** How wide the article page shows images (styles.css: `.article` is 42rem; from 64rem its hero reaches 6rem further each side). */
export const ARTICLE_IMAGE_SIZES = {
  hero: '(min-width: 64rem) 54rem, (min-width: 46rem) 42rem, 100vw',
  body: '(min-width: 46rem) 42rem, 100vw',
} as const;

export interface HeroImage extends Partial<ImageSources> {
  url: string;
  alt: string;
  caption: string | null;
  credit: string | null;
}

export interface ArticleSummary {
  id: number;
  slug: string;
  /** Canonical path, e.g. /africa/1042-rains-return-to-the-kesra-valley */
  path: string;
  headline: string;
  standfirst: string;
  section: SectionRef;
  authors: AuthorRef[];
  /** e.g. "Staff, Agencies"; shown as "By …" after any authors. */
  creditLine: string | null;
  hero: HeroImage | null;
  language: string;
  /** ISO-8601 UTC */
  publishedAt: string;
  /** ISO-8601 UTC, set when edited after publication. */
  updatedAt: string | null;
  commentCount: number;
  /** A live story whose coverage runs now: fronts mark it "Live" (set by the routes, see live.model.ts). */
  live?: boolean;
}

export interface Article extends ArticleSummary {
  /** Safe HTML rendered from the stored body document. */
  bodyHtml: string;
  tags: TagRef[];
  wordCount: number;
  /** The published versions of this story by language, itself included; absent when there is no other language. */
  translations?: Array<{ language: string; path: string }>;
  /** The story's corrections log, oldest first: every entry kept, shown in order. */
  corrections: Correction[];
  /** The page title and description for search engines and sharing, when they differ from headline and standfirst. */
  seoTitle?: string | null;
  seoDescription?: string | null;
}

export type CorrectionKind = 'correction' | 'clarification' | 'update';
export const CORRECTION_KINDS: readonly CorrectionKind[] = ['correction', 'clarification', 'update'];
export const CORRECTION_LABELS: Record<CorrectionKind, string> = { correction: 'Correction', clarification: 'Clarification', update: 'Update' };

/** One entry of a story's corrections log, as readers see it. */
export interface Correction {
  id: number;
  kind: CorrectionKind;
  note: string;
  /** ISO time it was published (an edit of its wording does not move it). */
  at: string;
  /** ISO time its wording was last fixed, if ever. */
  editedAt: string | null;
}

/** A correction on the site-wide /corrections page and its feeds: the entry and the story it belongs to. */
export interface SiteCorrection extends Correction {
  article: { id: number; headline: string; path: string };
}

/** Surrogate key of the site-wide /corrections page and its feeds, purged with every new or edited correction. */
export const CORRECTIONS_KEY = 'corrections';

/** Where an entry lives on its story's page. */
export function correctionAnchor(id: number): string {
  return `correction-${id}`;
}

/** "3 Dec 2026" in UTC: the date a correction carries, the same on every server and for every reader. */
export function correctionDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
  totalPages: number;
}

export interface BreakingNews {
  text: string;
  path: string | null;
  /** ISO time after which the strip is no longer shown, or null for no expiry. */
  expiresAt: string | null;
}

export interface SpecialCoverage {
  tag: TagProfile;
  articles: ArticleSummary[];
}

/** URL builders: the one place that knows the site's URL shapes. */
export const paths = {
  home: () => '/',
  section: (slug: string) => `/${slug}`,
  article: (sectionSlug: string, id: number, slug: string) => `/${sectionSlug}/${id}-${slug}`,
  tag: (slug: string) => `/tag/${slug}`,
  author: (slug: string) => `/author/${slug}`,
  favorite: (id: number) => `/favorites/${id}`,
  corrections: () => '/corrections',
  sitePage: (slug: string) => `/${slug}`,
  /** A page's feeds sit under its path: /feed.xml, /africa/atom.xml, /tag/water/feed.json. */
  feed: feedPath,
};

/** Path segments that can never be section slugs because the site uses them. */
export const RESERVED_SLUGS = new Set([
  'api', 'assets', 'media', 'tag', 'tags', 'author', 'authors', 'healthz', 'readyz', 'search', 'favorites',
  'signin', 'signout', 'signup', 'account', 'newsroom', 'admin', 'feed', 'feed.xml', 'sitemap.xml', 'robots.txt',
  'static', 'favicon.ico', 'me', 'login', 'logout', 'sitemaps', 'logo.png', 'articles', 'comments', 'reset', 'atom.xml', 'feed.json',
  'corrections', 'about', 'contact', 'corrections-policy', 'privacy', 'terms', 'home',
]);

export const SLUG_PATTERN = '^[a-z0-9]+(?:-[a-z0-9]+)*$';

/** Makes a readable URL slug from a headline: "Rains return, at last!" -> "rains-return-at-last". */
export function slugify(text: string, maxLength = 80): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= maxLength) return slug || 'story';
  const cut = slug.slice(0, maxLength);
  return cut.slice(0, cut.lastIndexOf('-') > 20 ? cut.lastIndexOf('-') : maxLength).replace(/-+$/, '');
}
