import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import type { ArticleSummary, Page } from '../content/content.model.js';
import type { ContentService } from '../content/content.service.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { favoriteStore } from './favorite.store.js';
import { limitMessage, MAX_FAVORITES, planMerge, staggeredTimes } from './favorite.model.js';

export interface FavoriteDeps {
  db: Kysely<Database>;
  /** Which stories are published, and their summaries: the content domain decides. */
  content: Pick<ContentService, 'publishedSummaries'>;
  now: () => Date;
  /** The most stories one reader may keep (MAX_FAVORITES unless a test says otherwise). */
  maxFavorites?: number;
}

/** One saved story. `article` is null when the story is no longer published. */
export interface FavoriteEntry {
  articleId: number;
  savedAt: string;
  headline: string;
  available: boolean;
  article: ArticleSummary | null;
}

export interface FavoriteState {
  favorited: boolean;
  count: number;
}

export interface MergeResult {
  added: number;
  alreadySaved: number;
  ignored: number;
  overLimit: number;
  count: number;
  /** The sent ids that are now among the reader's favorites. */
  saved: number[];
}

export type FavoriteService = ReturnType<typeof createFavoriteService>;

export function createFavoriteService({ db, content, now, maxFavorites = MAX_FAVORITES }: FavoriteDeps) {
  async function isPublished(articleId: number): Promise<boolean> {
    return (await content.publishedSummaries([articleId])).has(articleId);
  }

  return {
    /** Saves a published story. Saving it again changes nothing; past the limit it is a 409. */
    async add(userId: number, articleId: number): Promise<FavoriteState> {
      if (!(await isPublished(articleId))) throw new NotFoundError(`No published article with id ${articleId}`);
      if (!(await favoriteStore.has(db, userId, articleId))) {
        // Under a race two saves may both pass this check: the limit is a guard against abuse, not an invariant.
        if ((await favoriteStore.count(db, userId)) >= maxFavorites) throw new ConflictError(limitMessage(maxFavorites));
        await favoriteStore.add(db, userId, articleId, now().toISOString());
      }
      return { favorited: true, count: await favoriteStore.count(db, userId) };
    },

    /** Removes a story, whether or not it is still published; removing it again changes nothing. */
    async remove(userId: number, articleId: number): Promise<FavoriteState> {
      await favoriteStore.remove(db, userId, articleId);
      return { favorited: false, count: await favoriteStore.count(db, userId) };
    },

    count(userId: number): Promise<number> {
      return favoriteStore.count(db, userId);
    },

    ids(userId: number): Promise<number[]> {
      return favoriteStore.ids(db, userId);
    },

    /** A page of the reader's saved stories, newest saved first; unpublished ones stay, marked unavailable. */
    async list(userId: number, pageNo: number, pageSize: number): Promise<Page<FavoriteEntry>> {
      const [rows, total] = await Promise.all([
        favoriteStore.list(db, userId, pageSize, (pageNo - 1) * pageSize),
        favoriteStore.count(db, userId),
      ]);
      const published = await content.publishedSummaries(rows.map((r) => r.article_id));
      const items = rows.map((r): FavoriteEntry => {
        const article = published.get(r.article_id) ?? null;
        return { articleId: r.article_id, savedAt: r.created_at, headline: article?.headline ?? r.headline, available: article !== null, article };
      });
      return { items, page: pageNo, pageSize, total, totalPages: Math.max(1, Math.ceil(total / pageSize)) };
    },

    /**
     * Adds the favorites a reader kept on a device before signing in (oldest
     * first). Unknown and unpublished ids are ignored; at the limit the most
     * recent ones are kept.
     */
    async merge(userId: number, articleIds: number[]): Promise<MergeResult> {
      const unique = [...new Set(articleIds)];
      const [published, saved, count] = await Promise.all([
        content.publishedSummaries(unique),
        favoriteStore.savedAmong(db, userId, unique),
        favoriteStore.count(db, userId),
      ]);
      const plan = planMerge({ requested: unique, published: new Set(published.keys()), alreadySaved: new Set(saved), count, max: maxFavorites });
      const times = staggeredTimes(plan.toAdd.length, now());
      const added = await favoriteStore.addMany(db, userId, plan.toAdd.map((articleId, i) => ({ articleId, at: times[i]! })));
      const nowSaved = new Set([...plan.alreadySaved, ...plan.toAdd]);
      return {
        added,
        alreadySaved: plan.alreadySaved.length,
        ignored: plan.ignored.length,
        overLimit: plan.overLimit.length,
        count: await favoriteStore.count(db, userId),
        saved: unique.filter((id) => nowSaved.has(id)),
      };
    },
  };
}
