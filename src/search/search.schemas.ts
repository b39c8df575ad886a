import { Type, type Static } from 'typebox';
import { ArticleSummaryJson, ErrorJson, PaginationJson, Slug } from '../content/content.schemas.js';
import { MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from './query.js';

export { ErrorJson };

const Sort = Type.Union([Type.Literal('relevance'), Type.Literal('date')], { description: 'relevance (default) or date (newest first)', default: 'relevance' });
const Day = Type.String({ format: 'date', description: 'A UTC day, YYYY-MM-DD (inclusive)' });

const QUERY_HELP =
  `Words to find (all must match; accents and case do not matter), "quoted phrases", and -words or -"phrases" to leave out. ` +
  `At most ${MAX_QUERY_LENGTH} characters and ${MAX_QUERY_TERMS} words or phrases.`;

export const SearchApiQuery = Type.Object(
  {
    q: Type.String({ maxLength: 2000, description: QUERY_HELP, examples: ['water -drought', '"wadi sarn" talks'] }),
    section: Type.Optional(Slug),
    tag: Type.Optional(Slug),
    author: Type.Optional(Slug),
    from: Type.Optional(Day),
    to: Type.Optional(Day),
    sort: Type.Optional(Sort),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  },
  { additionalProperties: false },
);
export type SearchApiQuery = Static<typeof SearchApiQuery>;

/** A slug, or empty: what a form's "All …" choice submits. */
const OptionalSlug = Type.String({ pattern: '^([a-z0-9]+(?:-[a-z0-9]+)*)?$', maxLength: 120 });
/** A day, or empty: what an untouched date field submits. */
const OptionalDay = Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' });

/** The site's search form: every field may arrive empty, and an absurd query gets a helpful page, not a 400. */
export const SearchPageQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 10_000 })),
    section: Type.Optional(OptionalSlug),
    tag: Type.Optional(OptionalSlug),
    author: Type.Optional(OptionalSlug),
    from: Type.Optional(OptionalDay),
    to: Type.Optional(OptionalDay),
    sort: Type.Optional(Sort),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type SearchPageQuery = Static<typeof SearchPageQuery>;

export const SearchResultJson = Type.Object({
  article: ArticleSummaryJson,
  score: Type.Number({ description: 'Relevance; higher is better, comparable only within one search' }),
  headlineHtml: Type.String({ description: 'The headline as HTML: text escaped, matches wrapped in <mark>' }),
  snippetHtml: Type.String({ description: 'A passage of the story as HTML: text escaped, matches wrapped in <mark>' }),
});

export const SearchResponseJson = Type.Object({
  query: Type.Object({
    q: Type.String(),
    understood: Type.String({ description: 'The query as parsed, e.g. water "ondara valley" -drought' }),
    include: Type.Array(Type.Array(Type.String()), { description: 'Words and phrases that must match' }),
    exclude: Type.Array(Type.Array(Type.String()), { description: 'Words and phrases that must not' }),
    section: Type.Union([Type.String(), Type.Null()]),
    tag: Type.Union([Type.String(), Type.Null()]),
    author: Type.Union([Type.String(), Type.Null()]),
    from: Type.Union([Type.String(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Null()]),
    sort: Sort,
  }),
  results: Type.Array(SearchResultJson),
  pagination: PaginationJson,
});
export type SearchResponseJson = Static<typeof SearchResponseJson>;
