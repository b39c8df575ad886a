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

/** A published story as the article page needs it, plus what routing needs to check its URL. */
export interface ArticleView {
  article: Article;
  tagIds: number[];
  sectionId: number;
}

export type ContentService = ReturnType<typeof createContentService>;

export function createContentService({ db, now = () => new Date(), libraryImages }: ContentDeps) {
  const nowIso = () => now().toISOString();

  async function sectionIndex() {
    const rows = await sectionStore.all(db);
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
    return { rows, byId, ref, node };
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
    const idx = index ?? (await sectionIndex());
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
    const idx = index ?? (await sectionIndex());
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

  return {
    async sectionTree(): Promise<SectionNode[]> {
      const idx = await sectionIndex();
      return idx.rows.filter((s) => s.parent_id === null).map(idx.node);
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
    async publishedSummaries(ids: number[]): Promise<Map<number, ArticleSummary>> {
      const unique = [...new Set(ids)];
      if (!unique.length) return new Map();
      const rows = await articleStore.listPublished(db, { ids: unique }, nowIso(), unique.length);
      return new Map((await summaries(rows)).map((s) => [s.id, s]));
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
      const b = await settingsStore.getJson<BreakingNews>(db, 'breaking');
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
