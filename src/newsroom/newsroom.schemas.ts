/**
 * Request and response schemas of the admin API (/api/admin): one TypeBox
 * schema gives validation, the TypeScript type and the OpenAPI document. The
 * response schemas also filter what goes out.
 */
import { MULTILINE } from '../platform/validation.js';
import { Type, type Static } from 'typebox';
import { CommentsMode, Nullable, Slug, STRICT } from '../content/story.schemas.js';
import { ErrorJson } from '../content/content.schemas.js';
import { Id, MAX_ID } from '../platform/input.js';

export { ErrorJson };
export { CreateStoryBody, UpdateStoryBody } from '../content/story.schemas.js';
export {
  BreakingBody, CreateAuthorBody, CreateSectionBody, CreateTagBody, UpdateAuthorBody, UpdateSectionBody, UpdateTagBody,
} from '../content/taxonomy.schemas.js';

const IsoTime = Type.String({ format: 'date-time' });
const Role = Type.Union([Type.Literal('reader'), Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]);
const StaffRole = Type.Union([Type.Literal('contributor'), Type.Literal('editor'), Type.Literal('admin')]);
const Status = Type.Union([Type.Literal('draft'), Type.Literal('review'), Type.Literal('scheduled'), Type.Literal('published'), Type.Literal('unpublished')]);

export const IdParams = Type.Object({ id: Id });
export const RevisionParams = Type.Object({ id: Id, rev: Id });

export const errors = (...codes: Array<400 | 401 | 403 | 404 | 409>) => Object.fromEntries(codes.map((c) => [c, ErrorJson]));
/** What every admin route may answer besides success. */
export const AUTH_ERRORS = errors(401, 403);

// --- stories ------------------------------------------------------------------

export const StoryListQuery = Type.Object(
  {
    status: Type.Optional(Status),
    section: Type.Optional(Slug),
    author: Type.Optional(Slug),
    createdBy: Type.Optional(Id),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Headline contains (any case)' })),
    sort: Type.Optional(Type.Union(['modified', 'created', 'published', 'scheduled', 'headline'].map((s) => Type.Literal(s)), { default: 'modified' })),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { additionalProperties: false },
);
export type StoryListQuery = Static<typeof StoryListQuery>;

export const PublishBody = Type.Union(
  [
    Type.Object(
      { at: Type.Optional(Type.String({ format: 'date-time', description: 'Schedule for this time; leave out to publish now' })) },
      STRICT,
    ),
    Type.Null(),
  ],
  { description: 'Optional: { "at": ISO time } schedules instead of publishing now' },
);
export type PublishBody = Static<typeof PublishBody>;

const CorrectionKind = Type.Union([Type.Literal('correction'), Type.Literal('clarification'), Type.Literal('update')], {
  description: 'What the entry is; shown to readers before its date ("Correction, 3 Dec 2026: …")',
});
const CorrectionNote = Type.String({ minLength: 1, maxLength: 2000, ...MULTILINE, description: 'Shown to readers on the story, with its date' });

export const CorrectionBody = Type.Object(
  { kind: Type.Optional({ ...CorrectionKind, default: 'correction' }), note: CorrectionNote },
  STRICT,
);
export const CorrectionEditBody = Type.Object({ note: CorrectionNote }, STRICT);
export const CorrectionParams = Type.Object({ id: Id, cid: Id });

export const CorrectionJson = Type.Object({
  id: Type.Integer(),
  kind: CorrectionKind,
  note: Type.String(),
  publishedAt: IsoTime,
  createdBy: Nullable(Type.Integer()),
  editedAt: Nullable(IsoTime),
  editedBy: Nullable(Type.Integer()),
});
export const CorrectionEnvelope = Type.Object({ correction: CorrectionJson });
export const CorrectionListJson = Type.Object({ corrections: Type.Array(CorrectionJson) });

const Ref = Type.Object({ id: Type.Integer(), slug: Type.String(), name: Type.String() });
const Person = Nullable(Type.Object({ id: Type.Integer(), name: Type.String() }));
const HeroOut = Nullable(Type.Object({ url: Type.String(), alt: Type.String(), caption: Nullable(Type.String()), credit: Nullable(Type.String()) }));

export const StorySummaryJson = Type.Object({
  id: Type.Integer(),
  status: Status,
  headline: Type.String(),
  slug: Type.String(),
  path: Type.String({ description: 'Where the story lives on the site (answers 404 until it is published)' }),
  section: Ref,
  authors: Type.Array(Ref),
  language: Type.String(),
  createdBy: Person,
  modifiedBy: Person,
  createdAt: IsoTime,
  modifiedAt: IsoTime,
  publishedAt: Nullable(IsoTime),
  updatedAt: Nullable(IsoTime),
  scheduledAt: Nullable(IsoTime),
});

export const StoryJson = Type.Object({
  id: Type.Integer(),
  status: Status,
  headline: Type.String(),
  standfirst: Type.String(),
  slug: Type.String(),
  path: Type.String(),
  url: Nullable(Type.String({ format: 'uri', description: 'The public URL, while the story is published' })),
  body: Type.Unknown({ description: "The editor's document" }),
  section: Ref,
  tags: Type.Array(Ref),
  authors: Type.Array(Ref),
  credit: Nullable(Type.String()),
  hero: HeroOut,
  seoTitle: Nullable(Type.String()),
  seoDescription: Nullable(Type.String()),
  commentsMode: Nullable(CommentsMode),
  language: Type.String(),
  correction: Nullable(Type.Object({ note: Type.String(), at: IsoTime }, { description: 'The latest entry of the corrections log' })),
  corrections: Type.Array(CorrectionJson, { description: 'The corrections log, oldest first; entries are never deleted' }),
  createdBy: Person,
  modifiedBy: Person,
  createdAt: IsoTime,
  modifiedAt: IsoTime,
  publishedAt: Nullable(IsoTime),
  updatedAt: Nullable(IsoTime),
  scheduledAt: Nullable(IsoTime),
  revision: Nullable(Type.Integer({ description: 'The latest revision: send it back as `baseRevision` when saving' })),
});

export const Pagination = Type.Object({ page: Type.Integer(), limit: Type.Integer(), total: Type.Integer(), totalPages: Type.Integer() });
export const StoryListJson = Type.Object({ articles: Type.Array(StorySummaryJson), pagination: Pagination });
export const StoryEnvelope = Type.Object({ article: StoryJson });

export const RevisionSummaryJson = Type.Object({
  id: Type.Integer(),
  createdAt: IsoTime,
  author: Person,
  tokenId: Nullable(Type.Integer()),
  note: Nullable(Type.String()),
  headline: Type.String(),
});
export const RevisionListJson = Type.Object({ revisions: Type.Array(RevisionSummaryJson) });
export const RevisionEnvelope = Type.Object({
  revision: Type.Object({
    id: Type.Integer(),
    articleId: Type.Integer(),
    createdAt: IsoTime,
    author: Person,
    tokenId: Nullable(Type.Integer()),
    note: Nullable(Type.String()),
    snapshot: Type.Object({
      headline: Type.String(),
      standfirst: Type.String(),
      body: Type.Unknown(),
      section: Nullable(Ref),
      tags: Type.Array(Ref),
      authors: Type.Array(Ref),
      credit: Nullable(Type.String()),
      hero: HeroOut,
      slug: Type.String(),
      seoTitle: Nullable(Type.String()),
      seoDescription: Nullable(Type.String()),
      commentsMode: Nullable(CommentsMode),
      language: Type.String(),
    }),
  }),
});

export const RevisionCompareQuery = Type.Object(
  {
    a: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'One revision (default: the one before `b`)' })),
    b: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ID, description: 'The other revision (default: the newest)' })),
  },
  { additionalProperties: false },
);
export type RevisionCompareQuery = Static<typeof RevisionCompareQuery>;

/** A word-level difference: common text, or text only the older (`removed`) or newer (`added`) side has. */
const TextChange = Type.Object({ value: Type.String(), added: Type.Optional(Type.Literal(true)), removed: Type.Optional(Type.Literal(true)) });
const ComparedRevisionJson = Type.Object({ id: Type.Integer(), createdAt: IsoTime, author: Person, tokenId: Nullable(Type.Integer()), note: Nullable(Type.String()) });
export const RevisionComparisonJson = Type.Object({
  a: ComparedRevisionJson,
  b: ComparedRevisionJson,
  changed: Type.Array(
    Type.Object({
      field: Type.String({ description: 'headline, standfirst, section, tags, authors, credit, heroUrl, heroAlt, heroCaption, heroCredit, slug, seoTitle, seoDescription, commentsMode or language' }),
      label: Type.String({ description: 'The field as the editor names it' }),
      before: Type.String({ description: 'In revision `a`, as text' }),
      after: Type.String({ description: 'In revision `b`, as text' }),
      changes: Type.Array(TextChange),
    }),
  ),
  unchanged: Type.Array(Type.String(), { description: 'Labels of the fields that are the same in both' }),
  body: Type.Array(
    Type.Union([
      Type.Object({ kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]), text: Type.String() }),
      Type.Object({ kind: Type.Literal('changed'), changes: Type.Array(TextChange) }),
      Type.Object({ kind: Type.Literal('folded'), count: Type.Integer({ description: 'Unchanged paragraphs left out here' }) }),
    ]),
    { description: 'The body as lines of text (paragraphs, headings, list items, images), compared; a changed line is compared word by word' },
  ),
  bodyChanged: Type.Boolean(),
});

// --- sections, tags, authors, breaking news -------------------------------------

export const SectionOrderBody = Type.Object(
  { ids: Type.Array(Id, { minItems: 1, maxItems: 500, uniqueItems: true, description: 'Every section id, in the order wanted' }) },
  STRICT,
);

export const SectionAdminJson = Type.Object({
  id: Type.Integer(),
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  icon: Type.String(),
  position: Type.Integer(),
  parent: Nullable(Type.Object({ id: Type.Integer(), slug: Type.String() })),
  path: Type.String(),
});
export const SectionListJson = Type.Object({ sections: Type.Array(SectionAdminJson) });
export const SectionEnvelope = Type.Object({ section: SectionAdminJson });

export const TagAdminJson = Type.Object({
  id: Type.Integer(), slug: Type.String(), name: Type.String(), description: Type.String(), specialCoverage: Type.Boolean(), path: Type.String(),
});
export const TagListJson = Type.Object({ tags: Type.Array(TagAdminJson) });
export const TagEnvelope = Type.Object({ tag: TagAdminJson });

export const AuthorAdminJson = Type.Object({
  id: Type.Integer(), slug: Type.String(), name: Type.String(), bio: Type.String(), photoUrl: Nullable(Type.String()), path: Type.String(),
});
export const AuthorListJson = Type.Object({ authors: Type.Array(AuthorAdminJson) });
export const AuthorEnvelope = Type.Object({ author: AuthorAdminJson });

export const BreakingEnvelope = Type.Object({
  breaking: Nullable(Type.Object({ text: Type.String(), path: Nullable(Type.String()), expiresAt: Nullable(IsoTime) })),
});

// --- people, tokens, audit ------------------------------------------------------

export const UserListQuery = Type.Object(
  {
    role: Type.Optional(Role),
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('active'), Type.Literal('disabled')])),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Email or name contains' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type UserListQuery = Static<typeof UserListQuery>;

export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(Role),
    disabled: Type.Optional(Type.Boolean({ description: 'true ends the account\'s sessions and API tokens at once' })),
  },
  { ...STRICT, minProperties: 1 },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;

export const UserAdminJson = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: Role,
  status: Type.String(),
  createdAt: IsoTime,
});
export const UserListJson = Type.Object({ users: Type.Array(UserAdminJson), pagination: Pagination });
export const UserEnvelope = Type.Object({ user: UserAdminJson });

export const CreateTokenBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 120 }), role: StaffRole },
  STRICT,
);
export const TokenJson = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: Role,
  createdBy: Person,
  createdAt: IsoTime,
  lastUsedAt: Nullable(IsoTime),
  revokedAt: Nullable(IsoTime),
});
export const TokenListJson = Type.Object({ tokens: Type.Array(TokenJson) });
export const TokenCreatedJson = Type.Object({
  token: TokenJson,
  secret: Type.String({ description: 'The token itself: shown this once, only its hash is kept' }),
});

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ pattern: '^[a-z_]+\\.[a-z_]+$', maxLength: 60 })),
    subject: Type.Optional(Type.String({ pattern: '^[a-z_]+:[\\w-]+$', maxLength: 140 })),
    actor: Type.Optional(Id),
    before: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditListJson = Type.Object({
  entries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: IsoTime,
      actor: Type.Object({ userId: Nullable(Type.Integer()), name: Nullable(Type.String()), tokenId: Nullable(Type.Integer()), tokenName: Nullable(Type.String()) }),
      action: Type.String(),
      subject: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
      ip: Nullable(Type.String()),
    }),
  ),
  next: Nullable(Type.Integer({ description: 'Pass as `before` for the next, older page' })),
});

// --- staff invitations ----------------------------------------------------------

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254, description: 'Who to invite; the one-time link goes there' }),
    role: StaffRole,
  },
  STRICT,
);
export type CreateInvitationBody = Static<typeof CreateInvitationBody>;

export const InvitationJson = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  role: Role,
  invitedBy: Person,
  createdAt: IsoTime,
  expiresAt: IsoTime,
});
export const InvitationEnvelope = Type.Object({ invitation: InvitationJson });
export const InvitationListJson = Type.Object({ invitations: Type.Array(InvitationJson) });
