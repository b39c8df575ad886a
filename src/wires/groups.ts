/**
 * What the desk's group view needs from grouping: the recent wire stories
 * (groups of items about one event), newest first. The stored groups
 * (grouping/grouping.service.ts, `storedGroupSource`) implement it.
 */

export interface WireGroupSource {
  /** True when groups are not stored (each item alone), so the page can say so. */
  readonly fallback: boolean;
  /** Recent groups, newest change first: each with its item ids, the lead item first. */
  listGroups(opts: { limit: number }): Promise<Array<{ id: string; itemIds: number[] }>>;
}
