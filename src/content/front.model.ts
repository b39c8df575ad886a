/**
 * Curated fronts: what a layout is, and its limits. A layout is an ordered
 * list of stories and a number: the first story is the lead, the next
 * TOP_SLOTS the top stories beside it, the rest are pinned (they open the
 * "Latest" list on the home page, and follow the top stories on a section
 * front); then `latestCount` of the newest stories not already arranged fill
 * the rest. A story that stops being public leaves its slot at once and the
 * stories after it move up (the front is built from the stories that are
 * public at render time). A front with no live layout is built as before any
 * layout existed: newest first.
 */

/** Stories beside the lead (the home page's "top stories" column). */
export const TOP_SLOTS = 4;
/** Arranged stories on one front at most: the lead, the top stories and pinned ones. */
export const MAX_SLOTS = 10;
/** Newest stories filling a front at most. */
export const MAX_LATEST = 30;
/** The home page shows 13 stories when nothing is arranged: the lead and twelve more. */
export const HOME_STORIES = 13;
/** A section front's first page shows a page of stories (PAGE_SIZE, content-pages.routes.ts). */
export const SECTION_STORIES = 12;

export type SlotRole = 'lead' | 'top' | 'pinned';

export function roleOf(position: number): SlotRole {
  if (position === 0) return 'lead';
  return position <= TOP_SLOTS ? 'top' : 'pinned';
}

/** What a reader's front is built from. */
export interface LiveLayout {
  articleIds: number[];
  latestCount: number;
}

/** How a front is named: in URLs and the API "home" or the section's slug; in the database "home" or "section:<id>". */
export const HOME_FRONT = 'home';
export const sectionFront = (sectionId: number) => `section:${sectionId}`;

/** The newest stories a front shows when its layout arranges nothing else. */
export const defaultLatest = (front: string) => (front === HOME_FRONT ? HOME_STORIES - 1 : SECTION_STORIES - 1);
