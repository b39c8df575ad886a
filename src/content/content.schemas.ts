import { Type, type Static } from 'typebox';
import { SLUG_PATTERN } from './content.model.js';
import { Id } from '../platform/input.js';

export const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 120, description: 'URL slug: lowercase letters, digits and hyphens' });

export const PageQuery = Type.Object(
  { page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })) },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

export const ArticleListQuery = Type.Object(
  {
    section: Type.Optional(Slug),
    tag: Type.Optional(Slug),
    author: Type.Optional(Slug),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type ArticleListQuery = Static<typeof ArticleListQuery>;

export const IdParams = Type.Object({ id: Id });
export const SlugParams = Type.Object({ slug: Slug });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SectionRefJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  url: Type.String({ format: 'uri' }),
});

export const SectionJson = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  icon: Type.String(),
  url: Type.String({ format: 'uri' }),
  parent: Nullable(Type.String({ description: 'Slug of the parent section' })),
  children: Type.Array(
    Type.Object({
      id: Type.Integer(),
      slug: Type.String(),
      name: Type.String(),
      description: Type.String(),
      icon: Type.String(),
      url: Type.String({ format: 'uri' }),
    }),
  ),
});

export const AuthorRefJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  url: Type.String({ format: 'uri' }),
  photoUrl: Nullable(Type.String()),
});

export const TagRefJson = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  url: Type.String({ format: 'uri' }),
  specialCoverage: Type.Boolean(),
});

export const ArticleSummaryJson = Type.Object({
  id: Type.Integer(),
  url: Type.String({ format: 'uri', description: 'Canonical absolute URL of the story' }),
  slug: Type.String(),
  headline: Type.String(),
  standfirst: Type.String(),
  section: Type.Object({ slug: Type.String(), name: Type.String(), url: Type.String(), parent: Nullable(SectionRefJson) }),
  authors: Type.Array(AuthorRefJson),
  creditLine: Nullable(Type.String()),
  byline: Type.String({ description: 'The byline as shown, e.g. "By Staff, Agencies"' }),
  heroImage: Nullable(
    Type.Object({ url: Type.String(), alt: Type.String(), caption: Nullable(Type.String()), credit: Nullable(Type.String()) }),
  ),
  language: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  commentCount: Type.Integer(),
});

export const ArticleJson = Type.Intersect([
  ArticleSummaryJson,
  Type.Object({
    tags: Type.Array(TagRefJson),
    bodyHtml: Type.String(),
    wordCount: Type.Integer(),
    corrections: Type.Array(
      Type.Object({
        kind: Type.Union([Type.Literal('correction'), Type.Literal('clarification'), Type.Literal('update')]),
        note: Type.String(),
        publishedAt: Type.String({ format: 'date-time' }),
        editedAt: Nullable(Type.String({ format: 'date-time' })),
      }),
      { description: 'The corrections log, oldest first' },
    ),
  }),
]);

export const PaginationJson = Type.Object({
  page: Type.Integer(),
  limit: Type.Integer(),
  total: Type.Integer(),
  totalPages: Type.Integer(),
});

export const ErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const ArticleListJson = Type.Object({ articles: Type.Array(ArticleSummaryJson), pagination: PaginationJson });
export const ArticleEnvelopeJson = Type.Object({ article: ArticleJson });
export const SectionsJson = Type.Object({ sections: Type.Array(SectionJson) });
export const TagEnvelopeJson = Type.Object({
  tag: Type.Object({
    slug: Type.String(), name: Type.String(), description: Type.String(), specialCoverage: Type.Boolean(),
    url: Type.String({ format: 'uri' }), articleCount: Type.Integer(), articlesUrl: Type.String({ format: 'uri' }),
  }),
});
export const AuthorEnvelopeJson = Type.Object({
  author: Type.Object({
    slug: Type.String(), name: Type.String(), bio: Type.String(), photoUrl: Nullable(Type.String()),
    url: Type.String({ format: 'uri' }), articleCount: Type.Integer(), articlesUrl: Type.String({ format: 'uri' }),
  }),
});
