/**
 * What the desk's group view needs from grouping: the recent wire stories
 * (groups of items about one event), newest first.
 *
 * PLUG-IN POINT: the grouping storage (wire_groups, group_id on items) is
 * built separately; until it is merged, `itemPerGroup` below is the fallback
 * (each item its own group). The lead replaces it in services.ts with the
 * stored groups' implementation of `WireGroupSource`.
 */
import type { WireService } from './wire.service.js';

export interface WireGroupSource {
  /** True while groups are the fallback (each item alone), so the page can say so. */
  readonly fallback: boolean;
  /** Recent groups, newest change first: each with its item ids, the lead item first. */
  listGroups(opts: { limit: number }): Promise<Array<{ id: string; itemIds: number[] }>>;
}

/** FALLBACK (until stored grouping is merged): every item is its own group. */
export function itemPerGroup(wires: WireService): WireGroupSource {
  return {
    fallback: true,
    async listGroups({ limit }) {
      const items = await wires.items({ limit });
      return items.map((i) => ({ id: String(i.id), itemIds: [i.id] }));
    },
  };
}
