/**
 * What the desk's group view needs from grouping: the recent wire stories
 * (groups of items about one event), newest first. The stored groups
 * (grouping/grouping.service.ts, `storedGroupSource`) implement it.
 */

export interface WireGroupSource {
  /** Recent groups, newest change first: each with its item ids, the lead item first. */
  listGroups(opts: { limit: number }): Promise<Array<{ id: string; itemIds: number[] }>>;
}
