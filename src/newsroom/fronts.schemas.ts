/**
 * The admin API's fronts: request and response schemas (validation, types
 * and OpenAPI from one place). What a layout is: src/content/front.model.ts.
 */
import { Type, type Static } from 'typebox';
import { Id } from '../platform/input.js';
import { SLUG_PATTERN } from '../content/content.model.js';
import { MAX_LATEST } from '../content/front.model.js';

/** A front: "home", or a section's slug. */
export const FrontParams = Type.Object({ front: Type.String({ maxLength: 120, pattern: SLUG_PATTERN, description: '"home" or a section\'s slug' }) });
export const ScheduledParams = Type.Object({ front: FrontParams.properties.front, id: Id });

const NullableTime = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const SlotJson = Type.Object({
  position: Type.Integer({ minimum: 0, description: '0 is the lead' }),
  role: Type.Union([Type.Literal('lead'), Type.Literal('top'), Type.Literal('pinned')]),
  article: Type.Object({
    id: Type.Integer(),
    headline: Type.String(),
    path: Type.String(),
    status: Type.String(),
    public: Type.Boolean({ description: 'Whether readers can see the story now; one that is not leaves its slot and the ones after it move up' }),
  }),
});

export const LayoutJson = Type.Object({
  id: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('scheduled'), Type.Literal('live')]),
  latestCount: Type.Integer({ description: 'How many of the newest stories fill the front after the arranged ones' }),
  goLiveAt: NullableTime,
  wentLiveAt: NullableTime,
  updatedAt: Type.String({ format: 'date-time' }),
  slots: Type.Array(SlotJson),
});

export const FrontJson = Type.Object({
  front: Type.String({ description: '"home" or the section\'s slug' }),
  title: Type.String(),
  path: Type.String({ description: 'Where readers see it' }),
  live: Type.Union([LayoutJson, Type.Null()], { description: 'null: nothing is arranged, the front shows the newest stories' }),
  draft: Type.Union([LayoutJson, Type.Null()]),
  scheduled: Type.Array(LayoutJson, { description: 'By go-live time' }),
});

export const FrontEnvelope = Type.Object({ front: FrontJson });
export const FrontListJson = Type.Object({ fronts: Type.Array(FrontJson) });

export const DraftBody = Type.Object(
  {
    slots: Type.Array(Id, {
      maxItems: 100,
      description: 'Story ids in slot order: the lead, then the top stories, then pinned ones (10 at most; published stories only, each once)',
    }),
    latestCount: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_LATEST, description: 'Newest stories after the arranged ones; kept from the previous layout when left out' })),
  },
  { additionalProperties: false },
);
export type DraftBody = Static<typeof DraftBody>;

export const PublishBody = Type.Object(
  { at: Type.Optional(Type.String({ format: 'date-time', description: 'Go live at this time; leave out to go live now' })) },
  { additionalProperties: false },
);
