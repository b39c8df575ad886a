/**
 * What search engines are told exists: every public page that lists or tells
 * a story, with when it last changed, in stable pages (see sitemap.store.ts).
 * Paths are site-relative; the feeds domain writes the XML.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { MAX_ID } from '../platform/input.js';
import { sectionStore } from './section.store.js';
import { sitemapStore } from './sitemap.store.js';
import { paths } from './content.model.js';
import { safeUrl } from '../web/urls.js';
import { sitePageStore } from './site-page.store.js';
import { SITE_PAGE_SLUGS } from './site-pages.js';

export type SitemapKind = 'stories' | 'sections' | 'tags' | 'authors';
export const SITEMAP_KINDS: SitemapKind[] = ['stories', 'sections', 'tags', 'authors'];

/** Entries per sitemap page (the protocol allows 50,000; smaller pages render and fetch faster). */
export const SITEMAP_PAGE_SIZE = 10_000;

export interface SitemapPageRef {
  kind: SitemapKind;
  /** 1-based. */
  page: number;
  lastmod: string | null;
}

export interface SitemapEntry {
  path: string;
  lastmod: string | null;
  /** The story's picture (site-relative or absolute URL), for the image extension. */
  image?: { url: string; title: string };
}

export interface NewsEntry {
  path: string;
  headline: string;
  language: string;
  publishedAt: string;
  lastmod: string;
}

export type SitemapService = ReturnType<typeof createSitemapService>;

export function createSitemapService({ db, now = () => new Date(), pageSize = SITEMAP_PAGE_SIZE }: { db: Kysely<Database>; now?: () => Date; pageSize?: number }) {
  const nowIso = () => now().toISOString();

  async function sectionEntries(): Promise<SitemapEntry[]> {
    const [sections, lastmods, pages] = await Promise.all([sectionStore.all(db), sitemapStore.sectionLastmods(db, nowIso()), sitePageStore.all(db)]);
    const own = new Map(lastmods.map((r) => [r.section_id, r.lastmod]));
    const newest = (...values: Array<string | null | undefined>) => values.filter((v): v is string => !!v).sort().pop() ?? null;
    // A section page lists its subsections' stories too.
    const entries = sections.map((s) => ({
      path: paths.section(s.slug),
      lastmod: newest(own.get(s.id), ...sections.filter((c) => c.parent_id === s.id).map((c) => own.get(c.id))),
    }));
    // The organisation's pages (About, Contact…) sit with the site's other fixed pages.
    const saved = new Map(pages.map((p) => [p.slug, p.updated_at]));
    const orgPages = SITE_PAGE_SLUGS.map((slug) => ({ path: paths.sitePage(slug), lastmod: saved.get(slug) ?? null }));
    return [{ path: paths.home(), lastmod: newest(...lastmods.map((r) => r.lastmod)) }, ...entries, ...orgPages];
  }

  return {
    /** Every non-empty sitemap page, in order: stories, sections (with the home page), tags, authors. */
    async pages(): Promise<SitemapPageRef[]> {
      const t = nowIso();
      const [stories, tags, authors, sections] = await Promise.all([
        sitemapStore.storyBuckets(db, t, pageSize),
        sitemapStore.tagBuckets(db, t, pageSize),
        sitemapStore.authorBuckets(db, t, pageSize),
        sectionEntries(),
      ]);
      const refs = (kind: SitemapKind, rows: Array<{ bucket: number; lastmod: string }>) =>
        rows.map((r) => ({ kind, page: Number(r.bucket) + 1, lastmod: r.lastmod }));
      return [
        ...refs('stories', stories),
        { kind: 'sections', page: 1, lastmod: sections[0]?.lastmod ?? null },
        ...refs('tags', tags),
        ...refs('authors', authors),
      ];
    },

    /** One sitemap page's entries; null when there is no such page. */
    async entries(kind: SitemapKind, page: number): Promise<SitemapEntry[] | null> {
      // A page past the last one ids can fill is empty (and its bounds would overflow PostgreSQL's integer).
      if (!Number.isInteger(page) || page < 1 || (page - 1) * pageSize >= MAX_ID) return null;
      const t = nowIso();
      const bucket = page - 1;
      let entries: SitemapEntry[];
      if (kind === 'sections') {
        if (page !== 1) return null;
        return sectionEntries();
      } else if (kind === 'stories') {
        const rows = await sitemapStore.storiesIn(db, t, bucket, pageSize);
        entries = rows.map((r) => ({
          path: paths.article(r.section, r.id, r.slug),
          lastmod: r.updated_at ?? r.published_at,
          ...(safeUrl(r.hero_image_url) ? { image: { url: safeUrl(r.hero_image_url)!, title: r.headline } } : {}),
        }));
      } else if (kind === 'tags') {
        entries = (await sitemapStore.tagsIn(db, t, bucket, pageSize)).map((r) => ({ path: paths.tag(r.slug), lastmod: r.lastmod }));
      } else {
        entries = (await sitemapStore.authorsIn(db, t, bucket, pageSize)).map((r) => ({ path: paths.author(r.slug), lastmod: r.lastmod }));
      }
      return entries.length ? entries : null;
    },

    /** Stories published in the last `hours` (Google News wants two days, at most 1,000). */
    async news(hours = 48, limit = 1000): Promise<NewsEntry[]> {
      const since = new Date(now().getTime() - hours * 3600_000).toISOString();
      const rows = await sitemapStore.publishedSince(db, since, nowIso(), limit);
      return rows.map((r) => ({
        path: paths.article(r.section, r.id, r.slug),
        headline: r.headline,
        language: r.language,
        publishedAt: r.published_at!,
        lastmod: r.updated_at ?? r.published_at!,
      }));
    },
  };
}
