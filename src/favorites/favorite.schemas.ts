import { Type, type Static } from 'typebox';
import { ArticleSummaryJson, ErrorJson, PaginationJson } from '../content/content.schemas.js';
import { MAX_MERGE_IDS } from './favorite.model.js';
import { MAX_ID } from '../platform/input.js';

const ArticleId = Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Id of a published story' });

export const ArticleIdParams = Type.Object({ articleId: ArticleId });
export type ArticleIdParams = Static<typeof ArticleIdParams>;

/** The HTML form routes: `/favorites/{id}` and `/favorites/{id}/remove`. */
export const FormIdParams = Type.Object({ id: ArticleId });

export const FavoritesPageQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })) },
  { additionalProperties: false },
);

export const FavoriteListQuery = Type.Object(
  {
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type FavoriteListQuery = Static<typeof FavoriteListQuery>;

export const FavoriteJson = Type.Object({
  articleId: Type.Integer(),
  savedAt: Type.String({ format: 'date-time', description: 'When the reader saved the story' }),
  available: Type.Boolean({ description: 'false when the story is no longer published' }),
  headline: Type.String(),
  article: Type.Union([ArticleSummaryJson, Type.Null()], { description: 'The story, while it is published' }),
});

export const FavoriteListJson = Type.Object({
  favorites: Type.Array(FavoriteJson),
  pagination: PaginationJson,
});

export const FavoriteStateJson = Type.Object({
  favorited: Type.Boolean(),
  count: Type.Integer({ description: "How many stories are in the reader's favorites now" }),
});

export const MergeBody = Type.Object(
  {
    articleIds: Type.Array(ArticleId, {
      maxItems: MAX_MERGE_IDS,
      description: `Ids kept on the device, oldest saved first (at most ${MAX_MERGE_IDS})`,
    }),
  },
  { additionalProperties: false },
);
export type MergeBody = Static<typeof MergeBody>;

export const MergeResultJson = Type.Object({
  added: Type.Integer({ description: 'Newly saved' }),
  alreadySaved: Type.Integer(),
  ignored: Type.Integer({ description: 'Unknown or unpublished ids, not saved' }),
  overLimit: Type.Integer({ description: 'Left out because the reader reached the limit' }),
  count: Type.Integer(),
  saved: Type.Array(Type.Integer(), { description: 'The sent ids that are now among the favorites' }),
});

export { ErrorJson };
