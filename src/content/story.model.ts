/**
 * What the newsroom knows about a story: its full editable state (a revision
 * stores exactly this, as JSON), and the workflow it moves through.
 */
import type { ArticleStatus, CommentsMode } from '../platform/db/types.js';
import { bodyText, type BlockNode, type BodyDoc } from './body.js';

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

/** The workflow's moves; each names the statuses it starts from (see the rules below). */
export type WorkflowMove = 'submit' | 'publish' | 'schedule' | 'unpublish' | 'delete' | 'correct';

export const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'a draft',
  review: 'in review',
  scheduled: 'scheduled',
  published: 'published',
  unpublished: 'unpublished',
};

/**
 * The editorial workflow's rules, as pure functions: which moves each status
 * allows, when a story is fit to publish (a headline, a body, alt text on
 * every image), and what a requested publication time means.
 */
/** A publication time this far in the past is taken as "now" (clocks and networks are not exact). */
export const PUBLISH_GRACE_MS = 60_000;
/** Nothing is scheduled further ahead than this. */
export const MAX_SCHEDULE_AHEAD_MS = 2 * 365 * 24 * 3600_000;

const MOVES: Record<WorkflowMove, readonly ArticleStatus[]> = {
  submit: ['draft'],
  publish: ['draft', 'review', 'scheduled', 'unpublished'],
  schedule: ['draft', 'review', 'scheduled', 'unpublished'],
  // Unpublishing a scheduled story cancels its schedule (it goes back to draft).
  unpublish: ['published', 'scheduled'],
  // A story the public can see, or soon will, is unpublished first.
  delete: ['draft', 'review', 'unpublished'],
  correct: ['published'],
};

const MOVE_WORDS: Record<WorkflowMove, string> = {
  submit: 'submitted for review',
  publish: 'published',
  schedule: 'scheduled',
  unpublish: 'unpublished',
  delete: 'deleted',
  correct: 'corrected',
};

/** null when `move` is allowed from `status`, otherwise why not. */
export function moveProblem(status: ArticleStatus, move: WorkflowMove): string | null {
  if (MOVES[move].includes(status)) return null;
  const hint = move === 'delete' ? ' Unpublish it first.' : move === 'correct' ? ' Corrections are shown on published stories.' : '';
  return `This story is ${STATUS_LABELS[status]}, so it cannot be ${MOVE_WORDS[move]}.${hint}`;
}

/** Statuses in which the public can see the story, or soon will: these must stay fit to publish. */
export function isLiveOrDue(status: ArticleStatus): boolean {
  return status === 'published' || status === 'scheduled';
}

function imagesOf(blocks: BlockNode[] | undefined, out: Array<{ src: string; alt: string }>): void {
  for (const b of blocks ?? []) {
    if (b.type === 'image') out.push({ src: String(b.attrs?.src ?? ''), alt: String(b.attrs?.alt ?? '') });
    else if (b.type === 'blockquote') imagesOf(b.content, out);
    else if (b.type === 'bulletList' || b.type === 'orderedList') for (const item of b.content ?? []) imagesOf(item.content, out);
  }
}

/** The images of a story that lack alt text, named so an editor can find them. */
export function imagesMissingAlt(story: Pick<StorySnapshot, 'hero' | 'body'>): string[] {
  const missing: string[] = [];
  if (story.hero && !story.hero.alt.trim()) missing.push('the hero image');
  const images: Array<{ src: string; alt: string }> = [];
  imagesOf(story.body.content, images);
  images.forEach((img, i) => {
    if (!img.alt.trim()) missing.push(`body image ${i + 1} (${img.src})`);
  });
  return missing;
}

function hasBody(body: BodyDoc): boolean {
  if (bodyText(body)) return true;
  const images: Array<{ src: string; alt: string }> = [];
  imagesOf(body.content, images);
  return images.length > 0;
}

/** Why the story may not be published as it stands, or an empty list. */
export function publishProblems(story: Pick<StorySnapshot, 'headline' | 'hero' | 'body'>): string[] {
  const problems: string[] = [];
  if (!story.headline.trim()) problems.push('It needs a headline.');
  if (!hasBody(story.body)) problems.push('It needs a body.');
  const noAlt = imagesMissingAlt(story);
  if (noAlt.length) problems.push(`Alt text is required on every image before publishing; missing on ${noAlt.join(', ')}.`);
  return problems;
}

export type PublishTiming = { kind: 'now' } | { kind: 'schedule'; at: string } | { kind: 'refused'; message: string };

/** What "publish at `at`" means at `now`: now (no time, or within the grace), a schedule, or a refusal. */
export function publishTiming(at: string | undefined, now: Date): PublishTiming {
  if (at === undefined) return { kind: 'now' };
  const when = Date.parse(at);
  if (Number.isNaN(when)) return { kind: 'refused', message: `"${at}" is not a time; send an ISO 8601 time such as 2026-12-01T09:00:00Z.` };
  if (when < now.getTime() - PUBLISH_GRACE_MS) {
    return { kind: 'refused', message: `${new Date(when).toISOString()} is in the past; choose a later time, or leave "at" out to publish now.` };
  }
  if (when > now.getTime() + MAX_SCHEDULE_AHEAD_MS) return { kind: 'refused', message: 'Stories can be scheduled at most two years ahead.' };
  if (when <= now.getTime()) return { kind: 'now' };
  return { kind: 'schedule', at: new Date(when).toISOString() };
}
