import type { Kysely } from 'kysely';
import type { ArticleRow, Author, Database, Section, SlugKind, Tag } from '../platform/db/types.js';
import { articleStore, type ArticleSummaryRow, type PublishedFilter } from './article.store.js';
import { sectionStore } from './section.store.js';
import { tagStore } from './tag.store.js';
import { authorStore } from './author.store.js';
import { bodyImageSrcs, bodyText, readStoredBody, renderBody } from './body.js';
import { safeUrl } from '../web/urls.js';
import { settingsStore } from './settings.store.js';
import { redirectStore } from './redirect.store.js';
import { correctionStore, type CorrectionRow } from './correction.store.js';
import { articlePageStore, type PageWrite } from './article-page.store.js';
import type { ArticleForComments } from './article.store.js';
import { rankRelated, type RelatedCandidates } from './related.model.js';
import { NotFoundError } from '../platform/errors.js';
import { frontStore } from './front.store.js';
import { HOME_FRONT, HOME_STORIES, sectionFront, type LiveLayout } from './front.model.js';
import type { LibraryImage } from '../media/srcset.js';
import {
  ARTICLE_IMAGE_SIZES, paths, type Article, type Correction, type SiteCorrection, type ArticleSummary, type AuthorProfile, type AuthorRef, type BreakingNews, type ImageSources, type Page,
  type SectionNode, type SectionRef, type SpecialCoverage, type TagProfile, type TagRef,
} from './content.model.js';

export interface ContentDeps {
  db: Kysely<Database>;
  now?: () => Date;
  /** Which image URLs are media-library images, with their srcset and size (the media service answers). */
  libraryImages: (urls: Iterable<string | null | undefined>) => Promise<Map<string, LibraryImage>>;
}

export interface ListQuery {
  section?: string;
  tag?: string;
  author?: string;
  page: number;
  pageSize: number;
}

/** Related stories an article page shows. */
export const RELATED_SHOWN = 4;

/** An article page's data from the read model: the story, its related stories and the running story it belongs to. */
export interface ArticlePageData {
  article: Article;
  related: ArticleSummary[];
  specialCoverage: SpecialCoverage | null;
  /** What the discussion needs of the story, read with the page (so the comments domain need not read it again). */
  forComments: ArticleForComments;
  /** The story has live coverage (running or ended): the route reads its stream. */
  live: boolean;
}

/** A published story as the article page needs it, plus what routing needs to check its URL. */
export interface ArticleView {
  article: Article;
  tagIds: number[];
  sectionId: number;
}

export type ContentService = ReturnType<typeof createContentService>;

export function createContentService({ db, now = () => new Date(), libraryImages }: ContentDeps) {
  const nowIso = () => now().toISOString();

  type SectionIndex = ReturnType<typeof indexOf>;
  /**
   * The sections change a few times a year and every page shows them: read once
   * per change, not per page. `forget` drops this (and the other memos below)
   * when a purge names `chrome` or `sections`, in every process (the purge bus).
   */
  let sections: Promise<SectionIndex> | null = null;
  async function sectionIndex(covering: Iterable<number> = []): Promise<SectionIndex> {
    if (sections) {
      const idx = await sections;
      // A section this process has not heard of (made by another process, or written directly): the memo is behind.
      for (const id of covering) {
        if (!idx.byId.has(id)) {
          sections = null;
          return sectionIndex();
        }
      }
      return idx;
    }
    const p = sectionStore.all(db).then(indexOf);
    sections = p;
    // A failed read is not kept: the next page asks again.
    p.catch(() => {
      if (sections === p) sections = null;
    });
    return p;
  }

  function indexOf(rows: Section[]) {
    const byId = new Map(rows.map((s) => [s.id, s]));
    const ref = (s: Section): SectionRef => {
      const parent = s.parent_id ? byId.get(s.parent_id) : undefined;
      return {
        id: s.id, slug: s.slug, name: s.name, description: s.description, icon: s.icon, path: paths.section(s.slug),
        parent: parent ? { slug: parent.slug, name: parent.name, path: paths.section(parent.slug) } : null,
      };
    };
    const node = (s: Section): SectionNode => ({
      ...ref(s),
      position: s.position,
      children: rows.filter((c) => c.parent_id === s.id).map(ref),
    });
    const tree = rows.filter((r) => r.parent_id === null).map(node);
    return { rows, byId, ref, node, tree };
  }

  /** The breaking strip as stored (its expiry is checked at every read), read once per change. */
  let breakingSetting: Promise<BreakingNews | null> | null = null;
  function storedBreaking(): Promise<BreakingNews | null> {
    if (breakingSetting) return breakingSetting;
    const p = settingsStore.getJson<BreakingNews>(db, 'breaking');
    breakingSetting = p;
    p.catch(() => {
      if (breakingSetting === p) breakingSetting = null;
    });
    return p;
  }

  /** Special coverage of a tag (its newest stories), by tag slug, read once per change of the tag's stories. */
  const coverage = new Map<string, Promise<SpecialCoverage | null>>();
  function coverageOfTag(slug: string): Promise<SpecialCoverage | null> {
    const known = coverage.get(slug);
    if (known) return known;
    const p = tagStore.bySlug(db, slug).then((tag) => (tag ? coverageFor(tag, RELATED_SHOWN) : null));
    coverage.set(slug, p);
    p.catch(() => {
      if (coverage.get(slug) === p) coverage.delete(slug);
    });
    return p;
  }

  /**
   * Gives the heroes of `stories` that are media-library images their
   * variants (srcset) and size, in place: one query for all of them. The
   * stories must be freshly built ones.
   */
  async function resolveHeroes(stories: ArticleSummary[]): Promise<void> {
    const images = await libraryImages(stories.map((s) => s.hero?.url));
    for (const s of stories) {
      if (s.hero) s.hero = withSources(s.hero, images, ARTICLE_IMAGE_SIZES.hero);
    }
  }

  /**
   * Cards of stories, their library heroes resolved in one query; `heroes:
   * false` where the caller resolves them (with other lists) or shows none.
   */
  async function summaries(rows: ArticleSummaryRow[], index?: Awaited<ReturnType<typeof sectionIndex>>, { heroes = true } = {}): Promise<ArticleSummary[]> {
    if (!rows.length) return [];
    const idx = index ?? (await sectionIndex(rows.map((r) => r.section_id)));
    const authors = await articleStore.authorsFor(db, rows.map((r) => r.id));
    const items = rows.map((r) => toSummary(r, idx.ref(idx.byId.get(r.section_id)!), authors.get(r.id) ?? []));
    if (heroes) await resolveHeroes(items);
    return items;
  }

  async function page(filter: PublishedFilter, pageNo: number, pageSize: number): Promise<Page<ArticleSummary>> {
    const [rows, total] = await Promise.all([
      articleStore.listPublished(db, filter, nowIso(), pageSize, (pageNo - 1) * pageSize),
      articleStore.countPublished(db, filter, nowIso()),
    ]);
    return { items: await summaries(rows), page: pageNo, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
  }

  /** What an editor arranged on a front and made live, if anything. */
  async function liveLayout(front: string): Promise<LiveLayout | null> {
    const layout = await frontStore.live(db, front);
    return layout ? { articleIds: layout.articleIds, latestCount: layout.latest_count } : null;
  }

  /**
   * A front's stories in order: the layout's stories that are public now, in
   * their slots (one taken down leaves its slot and the ones after it move
   * up), then the newest of `filter` not already shown.
   */
  async function arrangedRows(layout: LiveLayout, filter: PublishedFilter): Promise<ArticleSummaryRow[]> {
    const ids = layout.articleIds;
    const pinned = ids.length ? await articleStore.listPublished(db, { ids }, nowIso(), ids.length) : [];
    const byId = new Map(pinned.map((r) => [r.id, r]));
    const arranged = ids.flatMap((id) => byId.get(id) ?? []);
    const newest = layout.latestCount > 0 ? await articleStore.listPublished(db, { ...filter, excludeIds: ids }, nowIso(), layout.latestCount) : [];
    return [...arranged, ...newest];
  }

  /** A section's stories include those of its subsections. */
  function sectionIdsOf(section: Section, rows: Section[]): number[] {
    return [section.id, ...rows.filter((s) => s.parent_id === section.id).map((s) => s.id)];
  }

  /** Special coverage lists headlines only: its stories' heroes are not resolved. */
  async function coverageFor(tag: Tag, limit: number): Promise<SpecialCoverage> {
    const rows = await articleStore.listPublished(db, { tagId: tag.id }, nowIso(), limit);
    return { tag: toTagProfile(tag), articles: await summaries(rows, undefined, { heroes: false }) };
  }

  /**
   * Whole stories (body, tags, translations) from their rows, in the rows'
   * order. With `images` (pages, the API), library images in heroes and
   * bodies are resolved, all in one query; feeds go without, as their HTML
   * carries absolute URLs only: with `baseUrl`, the body links and shows
   * site paths as absolute URLs.
   */
  async function fullArticles(
    rows: ArticleRow[], index?: Awaited<ReturnType<typeof sectionIndex>>, { images = true, baseUrl }: { images?: boolean; baseUrl?: string } = {},
  ): Promise<Article[]> {
    if (!rows.length) return [];
    const idx = index ?? (await sectionIndex(rows.map((r) => r.section_id)));
    const ids = rows.map((r) => r.id);
    const groups = [...new Set(rows.map((r) => r.translation_group).filter((g): g is string => !!g))];
    const docs = rows.map((row) => readStoredBody(row.body));
    const [tags, authors, versions, library, corrections] = await Promise.all([
      articleStore.tagsFor(db, ids), articleStore.authorsFor(db, ids), articleStore.translations(db, groups, nowIso()),
      images ? libraryImages([...rows.map((r) => r.hero_image_url), ...docs.flatMap(bodyImageSrcs)]) : new Map<string, LibraryImage>(),
      correctionStore.forArticles(db, ids),
    ]);
    const bodyImages = new Map([...library].map(([url, image]) => [url, { ...image, sizes: ARTICLE_IMAGE_SIZES.body }]));
    return rows.map((row, i) => {
      const doc = docs[i]!;
      const text = bodyText(doc);
      const siblings = row.translation_group ? versions.filter((v) => v.translation_group === row.translation_group) : [];
      const summary = toSummary(row, idx.ref(idx.byId.get(row.section_id)!), authors.get(row.id) ?? []);
      const article: Article = {
        ...summary,
        hero: summary.hero && withSources(summary.hero, library, ARTICLE_IMAGE_SIZES.hero),
        bodyHtml: renderBody(doc, { images: bodyImages, baseUrl }),
        tags: (tags.get(row.id) ?? []).map(toTagRef),
        wordCount: text ? text.split(/\s+/).length : 0,
        corrections: (corrections.get(row.id) ?? []).map(toCorrection),
        seoTitle: row.seo_title,
        seoDescription: row.seo_description,
      };
      // Only worth saying when the story really exists in another language.
      if (siblings.some((v) => v.id !== row.id && v.language !== row.language)) {
        article.translations = siblings.map((v) => ({ language: v.language, path: paths.article(idx.byId.get(v.section_id)!.slug, v.id, v.slug) }));
      }
      return article;
    });
  }

  /** Corrections of public stories, newest first, each with the story it belongs to. */
  async function latestCorrections(limit: number, offset = 0): Promise<SiteCorrection[]> {
    const rows = await correctionStore.listPublic(db, nowIso(), limit, offset);
    return rows.map((r) => ({ ...toCorrection(r), article: { id: r.article_id, headline: r.headline, path: paths.article(r.section, r.article_id, r.slug) } }));
  }

  // ---------------------------------------------------------------- the article page's read model

  /**
   * Builds and stores the pages of the public stories among `ids` (the others'
   * pages are dropped): the document, the card and the related list, from the
   * same code the page used to run per render. `related` ranks from candidates
   * held in memory (the filler's batches); without it each story asks the database.
   */
  async function buildPages(ids: number[], related?: RelatedCandidates): Promise<Map<number, { article: Article; relatedIds: number[] }>> {
    const out = new Map<number, { article: Article; relatedIds: number[] }>();
    if (!ids.length) return out;
    const at = nowIso();
    const rows = await articleStore.publishedByIds(db, ids, at);
    // Read fresh, not from the memo: a rename's purge may not have reached this process yet, and a page built now is kept.
    const idx = indexOf(await sectionStore.all(db));
    const articles = await fullArticles(rows, idx);
    const writes: PageWrite[] = [];
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const article = articles[i]!;
      const tagIds = article.tags.map((t) => t.id);
      const relatedIds = related
        ? rankRelated(related, row.id, tagIds, row.section_id, RELATED_SHOWN)
        : (await articleStore.related(db, row.id, tagIds, row.section_id, at, RELATED_SHOWN)).map((r) => r.id);
      writes.push({ articleId: row.id, doc: JSON.stringify(article), card: JSON.stringify(cardOf(article)), sourceModifiedAt: row.modified_at, relatedIds });
      out.set(row.id, { article, relatedIds });
    }
    const gone = ids.filter((id) => !out.has(id));
    await db.transaction().execute(async (trx) => {
      await articlePageStore.remove(trx, gone);
      await articlePageStore.save(trx, writes, at);
    });
    return out;
  }

  /** Recomputes the related lists of these pages (their documents stay). */
  async function refreshRelated(ids: number[]): Promise<void> {
    const at = nowIso();
    const rows = await articleStore.publishedByIds(db, ids, at);
    const tags = await articleStore.tagsFor(db, rows.map((r) => r.id));
    const lists: Array<{ articleId: number; relatedIds: number[] }> = [];
    for (const row of rows) {
      const tagIds = (tags.get(row.id) ?? []).map((t) => t.id);
      lists.push({ articleId: row.id, relatedIds: (await articleStore.related(db, row.id, tagIds, row.section_id, at, RELATED_SHOWN)).map((r) => r.id) });
    }
    await db.transaction().execute((trx) => articlePageStore.saveRelated(trx, lists));
  }

  /** The stories that share a translation group with `id` (itself left out). */
  async function translationSiblings(id: number): Promise<number[]> {
    const row = await articleStore.byId(db, id);
    if (!row?.translation_group) return [];
    return (await articleStore.translations(db, [row.translation_group], nowIso())).map((v) => v.id).filter((v) => v !== id);
  }

  let filling: Promise<number> | null = null;
  let fillStopped = false;

  /** Builds the pages of public stories that have none, a batch at a time, related stories ranked in memory. */
  async function fillMissingPages(batch = 500): Promise<number> {
    let built = 0;
    let candidates: RelatedCandidates | null = null;
    while (!fillStopped) {
      const ids = await articlePageStore.missing(db, nowIso(), batch);
      if (!ids.length) return built;
      candidates ??= await articleStore.relatedCandidates(db, nowIso());
      const done = await buildPages(ids, candidates);
      built += done.size;
      // Nothing built from a batch (all taken down meanwhile): their rows were dropped, the next batch moves on.
      if (!done.size && ids.length < batch) return built;
    }
    return built;
  }

  /**
   * Reads a story's page; a story without a row, or one whose row is behind it
   * (changed by another way than this service), is built now.
   */
  async function articlePage(id: number, rebuilt = false): Promise<ArticlePageData | null> {
    const rows = await articlePageStore.read(db, id, nowIso());
    const main = rows[0];
    if (!main || main.position !== -1) return null;
    if (!main.doc || main.source_modified_at !== main.modified_at) {
      if (rebuilt) throw new Error(`The page of story ${id} could not be built`);
      // Another process (or request) building the same page at once may win the insert (PostgreSQL
      // then refuses this one's): its row is as good as ours, so read again either way.
      await buildPages([id]).catch(() => {});
      return articlePage(id, true);
    }
    const article = JSON.parse(main.doc) as Article;
    article.commentCount = Number(main.comment_count);
    const related: ArticleSummary[] = [];
    const unbuilt: number[] = [];
    for (let i = 1; i < rows.length; i++) {
      const r = rows[i]!;
      if (!r.card || r.source_modified_at !== r.modified_at) {
        unbuilt.push(r.article_id);
        related.push({ id: r.article_id } as ArticleSummary); // a place kept, filled below
        continue;
      }
      const card = JSON.parse(r.card) as ArticleSummary;
      card.commentCount = Number(r.comment_count);
      related.push(card);
    }
    if (unbuilt.length) {
      // Until the filler reaches them, related stories without a row are read the old way.
      const fresh = await publishedSummariesOf(unbuilt);
      for (let i = 0; i < related.length; i++) {
        const r = related[i]!;
        if (unbuilt.includes(r.id)) related[i] = fresh.get(r.id)!;
      }
    }
    const tagRef = article.tags.find((t) => t.specialCoverage);
    const specialCoverage = tagRef ? await coverageOfTag(tagRef.slug) : null;
    const forComments: ArticleForComments = {
      id: article.id, status: 'published', published_at: article.publishedAt, comments_mode: main.comments_mode, comment_count: article.commentCount,
      headline: article.headline, slug: article.slug, section_slug: article.section.slug,
    };
    return { article, related: related.filter((r) => !!r), specialCoverage, forComments, live: Number(main.has_live) > 0 };
  }

  /**
   * Cards of the public stories among `ids`, newest first, from the read model (one query);
   * stories without a current row are read the old way.
   */
  async function publishedSummariesOf(ids: number[]): Promise<Map<number, ArticleSummary>> {
    const unique = [...new Set(ids)];
    if (!unique.length) return new Map();
    const rows = await articlePageStore.publishedCards(db, unique, nowIso());
    const cards = new Map<number, ArticleSummary>();
    for (const r of rows) {
      if (r.card && r.source_modified_at === r.modified_at) cards.set(r.id, { ...(JSON.parse(r.card) as ArticleSummary), commentCount: Number(r.comment_count) });
    }
    const unbuilt = rows.filter((r) => !cards.has(r.id)).map((r) => r.id);
    if (unbuilt.length) {
      const listed = await articleStore.listPublished(db, { ids: unbuilt }, nowIso(), unbuilt.length);
      for (const s of await summaries(listed)) cards.set(s.id, s);
    }
    // Newest first, as the stories were listed.
    return new Map(rows.flatMap((r) => (cards.has(r.id) ? [[r.id, cards.get(r.id)!] as const] : [])));
  }

  /** What a purge names that this service keeps in memory: dropped here, in every process. */
  function forget(keys: readonly string[]): void {
    for (const key of keys) {
      if (key === 'chrome' || key === 'sections') {
        sections = null;
        breakingSetting = null;
        coverage.clear();
      } else if (key === 'home' || key === 'articles' || key.startsWith('tag:')) {
        coverage.clear();
      }
    }
  }

  return {
    async sectionTree(): Promise<SectionNode[]> {
      return (await sectionIndex()).tree;
    },

    async section(slug: string): Promise<SectionNode | null> {
      const idx = await sectionIndex();
      const s = idx.rows.find((r) => r.slug === slug);
      return s ? idx.node(s) : null;
    },

    /**
     * A page of a section's stories. The first page follows the section
     * front's live layout when an editor arranged one (or `draft`, the
     * newsroom's preview); later pages are newest first, as before.
     */
    async sectionArticles(slug: string, pageNo: number, pageSize: number, { draft }: { draft?: LiveLayout } = {}): Promise<Page<ArticleSummary> | null> {
      const rows = await sectionStore.all(db);
      const s = rows.find((r) => r.slug === slug);
      if (!s) return null;
      const filter: PublishedFilter = { sectionIds: sectionIdsOf(s, rows) };
      const layout = pageNo === 1 ? (draft ?? (await liveLayout(sectionFront(s.id)))) : null;
      if (!layout) return page(filter, pageNo, pageSize);
      const [arranged, total] = await Promise.all([arrangedRows(layout, filter), articleStore.countPublished(db, filter, nowIso())]);
      return { items: await summaries(arranged), page: 1, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    /** The API's article list; an unknown filter slug is a NotFoundError naming it. */
    async listArticles(q: ListQuery): Promise<Page<ArticleSummary>> {
      const filter: PublishedFilter = {};
      if (q.section) {
        const rows = await sectionStore.all(db);
        const s = rows.find((r) => r.slug === q.section);
        if (!s) throw new NotFoundError(`No section "${q.section}"`);
        filter.sectionIds = sectionIdsOf(s, rows);
      }
      if (q.tag) {
        const t = await tagStore.bySlug(db, q.tag);
        if (!t) throw new NotFoundError(`No tag "${q.tag}"`);
        filter.tagId = t.id;
      }
      if (q.author) {
        const a = await authorStore.bySlug(db, q.author);
        if (!a) throw new NotFoundError(`No author "${q.author}"`);
        filter.authorId = a.id;
      }
      return page(filter, q.page, q.pageSize);
    },

    /** A published story by id, or null when there is none (or it is not public). */
    async article(id: number): Promise<ArticleView | null> {
      const row = await articleStore.byId(db, id);
      if (!row || row.status !== 'published' || !row.published_at || row.published_at > nowIso()) return null;
      const [article] = await fullArticles([row]);
      return { article: article!, tagIds: article!.tags.map((t) => t.id), sectionId: row.section_id };
    },

    /**
     * A story in any status, built exactly as its article page shows it, for
     * the newsroom's preview (the caller checks who may see it). A story not
     * yet published shows its scheduled time, or now, as its publication time.
     */
    async articlePreview(id: number): Promise<ArticleView | null> {
      const row = await articleStore.byId(db, id);
      if (!row) return null;
      const [article] = await fullArticles([{ ...row, published_at: row.published_at ?? row.scheduled_at ?? nowIso() }]);
      return { article: article!, tagIds: article!.tags.map((t) => t.id), sectionId: row.section_id };
    },

    /** The published stories among `ids`, by id; unknown, unpublished and embargoed ids are absent. */
    publishedSummaries: publishedSummariesOf,

    /**
     * A published story's page from the read model: one query (the story's
     * document, its related stories' cards, live comment counts), and the
     * special coverage it belongs to from memory. Null when it is not public.
     */
    articlePage: (id: number) => articlePage(id),

    /** Drops what this process keeps in memory that a purge of `keys` names (the purge bus calls it). */
    forget,

    /**
     * Keeps the read model current after a story's change (article events):
     * its page, its translations' pages, and the related lists that named it or
     * that it names (a new story joins the lists of the stories it is related to).
     */
    async storyChanged(id: number, kind: 'published' | 'updated' | 'unpublished'): Promise<void> {
      const siblings = await translationSiblings(id);
      const built = await buildPages([id, ...siblings]);
      const listing = await articlePageStore.listing(db, id);
      const neighbours = kind === 'published' ? built.get(id)?.relatedIds ?? [] : [];
      const refresh = [...new Set([...(kind === 'unpublished' ? listing : []), ...neighbours])].filter((x) => x !== id);
      if (refresh.length) await refreshRelated(refresh);
    },

    /** Drops the pages of these stories (a section, tag or author they show was renamed); they are rebuilt when read, or by the filler. */
    async pagesStale(ids: number[]): Promise<void> {
      await articlePageStore.remove(db, ids);
    },

    /** Builds every missing page (on start, in the background; the bench waits for it). Concurrent calls share one run. */
    fillMissingPages(): Promise<number> {
      fillStopped = false;
      filling ??= fillMissingPages().finally(() => {
        filling = null;
      });
      return filling;
    },

    /** Stops a filler run after its current batch (the app's close waits for it). */
    async stopFilling(): Promise<void> {
      fillStopped = true;
      await filling?.catch(() => {});
    },

    async related(view: ArticleView, limit = 4): Promise<ArticleSummary[]> {
      const rows = await articleStore.related(db, view.article.id, view.tagIds, view.sectionId, nowIso(), limit);
      return summaries(rows);
    },

    /** The running story this article belongs to, if any. */
    async specialCoverageFor(view: ArticleView): Promise<SpecialCoverage | null> {
      const tagRef = view.article.tags.find((t) => t.specialCoverage);
      if (!tagRef) return null;
      const tag = await tagStore.bySlug(db, tagRef.slug);
      return tag ? coverageFor(tag, 4) : null;
    },

    async tag(slug: string): Promise<TagProfile | null> {
      const t = await tagStore.bySlug(db, slug);
      return t ? toTagProfile(t) : null;
    },

    async tagArticles(slug: string, pageNo: number, pageSize: number): Promise<Page<ArticleSummary> | null> {
      const t = await tagStore.bySlug(db, slug);
      return t ? page({ tagId: t.id }, pageNo, pageSize) : null;
    },

    async author(slug: string): Promise<AuthorProfile | null> {
      const a = await authorStore.bySlug(db, slug);
      return a ? { ...toAuthorRef(a), bio: a.bio } : null;
    },

    async authorArticles(slug: string, pageNo: number, pageSize: number): Promise<Page<ArticleSummary> | null> {
      const a = await authorStore.bySlug(db, slug);
      return a ? page({ authorId: a.id }, pageNo, pageSize) : null;
    },

    /**
     * The newest whole stories (body, tags) of the site, a section (with its
     * subsections), a tag or an author, for feeds; null when the section, tag
     * or author does not exist. Their bodies link to site paths as absolute
     * URLs on `baseUrl` (the site's URL), for reading away from the site.
     */
    async latestArticles(scope: { section?: string; tag?: string; author?: string }, limit: number, { baseUrl }: { baseUrl: string }): Promise<Article[] | null> {
      const idx = await sectionIndex();
      const filter: PublishedFilter = {};
      if (scope.section) {
        const s = idx.rows.find((r) => r.slug === scope.section);
        if (!s) return null;
        filter.sectionIds = sectionIdsOf(s, idx.rows);
      }
      if (scope.tag) {
        const t = await tagStore.bySlug(db, scope.tag);
        if (!t) return null;
        filter.tagId = t.id;
      }
      if (scope.author) {
        const a = await authorStore.bySlug(db, scope.author);
        if (!a) return null;
        filter.authorId = a.id;
      }
      const listed = await articleStore.listPublished(db, filter, nowIso(), limit);
      return fullArticles(await articleStore.publishedByIds(db, listed.map((r) => r.id), nowIso()), idx, { images: false, baseUrl });
    },

    /** Corrections of the stories readers can see, newest first, a page at a time: the /corrections page. */
    async corrections(pageNo: number, pageSize: number): Promise<Page<SiteCorrection>> {
      const [items, total] = await Promise.all([latestCorrections(pageSize, (pageNo - 1) * pageSize), correctionStore.countPublic(db, nowIso())]);
      return { items, page: pageNo, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    /** The newest corrections of public stories (the /corrections feeds). */
    latestCorrections: (limit: number) => latestCorrections(limit),

    /** A site-wide setting stored as JSON (e.g. `feeds`), or null when unset or unreadable. */
    siteSetting<T>(key: string): Promise<T | null> {
      return settingsStore.getJson<T>(db, key);
    },

    /** Where a renamed section, tag or author lives now (its path), or null. */
    async movedTo(kind: SlugKind, oldSlug: string): Promise<string | null> {
      const slug = await redirectStore.currentSlug(db, kind, oldSlug);
      if (!slug) return null;
      return kind === 'section' ? paths.section(slug) : kind === 'tag' ? paths.tag(slug) : paths.author(slug);
    },

    async breaking(): Promise<BreakingNews | null> {
      const b = await storedBreaking();
      if (!b?.text) return null;
      if (b.expiresAt && b.expiresAt <= nowIso()) return null;
      // A link stored before it was checked is shown as plain text.
      return { ...b, path: safeUrl(b.path) };
    },

    /** The home page's lists: the live layout's (or `draft`, the newsroom's preview), or the newest stories when nothing is arranged. */
    async home({ draft }: { draft?: LiveLayout } = {}) {
      const idx = await sectionIndex();
      const layout = draft ?? (await liveLayout(HOME_FRONT));
      const latestRows = layout ? await arrangedRows(layout, {}) : await articleStore.listPublished(db, {}, nowIso(), HOME_STORIES);
      const latest = await summaries(latestRows, idx, { heroes: false });
      // The section blocks below repeat none of the top of the page, nor an arranged story.
      const shown = new Set([...latest.slice(0, 5).map((a) => a.id), ...(layout?.articleIds ?? [])]);
      const tops = idx.rows.filter((s) => s.parent_id === null);
      const sectionBlocks = await Promise.all(
        tops.map(async (s) => {
          const rows = await articleStore.listPublished(db, { sectionIds: sectionIdsOf(s, idx.rows), excludeIds: [...shown] }, nowIso(), 4);
          return { section: idx.ref(s), articles: await summaries(rows, idx, { heroes: false }) };
        }),
      );
      // The page's cards, from every list, in one query.
      await resolveHeroes([...latest, ...sectionBlocks.flatMap((b) => b.articles)]);
      const coverageTags = await tagStore.specialCoverage(db);
      const specialCoverage = (await Promise.all(coverageTags.map((t) => coverageFor(t, 4)))).filter((c) => c.articles.length > 0);
      return {
        lead: latest[0] ?? null,
        latest: latest.slice(1),
        sectionBlocks: sectionBlocks.filter((b) => b.articles.length > 0),
        specialCoverage,
      };
    },
  };
}

function toCorrection(r: CorrectionRow): Correction {
  return { id: r.id, kind: r.kind, note: r.note, at: r.created_at, editedAt: r.edited_at };
}

function toAuthorRef(a: Author): AuthorRef {
  return { id: a.id, slug: a.slug, name: a.name, path: paths.author(a.slug), photoUrl: safeUrl(a.photo_url) };
}

function toTagRef(t: Tag): TagRef {
  return { id: t.id, slug: t.slug, name: t.name, path: paths.tag(t.slug), specialCoverage: t.special_coverage === 1 };
}

function toTagProfile(t: Tag): TagProfile {
  return { ...toTagRef(t), description: t.description };
}

/** The hero with what a browser needs to pick a variant, when it is a library image; unchanged otherwise. */
function withSources<H extends { url: string }>(hero: H, images: ReadonlyMap<string, LibraryImage>, sizes: string): H & Partial<ImageSources> {
  const image = images.get(hero.url);
  return image ? { ...hero, srcset: image.srcset, sizes, width: image.width, height: image.height } : hero;
}

function toSummary(r: ArticleSummaryRow, section: SectionRef, authors: Author[]): ArticleSummary {
  return {
    id: r.id,
    slug: r.slug,
    path: paths.article(section.slug, r.id, r.slug),
    headline: r.headline,
    standfirst: r.standfirst,
    section,
    authors: authors.map(toAuthorRef),
    creditLine: r.credit_line,
    hero: safeUrl(r.hero_image_url)
      ? { url: safeUrl(r.hero_image_url)!, alt: r.hero_image_alt ?? '', caption: r.hero_caption, credit: r.hero_credit }
      : null,
    language: r.language,
    publishedAt: r.published_at!,
    updatedAt: r.updated_at,
    commentCount: Number(r.comment_count),
  };
}

/** The card of a whole story: what other pages (related, lists) show of it. */
function cardOf(a: Article): ArticleSummary {
  return {
    id: a.id, slug: a.slug, path: a.path, headline: a.headline, standfirst: a.standfirst, section: a.section, authors: a.authors,
    creditLine: a.creditLine, hero: a.hero, language: a.language, publishedAt: a.publishedAt, updatedAt: a.updatedAt, commentCount: a.commentCount,
  };
}
