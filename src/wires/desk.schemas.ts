/** Request and response schemas of the wire desk's "Use this", story provenance and settings (admin API). */
import { Type, type Static } from 'typebox';
import { Nullable, STRICT } from '../content/story.schemas.js';
import { Id } from '../platform/input.js';

export const UseItemsBody = Type.Object({
  items: Type.Array(Id, { minItems: 1, maxItems: 20, description: 'Wire item ids; the first leads (its headline and body)' }),
}, STRICT);
export type UseItemsBody = Static<typeof UseItemsBody>;

const WordPart = Type.Object({ kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]), text: Type.String() });
const Segment = Type.Union([
  Type.Object({ kind: Type.Union([Type.Literal('same'), Type.Literal('added'), Type.Literal('removed')]), text: Type.String() }),
  Type.Object({ kind: Type.Literal('changed'), before: Type.String(), after: Type.String(), parts: Type.Array(WordPart) }),
]);

export const StoryWireJson = Type.Object({
  sources: Type.Array(Type.Object({
    itemId: Type.Integer(),
    headline: Type.String(),
    provider: Type.String({ description: 'The provider\'s credit' }),
    seq: Type.Integer({ description: 'The version the story was made from' }),
    seenSeq: Type.Integer({ description: 'The latest version an editor has seen' }),
    currentSeq: Type.Integer(),
    embargoUntil: Nullable(Type.String()),
    pubStatus: Type.String(),
    signal: Nullable(Type.String()),
  })),
  killed: Type.Boolean({ description: 'A source was canceled (killed) or withheld by its agency' }),
  updateAvailable: Type.Boolean(),
  embargoUntil: Nullable(Type.String({ description: 'The latest embargo still in force' })),
  updates: Type.Array(Type.Object({
    itemId: Type.Integer(),
    provider: Type.String(),
    fromSeq: Type.Integer(),
    toSeq: Type.Integer(),
    signal: Nullable(Type.String()),
    diff: Type.Object({
      headline: Nullable(Type.Array(WordPart)),
      segments: Type.Array(Segment),
      counts: Type.Object({ added: Type.Integer(), removed: Type.Integer(), changed: Type.Integer(), same: Type.Integer() }),
    }),
  })),
});

export const SeenJson = Type.Object({ seen: Type.Integer({ description: 'Sources whose current version is now marked seen' }) });

export const DeskSettingsJson = Type.Object({
  killUnpublish: Type.Boolean({ description: 'Unpublish stories automatically when a wire item behind them is killed or withheld' }),
}, STRICT);
export type DeskSettingsJson = Static<typeof DeskSettingsJson>;
