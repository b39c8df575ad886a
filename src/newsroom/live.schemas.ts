/**
 * The admin API's live coverage: request and response schemas (validation,
 * types and OpenAPI from one place). The response schemas filter what goes out.
 */
import { Type, type Static } from 'typebox';
import { MULTILINE } from '../platform/validation.js';
import { Id } from '../platform/input.js';
import { Nullable, STRICT } from '../content/story.schemas.js';

const IsoTime = Type.String({ format: 'date-time' });

export const LivePostKind = Type.Union([Type.Literal('text'), Type.Literal('image'), Type.Literal('embed'), Type.Literal('quote')], {
  description: 'text; image (imageUrl + imageAlt, body as caption); embed (url, read once as a link card through the safe fetcher); quote (body + attribution)',
});

export const LivePostParams = Type.Object({ id: Id, postId: Id });

const PostFields = {
  body: Type.Optional(Type.String({ maxLength: 5000, description: 'Markdown: the text, an image\'s caption or the words quoted', ...MULTILINE })),
  imageUrl: Type.Optional(Type.String({ maxLength: 2000 })),
  imageAlt: Type.Optional(Type.String({ maxLength: 300 })),
  url: Type.Optional(Type.String({ maxLength: 2000, description: 'An embed\'s http(s) address' })),
  attribution: Type.Optional(Type.String({ maxLength: 200, description: 'Who said a quote' })),
};

export const LivePostBody = Type.Object({
  kind: Type.Optional(LivePostKind),
  ...PostFields,
  keyEvent: Type.Optional(Nullable(Type.String({ maxLength: 140, description: 'A title marks the post as a key event (the timeline)' }))),
  pinned: Type.Optional(Type.Boolean({ description: 'Pin it on top (unpins any other)' })),
}, STRICT);

export const LivePostEditBody = Type.Object(PostFields, STRICT);
export const LivePinBody = Type.Object({ pinned: Type.Boolean() }, STRICT);
export const LiveKeyEventBody = Type.Object({ title: Nullable(Type.String({ maxLength: 140 })) }, { ...STRICT, description: 'A title marks the post as a key event; null unmarks it' });

export const LivePostJson = Type.Object({
  id: Type.Integer(),
  kind: LivePostKind,
  html: Type.String({ description: 'The body as safe HTML' }),
  author: Nullable(Type.String()),
  createdAt: IsoTime,
  editedAt: Nullable(IsoTime),
  pinned: Type.Boolean(),
  keyEvent: Nullable(Type.Object({ title: Type.String() })),
  image: Nullable(Type.Object({ url: Type.String(), alt: Type.String() })),
  embed: Nullable(Type.Object({ url: Type.String(), title: Type.String(), description: Nullable(Type.String()), site: Type.String() })),
  attribution: Nullable(Type.String()),
});

export const LiveCoverageJson = Type.Object({
  articleId: Type.Integer(),
  startedAt: IsoTime,
  endedAt: Nullable(IsoTime),
  revision: Type.Integer(),
});

export const LivePostEnvelope = Type.Object({ post: LivePostJson });
export const LiveCoverageEnvelope = Type.Object({ coverage: LiveCoverageJson });
export const LiveDeskJson = Type.Object({ coverage: Nullable(LiveCoverageJson), posts: Type.Array(LivePostJson) });

export type LivePostJson = Static<typeof LivePostJson>;

export const HubParams = Type.Object({ slug: Type.String({ maxLength: 120 }) });
export const HubLeadBody = Type.Object({ leadArticleId: Nullable(Id) }, { ...STRICT, description: 'The story the hub leads with; null: the newest story with the tag' });
export const HubLeadJson = Type.Object({ hub: Type.Object({ tag: Type.String(), leadArticleId: Nullable(Type.Integer()) }) });
