/**
 * What the newsroom knows about a story: its full editable state (a revision
 * stores exactly this, as JSON), and the workflow it moves through.
 */
import type { BodyDoc } from './body.js';
import type { ArticleStatus, CommentsMode } from '../platform/db/types.js';

export interface HeroInput {
  url: string;
  alt: string;
  caption: string | null;
  credit: string | null;
}

/** Everything an editor can change on a story; every save stores one as a revision. */
export interface StorySnapshot {
  headline: string;
  standfirst: string;
  body: BodyDoc;
  sectionId: number;
  tagIds: number[];
  authorIds: number[];
  /** e.g. "Staff, Agencies". */
  credit: string | null;
  hero: HeroInput | null;
  slug: string;
  seoTitle: string | null;
  seoDescription: string | null;
  /** null: the site-wide default. */
  commentsMode: CommentsMode | null;
  language: string;
}

export const SNAPSHOT_FIELDS = [
  'headline', 'standfirst', 'body', 'sectionId', 'tagIds', 'authorIds', 'credit', 'hero', 'slug', 'seoTitle', 'seoDescription',
  'commentsMode', 'language',
] as const satisfies ReadonlyArray<keyof StorySnapshot>;

/** The workflow's moves; each names the statuses it starts from (see story.rules.ts). */
export type WorkflowMove = 'submit' | 'publish' | 'schedule' | 'unpublish' | 'delete' | 'correct';

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'a draft',
  review: 'in review',
  scheduled: 'scheduled',
  published: 'published',
  unpublished: 'unpublished',
};
