/**
 * What a story is made of when staff create or edit one (the admin API and
 * the editor send these): one TypeBox schema gives validation, the type the
 * story service takes, and the OpenAPI document.
 */
import { MULTILINE } from '../platform/validation.js';
import { Type, type Static, type TSchema } from 'typebox';
import { SLUG_PATTERN } from './content.model.js';
import { MAX_ID } from '../platform/input.js';

/** Schema pieces the admin API's request bodies share (taxonomy and newsroom schemas use them too). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/**
 * Request bodies refuse fields they do not know (400), rather than dropping
 * them: a client sending `status: "published"` to create must not think it
 * published. Every JSON body is closed this way by platform/validation.ts
 * whether its schema says so or not; STRICT says it where it matters most.
 */
export const STRICT = { additionalProperties: Type.Never() };
export const Slug = Type.String({ pattern: SLUG_PATTERN, minLength: 1, maxLength: 120, description: 'URL slug: lowercase letters, digits and hyphens' });
const Language = Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$', description: 'BCP 47 language tag, e.g. en, fr, pt-BR' });
export const CommentsMode = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('premoderated')]);

const HeroIn = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL or a path on this site' }),
    alt: Type.String({ maxLength: 500, ...MULTILINE, description: 'Required (non-empty) before the story is published' }),
    caption: Type.Optional(Nullable(Type.String({ maxLength: 1000, ...MULTILINE }))),
    credit: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  STRICT,
);

const storyFields = {
  headline: Type.String({ minLength: 1, maxLength: 300 }),
  standfirst: Type.String({ maxLength: 1000, ...MULTILINE }),
  section: Slug,
  body: Type.Unknown({ description: 'The body as the editor\'s document: { "type": "doc", "content": [...] } (see content/body.ts). Send this or `markdown`.' }),
  markdown: Type.String({ maxLength: 500_000, ...MULTILINE, description: 'The body as Markdown (raw HTML is dropped). Send this or `body`.' }),
  tags: Type.Array(Slug, { maxItems: 20, description: 'Tag slugs; unknown ones are created when the caller may manage tags' }),
  authors: Type.Array(Slug, { maxItems: 10, description: 'Byline author slugs' }),
  credit: Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'Credit line, e.g. "Staff, Agencies"' })),
  hero: Nullable(HeroIn),
  slug: Slug,
  seoTitle: Nullable(Type.String({ maxLength: 200 })),
  seoDescription: Nullable(Type.String({ maxLength: 500, ...MULTILINE })),
  commentsMode: Nullable(CommentsMode),
  language: Language,
};

export const CreateStoryBody = Type.Object(
  {
    headline: storyFields.headline,
    section: storyFields.section,
    standfirst: Type.Optional(storyFields.standfirst),
    body: Type.Optional(storyFields.body),
    markdown: Type.Optional(storyFields.markdown),
    tags: Type.Optional(storyFields.tags),
    authors: Type.Optional(storyFields.authors),
    credit: Type.Optional(storyFields.credit),
    hero: Type.Optional(storyFields.hero),
    slug: Type.Optional(storyFields.slug),
    seoTitle: Type.Optional(storyFields.seoTitle),
    seoDescription: Type.Optional(storyFields.seoDescription),
    commentsMode: Type.Optional(storyFields.commentsMode),
    language: Type.Optional(storyFields.language),
  },
  STRICT,
);
export type CreateStoryBody = Static<typeof CreateStoryBody>;

export const UpdateStoryBody = Type.Object(
  {
    ...Type.Partial(CreateStoryBody).properties,
    baseRevision: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_ID, description: 'The `revision` this edit started from (0 for a story with none yet, e.g. imported): if someone has saved the story since, the save is refused (409 edit_conflict) rather than undoing their work' })),
  },
  { ...STRICT, minProperties: 1 },
);
export type UpdateStoryBody = Static<typeof UpdateStoryBody>;
