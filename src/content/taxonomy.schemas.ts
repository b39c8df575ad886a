/**
 * What sections, tags, authors and the breaking strip are made of when staff
 * create or change them (the admin API and the newsroom's forms).
 */
import { MULTILINE } from '../platform/validation.js';
import { Type, type Static } from 'typebox';
import { Nullable, Slug, STRICT } from './story.schemas.js';

const Icon = Type.String({ pattern: '^[a-z]{1,20}$', description: 'Icon key: globe, landmark, chart, flask, palette, trophy, quote or news' });
export const CreateSectionBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 80 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 500, ...MULTILINE })),
    parent: Type.Optional(Nullable(Slug)),
    icon: Type.Optional(Icon),
  },
  STRICT,
);
export type CreateSectionBody = Static<typeof CreateSectionBody>;
export const UpdateSectionBody = Type.Partial(CreateSectionBody, { ...STRICT, minProperties: 1 });
export type UpdateSectionBody = Static<typeof UpdateSectionBody>;
export const CreateTagBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    slug: Type.Optional(Slug),
    description: Type.Optional(Type.String({ maxLength: 1000, ...MULTILINE })),
    specialCoverage: Type.Optional(Type.Boolean({ description: 'A running story shown as a banner on the home page' })),
  },
  STRICT,
);
export type CreateTagBody = Static<typeof CreateTagBody>;
export const UpdateTagBody = Type.Partial(CreateTagBody, { ...STRICT, minProperties: 1 });
export type UpdateTagBody = Static<typeof UpdateTagBody>;
export const CreateAuthorBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    slug: Type.Optional(Slug),
    bio: Type.Optional(Type.String({ maxLength: 2000, ...MULTILINE })),
    photoUrl: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000 }))),
  },
  STRICT,
);
export type CreateAuthorBody = Static<typeof CreateAuthorBody>;
export const UpdateAuthorBody = Type.Partial(CreateAuthorBody, { ...STRICT, minProperties: 1 });
export type UpdateAuthorBody = Static<typeof UpdateAuthorBody>;
export const BreakingBody = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: 300 }),
    path: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000, description: 'Where the strip links: a path on this site or an http(s) URL' }))),
    expiresAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'When the strip goes away by itself' }))),
  },
  STRICT,
);
export type BreakingBody = Static<typeof BreakingBody>;
