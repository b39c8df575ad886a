/**
 * Related stories, ranked in memory from every public story's tags: the same
 * rule as articleStore.related (the stories sharing the most tags among each
 * tag's 200 newest by id, then the newest; the section's own newest fill the
 * rest), for building many pages at once without a query per story.
 */

/** How many of each tag's newest stories compete to be a story's related ones (as articleStore.related). */
export const RELATED_CANDIDATES_PER_TAG = 200;

export interface RelatedCandidates {
  /** Public stories' publication time and section, by id. */
  stories: Map<number, { publishedAt: string; sectionId: number }>;
  /** Each tag's public stories, highest id first. */
  byTag: Map<number, number[]>;
  /** Each section's public stories, newest first (then highest id). */
  bySection: Map<number, number[]>;
}

export function candidatesOf(stories: Array<{ id: number; publishedAt: string; sectionId: number }>, tags: Array<{ articleId: number; tagId: number }>): RelatedCandidates {
  const byId = new Map(stories.map((s) => [s.id, { publishedAt: s.publishedAt, sectionId: s.sectionId }]));
  const byTag = new Map<number, number[]>();
  for (const { articleId, tagId } of tags) {
    if (!byId.has(articleId)) continue;
    let list = byTag.get(tagId);
    if (!list) byTag.set(tagId, (list = []));
    list.push(articleId);
  }
  for (const list of byTag.values()) list.sort((a, b) => b - a);
  const bySection = new Map<number, number[]>();
  const newest = [...stories].sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : b.id - a.id));
  for (const s of newest) {
    let list = bySection.get(s.sectionId);
    if (!list) bySection.set(s.sectionId, (list = []));
    list.push(s.id);
  }
  return { stories: byId, byTag, bySection };
}

/** The ids of `articleId`'s related stories, in the order its page shows them. */
export function rankRelated(c: RelatedCandidates, articleId: number, tagIds: number[], sectionId: number, limit: number): number[] {
  const shared = new Map<number, number>();
  for (const tagId of tagIds) {
    let taken = 0;
    for (const id of c.byTag.get(tagId) ?? []) {
      if (taken >= RELATED_CANDIDATES_PER_TAG) break;
      if (id === articleId) continue;
      taken++;
      shared.set(id, (shared.get(id) ?? 0) + 1);
    }
  }
  const ranked = [...shared]
    .sort(([a, n], [b, m]) => m - n || cmpDesc(c.stories.get(a)!.publishedAt, c.stories.get(b)!.publishedAt))
    .slice(0, limit)
    .map(([id]) => id);
  if (ranked.length < limit) {
    const taken = new Set([articleId, ...ranked]);
    for (const id of c.bySection.get(sectionId) ?? []) {
      if (ranked.length >= limit) break;
      if (!taken.has(id)) ranked.push(id);
    }
  }
  return ranked;
}

function cmpDesc(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}
