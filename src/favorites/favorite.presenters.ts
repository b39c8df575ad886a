import type { Static } from 'typebox';
import { presentSummary } from '../content/content.presenters.js';
import type { FavoriteEntry } from './favorite.service.js';
import type { FavoriteJson } from './favorite.schemas.js';

/** Explicit output: every field of a saved story the API returns. */
export function presentFavorite(entry: FavoriteEntry, siteUrl: string): Static<typeof FavoriteJson> {
  return {
    articleId: entry.articleId,
    savedAt: entry.savedAt,
    available: entry.available,
    headline: entry.headline,
    article: entry.article ? presentSummary(entry.article, siteUrl) : null,
  };
}
