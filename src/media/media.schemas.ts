import { Type, type Static, type TSchema } from 'typebox';
import { MULTILINE } from '../platform/validation.js';
import { ErrorJson } from '../content/content.schemas.js';
import { Id } from '../platform/input.js';

export { ErrorJson };

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Unknown fields are refused (400), not dropped: see STRICT in content/story.schemas.ts. */
const STRICT = { additionalProperties: Type.Never() };

export const TEXT_LIMITS = { alt: 1000, caption: 2000, credit: 300 } as const;

export const errors = (...codes: Array<400 | 401 | 403 | 404 | 413 | 415 | 422>) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));

export const MediaIdParams = Type.Object({ id: Id });
export type MediaIdParams = Static<typeof MediaIdParams>;

export const MediaListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Text looked for in the alt text and caption' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  },
  STRICT,
);
export type MediaListQuery = Static<typeof MediaListQuery>;

export const UpdateMediaBody = Type.Object(
  {
    alt: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.alt, ...MULTILINE, description: 'What the image shows, for readers who cannot see it' })),
    caption: Type.Optional(Nullable(Type.String({ maxLength: TEXT_LIMITS.caption, ...MULTILINE }))),
    credit: Type.Optional(Nullable(Type.String({ maxLength: TEXT_LIMITS.credit, description: 'e.g. "Reuters/Jane Doe"' }))),
  },
  { ...STRICT, minProperties: 1 },
);
export type UpdateMediaBody = Static<typeof UpdateMediaBody>;

const VariantJson = Type.Object({
  url: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  type: Type.String({ description: 'image/webp, image/jpeg or image/png' }),
  bytes: Type.Integer(),
});

export const MediaJson = Type.Object({
  id: Type.Integer(),
  url: Type.String({ description: 'The default variant (WebP, up to 1280 pixels wide)' }),
  srcset: Type.String({ description: 'Every WebP variant, for <img srcset>' }),
  sizes: Type.String({ description: 'A `sizes` value for a story column' }),
  fallbackSrcset: Type.String({ description: 'The JPEG or PNG variants, for a <picture> fallback' }),
  width: Type.Integer({ description: 'Of the original, as shown' }),
  height: Type.Integer(),
  alt: Type.String({ description: 'Empty until someone writes it; a story using the image cannot be published without it' }),
  caption: Nullable(Type.String()),
  credit: Nullable(Type.String()),
  format: Type.String({ description: 'What the upload was: jpeg, png, webp or avif' }),
  bytes: Type.Integer({ description: 'Size of the upload as sent' }),
  uploadedBy: Nullable(Type.Integer()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  variants: Type.Array(VariantJson),
});
export type MediaJson = Static<typeof MediaJson>;

export const MediaEnvelope = Type.Object({ media: MediaJson });
export const MediaListJson = Type.Object({
  media: Type.Array(MediaJson),
  pagination: Type.Object({ page: Type.Integer(), limit: Type.Integer(), total: Type.Integer(), totalPages: Type.Integer() }),
});
export const Deleted = Type.Null({ description: 'Deleted; nothing to return' });
