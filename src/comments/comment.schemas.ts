/** Request and response schemas of the discussion: validation, types and OpenAPI from one place. */
import { MULTILINE } from '../platform/validation.js';
import { Type, type Static } from 'typebox';
import { ErrorJson, IdParams } from '../content/content.schemas.js';
import { MAX_ID } from '../platform/input.js';

export { ErrorJson, IdParams };

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = (description?: string) => Type.String({ format: 'date-time', ...(description ? { description } : {}) });

export const CommentsModeJson = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('premoderated')], {
  description: 'open: comments appear at once; premoderated: each waits for a moderator; closed: no new comments',
});
export const CommentStatusJson = Type.Union(
  [Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('held')],
  { description: 'pending: waits for a moderator (pre-moderated story); held: caught by a rule or by reports; approved: shown' },
);
export const SortJson = Type.Union([Type.Literal('newest'), Type.Literal('oldest')]);

export const CommentListQuery = Type.Object(
  {
    sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('oldest')], { default: 'newest', description: 'Order of top-level comments; replies are always oldest first' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
  },
  { additionalProperties: false },
);
export type CommentListQuery = Static<typeof CommentListQuery>;

/** Generous: the service gives the clear "too long" answer at the real limit. */
const BODY_CAP = 20_000;

export const PostCommentBody = Type.Object(
  {
    body: Type.String({ maxLength: BODY_CAP, ...MULTILINE, description: 'Plain text. Blank lines make paragraphs; links become clickable.' }),
    parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'Reply to this comment. A reply to a reply joins the top-level comment\'s thread.' }))),
  },
  { additionalProperties: false },
);
export type PostCommentBody = Static<typeof PostCommentBody>;

/** The HTML form: every field arrives as text. */
export const CommentFormBody = Type.Object({
  body: Type.String({ maxLength: BODY_CAP, ...MULTILINE }),
  parentId: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })),
});

export const EditCommentBody = Type.Object({ body: Type.String({ maxLength: BODY_CAP, ...MULTILINE }) }, { additionalProperties: false });

export const ReportBody = Type.Object(
  { reason: Type.String({ maxLength: 2000, ...MULTILINE, description: 'What is wrong with the comment (spam, abuse, off topic, …)' }) },
  { additionalProperties: false },
);

const AuthorJson = Type.Object({ id: Type.Integer(), displayName: Type.String() });

const commentFields = {
  id: Type.Integer(),
  articleId: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  author: Nullable(AuthorJson),
  bodyHtml: Type.String({ description: 'Sanitized HTML: only p, br and a[href] (http, https, mailto)' }),
  createdAt: DateTime(),
  editedAt: Nullable(DateTime('Set when its author edited the comment')),
  featured: Type.Boolean(),
  placeholder: Nullable(Type.Union([Type.Literal('deleted'), Type.Literal('removed')], {
    description: 'A gone top-level comment kept because it has replies',
  })),
  url: Type.String({ format: 'uri', description: 'Permalink' }),
};

export const PublicCommentJson = Type.Object(commentFields);
export const ThreadJson = Type.Object({ ...commentFields, replies: Type.Array(PublicCommentJson) });

export const PaginationJson = Type.Object({ page: Type.Integer(), limit: Type.Integer(), total: Type.Integer(), totalPages: Type.Integer() });

export const DiscussionJson = Type.Object({
  articleId: Type.Integer(),
  mode: CommentsModeJson,
  count: Type.Integer({ description: 'Approved comments, replies included' }),
  sort: SortJson,
  comments: Type.Array(ThreadJson, { description: 'Top-level comments (featured first), each with its replies' }),
  pagination: PaginationJson,
});

export const OwnCommentJson = Type.Object({
  ...commentFields,
  status: CommentStatusJson,
  body: Type.String({ description: 'The text as written' }),
});
export const OwnCommentEnvelope = Type.Object({ comment: OwnCommentJson });

export const ReportReceivedJson = Type.Object({ report: Type.Object({ commentId: Type.Integer(), received: Type.Boolean() }) });

// --- moderation -------------------------------------------------------------

export const QueueQuery = Type.Object(
  {
    status: Type.Optional(Type.Union(
      ['queue', 'pending', 'held', 'reported', 'approved', 'rejected'].map((s) => Type.Literal(s)),
      { default: 'queue', description: 'queue: everything waiting (pending, held, reported)' },
    )),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  },
  { additionalProperties: false },
);

export const QueueItemJson = Type.Object({
  id: Type.Integer(),
  parentId: Nullable(Type.Integer()),
  article: Type.Object({ id: Type.Integer(), headline: Type.String(), url: Type.String({ format: 'uri' }) }),
  author: Nullable(Type.Object({ id: Type.Integer(), displayName: Type.String(), commentBanned: Type.Boolean(), role: Type.String() })),
  body: Type.String(),
  bodyHtml: Type.String(),
  status: CommentStatusJson,
  heldReason: Nullable(Type.String({ description: 'Why a rule or readers\' reports held the comment' })),
  featured: Type.Boolean(),
  reportCount: Type.Integer({ description: 'Unresolved reports' }),
  reports: Type.Array(Type.Object({ reason: Type.String(), createdAt: DateTime(), resolved: Type.Boolean() })),
  createdAt: DateTime(),
  editedAt: Nullable(DateTime()),
  url: Type.String({ format: 'uri' }),
});

export const QueueJson = Type.Object({ comments: Type.Array(QueueItemJson), pagination: PaginationJson });

export const ModerationResultJson = Type.Object({
  comment: Type.Object({
    id: Type.Integer(), articleId: Type.Integer(), status: CommentStatusJson, featured: Type.Boolean(), heldReason: Nullable(Type.String()), reportCount: Type.Integer(),
  }),
});

export const CommentBanJson = Type.Object({ user: Type.Object({ id: Type.Integer(), displayName: Type.String(), commentBanned: Type.Boolean() }) });

export const ArticleModeBody = Type.Object(
  { mode: Nullable(CommentsModeJson) },
  { additionalProperties: false, description: 'null: follow the site-wide default (and its auto-close)' },
);
export const ArticleModeJson = Type.Object({
  article: Type.Object({ id: Type.Integer(), commentsMode: Nullable(CommentsModeJson), effectiveMode: CommentsModeJson }),
});

export const CommentSettingsJson = Type.Object({
  defaultMode: CommentsModeJson,
  closeAfterDays: Type.Integer({ minimum: 0, description: 'Stories following the default close this many days after publication; 0: never' }),
  bannedWords: Type.Array(Type.String(), { description: 'Words and phrases that hold a comment for review' }),
});
export const CommentSettingsEnvelope = Type.Object({ comments: CommentSettingsJson });

export const CommentSettingsPatch = Type.Object(
  {
    defaultMode: Type.Optional(CommentsModeJson),
    closeAfterDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
    bannedWords: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type CommentSettingsPatch = Static<typeof CommentSettingsPatch>;

export const ModerationFormBody = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 20 })),
  page: Type.Optional(Type.String({ pattern: '^[0-9]{0,5}$' })),
});
