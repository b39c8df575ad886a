import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleRow, Author, CommentsMode, Database, NewArticleRow, Tag } from '../platform/db/types.js';
import { candidatesOf, RELATED_CANDIDATES_PER_TAG, type RelatedCandidates } from './related.model.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface PublishedFilter {
  /** Stories in any of these sections. */
  sectionIds?: number[];
  tagId?: number;
  authorId?: number;
  /** Leave out these ids (e.g. the lead story). */
  excludeIds?: number[];
  /** Only these ids (e.g. a reader's favorites). */
  ids?: number[];
}

/** Columns a story card needs; the body stays in the database until the article page. */
const SUMMARY_COLUMNS = [
  'articles.id', 'articles.slug', 'articles.headline', 'articles.standfirst', 'articles.section_id',
  'articles.credit_line', 'articles.hero_image_url', 'articles.hero_image_alt', 'articles.hero_caption',
  'articles.hero_credit', 'articles.language', 'articles.published_at', 'articles.updated_at',
  'articles.comment_count', 'articles.status',
] as const;

/** The newsroom's own columns (schedule, SEO, owner) are not part of a story card. */
type NewsroomColumns = 'scheduled_at' | 'seo_title' | 'seo_description' | 'created_by' | 'modified_by';
export type ArticleSummaryRow = Omit<ArticleRow, 'body' | 'created_at' | 'modified_at' | 'comments_mode' | 'translation_group' | NewsroomColumns>;

/** Public stories (time come), or `embargoed` ones: published, their time still ahead. */
function publishedQuery(db: Conn, filter: PublishedFilter, now: string, which: 'public' | 'embargoed' = 'public') {
  let q = db
    .selectFrom('articles')
    .where('articles.status', '=', 'published')
    .where('articles.published_at', which === 'public' ? '<=' : '>', now);
  if (filter.sectionIds) q = q.where('articles.section_id', 'in', filter.sectionIds.length ? filter.sectionIds : [-1]);
  if (filter.tagId !== undefined) {
    const tagId = filter.tagId;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('article_tags').select('article_tags.article_id').whereRef('article_tags.article_id', '=', 'articles.id').where('article_tags.tag_id', '=', tagId)),
    );
  }
  if (filter.authorId !== undefined) {
    const authorId = filter.authorId;
    q = q.where((eb) =>
      eb.exists(eb.selectFrom('article_authors').select('article_authors.article_id').whereRef('article_authors.article_id', '=', 'articles.id').where('article_authors.author_id', '=', authorId)),
    );
  }
  if (filter.excludeIds?.length) q = q.where('articles.id', 'not in', filter.excludeIds);
  if (filter.ids) q = q.where('articles.id', 'in', filter.ids.length ? filter.ids : [-1]);
  return q;
}

/** Which kept count answers for `filter`: the whole site (every section's), a section's, a tag's or an author's; null for any other filter. */
function countedScope(filter: PublishedFilter): { kind: 'section' | 'tag' | 'author'; ids?: number[] } | null {
  if (filter.excludeIds?.length || filter.ids) return null;
  const scopes = [
    filter.sectionIds && { kind: 'section' as const, ids: filter.sectionIds },
    filter.tagId !== undefined && { kind: 'tag' as const, ids: [filter.tagId] },
    filter.authorId !== undefined && { kind: 'author' as const, ids: [filter.authorId] },
  ].filter((x) => !!x);
  if (scopes.length > 1) return null;
  return scopes[0] ?? { kind: 'section' };
}

/** What the discussion needs to know of a story. */
export interface ArticleForComments {
  id: number;
  status: string;
  published_at: string | null;
  comments_mode: CommentsMode | null;
  comment_count: number;
  headline: string;
  slug: string;
  section_slug: string;
}

export const articleStore = {
  articleForComments(db: Conn, articleId: number): Promise<ArticleForComments | undefined> {
    return db
      .selectFrom('articles as a')
      .innerJoin('sections as s', 's.id', 'a.section_id')
      .select(['a.id', 'a.status', 'a.published_at', 'a.comments_mode', 'a.comment_count', 'a.headline', 'a.slug', 's.slug as section_slug'])
      .where('a.id', '=', articleId)
      .executeTakeFirst();
  },

  setCommentsMode(db: Conn, articleId: number, mode: CommentsMode | null) {
    return db.updateTable('articles').set({ comments_mode: mode }).where('id', '=', articleId).executeTakeFirst();
  },

  /**
   * Takes the story row's write lock until the transaction ends (a no-op update: PostgreSQL
   * locks the row, FOR NO KEY UPDATE strength, so comment inserts referencing it are not
   * blocked; SQLite has one writer at a time anyway, and knows no SELECT ... FOR UPDATE).
   */
  lockForCommentCount(db: Conn, articleId: number) {
    return db.updateTable('articles').set((eb) => ({ comment_count: eb.ref('comment_count') })).where('id', '=', articleId).execute();
  },

  setCommentCount(db: Conn, articleId: number, n: number) {
    return db.updateTable('articles').set({ comment_count: n }).where('id', '=', articleId).execute();
  },

  /** Published stories, newest first. */
  listPublished(db: Conn, filter: PublishedFilter, now: string, limit: number, offset = 0): Promise<ArticleSummaryRow[]> {
    return publishedQuery(db, filter, now)
      .select([...SUMMARY_COLUMNS])
      .orderBy('articles.published_at', 'desc')
      .orderBy('articles.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  },

  /**
   * How many public stories match. The site, a section, a tag or an author is
   * read from `published_counts` (kept by triggers), less its embargoed stories
   * (a walk over the few whose time is ahead); counting every matching story
   * instead cost 50-88 ms at 100,000 stories on PostgreSQL. Other filters count.
   */
  async countPublished(db: Conn, filter: PublishedFilter, now: string): Promise<number> {
    const scope = countedScope(filter);
    if (!scope) {
      const row = await publishedQuery(db, filter, now)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    const row = await db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('published_counts')
          .select((c) => c.fn.coalesce(c.fn.sum<number | string>('published'), c.lit(0)).as('n'))
          .where('kind', '=', scope.kind)
          .$if(scope.ids !== undefined, (q) => q.where('ref_id', 'in', scope.ids!.length ? scope.ids! : [-1]))
          .as('counted'),
        publishedQuery(db, filter, now, 'embargoed').select((c) => c.fn.countAll<number | string>().as('n')).as('embargoed'),
      ])
      .executeTakeFirstOrThrow();
    return Number(row.counted ?? 0) - Number(row.embargoed ?? 0);
  },

  byId(db: Conn, id: number): Promise<ArticleRow | undefined> {
    return db.selectFrom('articles').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /**
   * Stories sharing a tag or the section with `articleId`, most shared tags
   * first, then newest; among each tag's newest stories.
   */
  async related(db: Conn, articleId: number, tagIds: number[], sectionId: number, now: string, limit: number): Promise<ArticleSummaryRow[]> {
    // Rank candidate ids on the narrow join first; fetch the few winners' columns after. The
    // candidates are each tag's newest stories (walked down the (tag_id, article_id) index), so
    // the cost stays flat however many stories a tag has gathered over the years.
    const perTag = tagIds.map(
      (tagId) => sql`select * from (
        select "article_tags"."article_id" as "id", "articles"."published_at" as "published_at"
        from "article_tags" inner join "articles" on "articles"."id" = "article_tags"."article_id"
        where "article_tags"."tag_id" = ${tagId} and "articles"."id" <> ${articleId}
          and "articles"."status" = 'published' and "articles"."published_at" <= ${now}
        order by "article_tags"."article_id" desc limit ${RELATED_CANDIDATES_PER_TAG}) as "t"`,
    );
    const ranked = tagIds.length
      ? (
          await sql<{ id: number; published_at: string; shared: number | string }>`
            select "c"."id", max("c"."published_at") as "published_at", count(*) as "shared"
            from (${sql.join(perTag, sql` union all `)}) as "c"
            group by "c"."id"
            order by "shared" desc, "published_at" desc
            limit ${limit}`.execute(db)
        ).rows
      : [];
    const found = ranked.length ? await this.listPublished(db, { ids: ranked.map((r) => r.id) }, now, limit) : [];
    const rows: ArticleSummaryRow[] = ranked.map((r) => found.find((f) => f.id === r.id)).filter((r): r is ArticleSummaryRow => !!r);
    if (rows.length < limit) {
      const more = await this.listPublished(db, { sectionIds: [sectionId], excludeIds: [articleId, ...rows.map((r) => r.id)] }, now, limit - rows.length);
      rows.push(...more);
    }
    return rows;
  },

  /** Every public story's tags, publication time and section: the related stories of many pages ranked in memory (related.model.ts). */
  async relatedCandidates(db: Conn, now: string): Promise<RelatedCandidates> {
    const [stories, tags] = await Promise.all([
      db.selectFrom('articles').select(['id', 'published_at', 'section_id']).where('status', '=', 'published').where('published_at', '<=', now).execute(),
      db
        .selectFrom('article_tags')
        .innerJoin('articles', 'articles.id', 'article_tags.article_id')
        .select(['article_tags.article_id', 'article_tags.tag_id'])
        .where('articles.status', '=', 'published')
        .where('articles.published_at', '<=', now)
        .execute(),
    ]);
    return candidatesOf(
      stories.map((s) => ({ id: s.id, publishedAt: s.published_at!, sectionId: s.section_id })),
      tags.map((t) => ({ articleId: t.article_id, tagId: t.tag_id })),
    );
  },

  async tagsFor(db: Conn, articleIds: number[]): Promise<Map<number, Tag[]>> {
    const map = new Map<number, Tag[]>();
    if (!articleIds.length) return map;
    const rows = await db
      .selectFrom('article_tags')
      .innerJoin('tags', 'tags.id', 'article_tags.tag_id')
      .where('article_tags.article_id', 'in', articleIds)
      .select(['article_tags.article_id', 'tags.id', 'tags.slug', 'tags.name', 'tags.description', 'tags.special_coverage', 'tags.created_at'])
      .orderBy('article_tags.position')
      .execute();
    for (const { article_id, ...tag } of rows) map.set(article_id, [...(map.get(article_id) ?? []), tag]);
    return map;
  },

  async authorsFor(db: Conn, articleIds: number[]): Promise<Map<number, Author[]>> {
    const map = new Map<number, Author[]>();
    if (!articleIds.length) return map;
    const rows = await db
      .selectFrom('article_authors')
      .innerJoin('authors', 'authors.id', 'article_authors.author_id')
      .where('article_authors.article_id', 'in', articleIds)
      .select(['article_authors.article_id', 'authors.id', 'authors.slug', 'authors.name', 'authors.bio', 'authors.photo_url', 'authors.created_at'])
      .orderBy('article_authors.position')
      .execute();
    for (const { article_id, ...author } of rows) map.set(article_id, [...(map.get(article_id) ?? []), author]);
    return map;
  },

  async insert(db: Conn, article: NewArticleRow, tagIds: number[], authorIds: number[]): Promise<number> {
    const { id } = await db.insertInto('articles').values(article).returning('id').executeTakeFirstOrThrow();
    if (tagIds.length) {
      await db.insertInto('article_tags').values(tagIds.map((tag_id, position) => ({ article_id: id, tag_id, position }))).execute();
    }
    if (authorIds.length) {
      await db.insertInto('article_authors').values(authorIds.map((author_id, position) => ({ article_id: id, author_id, position }))).execute();
    }
    return id;
  },

  /** Whole rows (body included) of the published stories among `ids`, newest first. */
  publishedByIds(db: Conn, ids: number[], now: string): Promise<ArticleRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('articles')
      .selectAll()
      .where('id', 'in', ids)
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .orderBy('published_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
  },

  /** The published members of these translation groups: one story in its several languages. */
  translations(db: Conn, groups: string[], now: string) {
    if (!groups.length) return Promise.resolve([]);
    return db
      .selectFrom('articles')
      .select(['id', 'slug', 'section_id', 'language', 'translation_group'])
      .where('translation_group', 'in', groups)
      .where('status', '=', 'published')
      .where('published_at', '<=', now)
      .orderBy('language')
      .orderBy('id')
      .execute();
  },

  async count(db: Conn): Promise<number> {
    const row = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  },
};
