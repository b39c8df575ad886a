/**
 * Request and response schemas of the wire desk's API: the push endpoint's
 * answer, and the admin API under /api/admin/wires.
 */
import { Type, type Static } from 'typebox';
import { Nullable, STRICT } from '../content/story.schemas.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
const IsoTime = Type.String({ format: 'date-time' });
const ProviderFormat = Type.Union([Type.Literal('auto'), Type.Literal('rss'), Type.Literal('atom'), Type.Literal('ninjs'), Type.Literal('newsml-g2'), Type.Literal('nitf')], { description: 'What the provider sends; auto detects it per document' });
const Transport = Type.Union([Type.Literal('http'), Type.Literal('folder'), Type.Literal('push')]);
const ProviderName = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'Slug: the folder name and the push path' });

export const IngestCountsJson = Type.Object({
  stored: Type.Integer({ description: 'New items' }),
  updated: Type.Integer({ description: 'New versions of items stored before' }),
  duplicates: Type.Integer({ description: 'Items or versions stored before (or older than the current one): nothing changed' }),
  quarantined: Type.Integer({ description: 'Items, or the whole document, that could not be read' }),
});

export const ProviderJson = Type.Object({
  id: Id,
  name: ProviderName,
  displayName: Type.String(),
  credit: Type.String(),
  format: ProviderFormat,
  transport: Transport,
  url: Nullable(Type.String()),
  intervalSeconds: Type.Integer(),
  enabled: Type.Boolean(),
  pushPath: Nullable(Type.String({ description: 'Where a push provider posts its copy' })),
  status: Type.Object({
    lastSuccessAt: Nullable(IsoTime),
    lastErrorAt: Nullable(IsoTime),
    lastError: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
    consecutiveFailures: Type.Integer(),
    nextPollAt: Nullable(IsoTime),
    itemsLastHour: Type.Integer({ description: 'Items first received in the last hour' }),
  }),
  createdAt: IsoTime,
});
export const ProviderEnvelope = Type.Object({ provider: ProviderJson });
export const ProviderCreatedJson = Type.Object({
  provider: ProviderJson,
  secret: Nullable(Type.String({ description: 'The push secret (push providers): shown once, here' })),
});
export const ProviderListJson = Type.Object({ providers: Type.Array(ProviderJson) });

export const CreateProviderBody = Type.Object({
  name: ProviderName,
  displayName: Type.Optional(Type.String({ maxLength: 120 })),
  credit: Type.String({ minLength: 1, maxLength: 120, description: 'The credit line of stories made from its copy ("Reuters", "Agencies")' }),
  format: ProviderFormat,
  transport: Transport,
  url: Type.Optional(Type.String({ maxLength: 2000 })),
  intervalSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 86400 })),
  enabled: Type.Optional(Type.Boolean()),
}, STRICT);
export type CreateProviderBody = Static<typeof CreateProviderBody>;

export const UpdateProviderBody = Type.Object({
  displayName: Type.Optional(Type.String({ maxLength: 120 })),
  credit: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  format: Type.Optional(ProviderFormat),
  url: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  intervalSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 86400 })),
  enabled: Type.Optional(Type.Boolean()),
}, STRICT);
export type UpdateProviderBody = Static<typeof UpdateProviderBody>;

export const PollResultJson = Type.Object({
  provider: Type.String(),
  ok: Type.Boolean(),
  notModified: Type.Boolean(),
  counts: IngestCountsJson,
  files: Type.Optional(Type.Object({ done: Type.Integer(), failed: Type.Integer() })),
  error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
});

const PubStatus = Type.Union([Type.Literal('usable'), Type.Literal('withheld'), Type.Literal('canceled')]);

export const WireItemSummaryJson = Type.Object({
  id: Id,
  provider: Type.Object({ id: Id, name: Type.String(), credit: Type.String() }),
  guid: Type.String(),
  version: Type.Integer({ description: "The agency's version number of the current version" }),
  versions: Type.Integer({ description: 'Versions stored' }),
  versionTime: Nullable(IsoTime),
  headline: Type.String(),
  language: Nullable(Type.String()),
  urgency: Nullable(Type.Integer()),
  embargoUntil: Nullable(IsoTime),
  embargoed: Type.Boolean({ description: 'The embargo has not lifted yet' }),
  pubStatus: PubStatus,
  killed: Type.Boolean({ description: 'Canceled or withheld by the agency' }),
  signal: Nullable(Type.Union([Type.Literal('update'), Type.Literal('correction'), Type.Literal('kill')])),
  receivedAt: IsoTime,
  updatedAt: IsoTime,
  group: Nullable(Id),
});

export const WireItemListQuery = Type.Object({
  provider: Type.Optional(ProviderName),
  urgency: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: 'This urgency or more urgent (a lower number)' })),
  language: Type.Optional(Type.String({ maxLength: 35 })),
  subject: Type.Optional(Type.String({ maxLength: 200, description: 'A subject code (medtop:…) or name' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Words in the headline' })),
  embargoed: Type.Optional(Type.Boolean()),
  killed: Type.Optional(Type.Boolean()),
  group: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Only the items of this wire story' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  before: Type.Optional(Type.String({ maxLength: 200, description: 'The `next` cursor of the previous page' })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Only items changed at or after this time (the desk polls with the newest `updatedAt` it shows)' })),
}, STRICT);
export type WireItemListQuery = Static<typeof WireItemListQuery>;

export const WireItemListJson = Type.Object({ items: Type.Array(WireItemSummaryJson), next: Nullable(Type.String()) });

export const WireVersionJson = Type.Object({
  seq: Type.Integer({ description: '1, 2, 3… in the order stored' }),
  version: Type.Integer(),
  versionTime: Nullable(IsoTime),
  receivedAt: IsoTime,
  item: Type.Unknown({ description: 'The normalized wire item (headline, byline, body, subjects, …)' }),
  raw: Nullable(Type.String({ description: 'The payload as it arrived, when the document held this one item' })),
});
export const WireItemDetailJson = Type.Object({ item: WireItemSummaryJson, versions: Type.Array(WireVersionJson) });

const QuarantineStatus = Type.Union([Type.Literal('open'), Type.Literal('retried'), Type.Literal('discarded')]);
export const QuarantineJson = Type.Object({
  id: Id,
  provider: Type.Object({ id: Id, name: Type.String() }),
  guid: Nullable(Type.String()),
  reason: Type.String(),
  raw: Type.String(),
  contentType: Nullable(Type.String()),
  status: QuarantineStatus,
  receivedAt: IsoTime,
  resolvedAt: Nullable(IsoTime),
});
export const QuarantineListQuery = Type.Object({
  status: Type.Optional(QuarantineStatus),
  provider: Type.Optional(ProviderName),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
  before: Type.Optional(Id),
}, STRICT);
export const QuarantineListJson = Type.Object({ entries: Type.Array(QuarantineJson), next: Nullable(Id) });
export const RetryJson = Type.Object({ ...IngestCountsJson.properties, resolved: Type.Boolean(), reason: Nullable(Type.String()) });

// --- wire stories (groups) and diffs ------------------------------------------------

export const WireGroupListQuery = Type.Object({
  minItems: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 1, description: 'Only stories with at least this many items (2: told by more than one item)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
  before: Type.Optional(Type.String({ maxLength: 200, description: 'The `next` cursor of the previous page' })),
}, STRICT);
export type WireGroupListQuery = Static<typeof WireGroupListQuery>;

const GroupProvider = Type.Object({ id: Id, name: Type.String(), credit: Type.String() });

export const WireGroupJson = Type.Object({
  id: Id,
  headline: Type.String({ description: 'The current headline of the story\'s representative (first) item' }),
  firstSeenAt: IsoTime,
  lastSeenAt: IsoTime,
  itemCount: Type.Integer(),
  providerCount: Type.Integer({ description: 'Agencies telling it' }),
  providers: Type.Array(GroupProvider),
  items: Type.Array(WireItemSummaryJson, { description: 'Oldest first' }),
});
export const WireGroupListJson = Type.Object({ groups: Type.Array(WireGroupJson), next: Nullable(Type.String()) });

const NovelPart = Type.Object({ text: Type.String(), novel: Type.Boolean({ description: 'In no other item of the story' }) });
export const ContributionJson = Type.Object({
  itemId: Id,
  provider: GroupProvider,
  adds: Type.Array(Type.String(), { description: 'The sentences of its current version made mostly of what no other item has' }),
  sentences: Type.Array(Type.Object({ text: Type.String(), novel: Type.Boolean(), parts: Type.Array(NovelPart) })),
});
export const WireGroupDetailJson = Type.Object({
  group: WireGroupJson,
  contributions: Type.Array(ContributionJson, { description: 'For each item, what its version adds to the others' }),
});

export const ItemDiffQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Version (seq) to compare from; the one before `to` by default' })),
  to: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Version (seq) to compare to; the current one by default' })),
}, STRICT);
export type ItemDiffQuery = Static<typeof ItemDiffQuery>;

const PartKind = Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]);
const WordPartJson = Type.Object({ kind: PartKind, text: Type.String() });
const VersionRefJson = Type.Object({
  seq: Type.Integer(),
  version: Type.Integer(),
  versionTime: Nullable(IsoTime),
  headline: Type.String(),
  signal: Nullable(Type.Union([Type.Literal('update'), Type.Literal('correction'), Type.Literal('kill')])),
  pubStatus: PubStatus,
});
export const ItemDiffJson = Type.Object({
  itemId: Id,
  from: VersionRefJson,
  to: VersionRefJson,
  /** The headline word by word; null when unchanged. */
  headline: Nullable(Type.Array(WordPartJson)),
  segments: Type.Array(Type.Union([
    Type.Object({ kind: PartKind, text: Type.String() }),
    Type.Object({ kind: Type.Literal('changed'), before: Type.String(), after: Type.String(), parts: Type.Array(WordPartJson) }),
  ]), { description: 'The body sentence by sentence: same, added, removed, or changed (with its words marked)' }),
  counts: Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer(), same: Type.Integer() }),
});
