import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { MAX_ID } from '../platform/input.js';

type Conn = Kysely<Database> | Transaction<Database>;

/**
 * Listings for sitemaps: everything public, in stable pages. Pages are ranges
 * of ids (bucket k holds ids k*size+1 … (k+1)*size), so a story never moves
 * from one sitemap page to another as others are published or withdrawn.
 * The last page's range stops at MAX_ID (PostgreSQL would refuse a bound past it).
 */
const lastmod = sql<string>`max(coalesce(articles.updated_at, articles.published_at))`;

export const sitemapStore = {
  /** Non-empty buckets of published stories, with the newest change in each. */
  storyBuckets(db: Conn, now: string, size: number) {
    const bucket = sql<number>`(articles.id - 1) / ${sql.lit(size)}`;
    return db
      .selectFrom('articles')
      .select([bucket.as('bucket'), lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
  },

  storiesIn(db: Conn, now: string, bucket: number, size: number) {
    return db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select([
        'articles.id', 'articles.slug', 'sections.slug as section', 'articles.published_at', 'articles.updated_at',
        'articles.hero_image_url', 'articles.headline',
      ])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .where('articles.id', '>', bucket * size)
      .where('articles.id', '<=', Math.min((bucket + 1) * size, MAX_ID))
      .orderBy('articles.id')
      .execute();
  },

  /** Newest change among each section's own published stories. */
  sectionLastmods(db: Conn, now: string) {
    return db
      .selectFrom('articles')
      .select(['articles.section_id', lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .groupBy('articles.section_id')
      .execute();
  },

  /** Tags with at least one published story, by bucket of tag id. */
  tagBuckets(db: Conn, now: string, size: number) {
    const bucket = sql<number>`(tags.id - 1) / ${sql.lit(size)}`;
    return db
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .innerJoin('articles', 'articles.id', 'article_tags.article_id')
      .select([bucket.as('bucket'), lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
  },

  tagsIn(db: Conn, now: string, bucket: number, size: number) {
    return db
      .selectFrom('tags')
      .innerJoin('article_tags', 'article_tags.tag_id', 'tags.id')
      .innerJoin('articles', 'articles.id', 'article_tags.article_id')
      .select(['tags.id', 'tags.slug', lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .where('tags.id', '>', bucket * size)
      .where('tags.id', '<=', Math.min((bucket + 1) * size, MAX_ID))
      .groupBy(['tags.id', 'tags.slug'])
      .orderBy('tags.id')
      .execute();
  },

  /** Authors with at least one published story, by bucket of author id. */
  authorBuckets(db: Conn, now: string, size: number) {
    const bucket = sql<number>`(authors.id - 1) / ${sql.lit(size)}`;
    return db
      .selectFrom('authors')
      .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select([bucket.as('bucket'), lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .groupBy(bucket)
      .orderBy(bucket)
      .execute();
  },

  authorsIn(db: Conn, now: string, bucket: number, size: number) {
    return db
      .selectFrom('authors')
      .innerJoin('article_authors', 'article_authors.author_id', 'authors.id')
      .innerJoin('articles', 'articles.id', 'article_authors.article_id')
      .select(['authors.id', 'authors.slug', lastmod.as('lastmod')])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .where('authors.id', '>', bucket * size)
      .where('authors.id', '<=', Math.min((bucket + 1) * size, MAX_ID))
      .groupBy(['authors.id', 'authors.slug'])
      .orderBy('authors.id')
      .execute();
  },

  /** Stories first published since `since`, newest first (for a Google News sitemap). */
  publishedSince(db: Conn, since: string, now: string, limit: number) {
    return db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select([
        'articles.id', 'articles.slug', 'sections.slug as section', 'articles.headline', 'articles.language',
        'articles.published_at', 'articles.updated_at',
      ])
      .where('articles.status', '=', 'published')
      .where('articles.published_at', '<=', now)
      .where('articles.published_at', '>=', since)
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .execute();
  },
};
