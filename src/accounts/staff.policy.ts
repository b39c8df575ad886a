/**
 * Who may do what in the newsroom, as pure functions over the actor's role,
 * the action and, for actions on one story, its owner and status.
 *
 * - Contributors write: they create stories, and read, edit, delete and submit
 *   for review their own while those are still drafts (draft or in review).
 *   They never publish, schedule, unpublish or correct, and never touch
 *   anyone else's story.
 * - Editors do everything to any story, and keep tags, authors, the
 *   breaking-news strip and the fronts (the arranged home page and section
 *   fronts, `front.manage`).
 * - Admins also manage people (and invite staff by email), API tokens,
 *   sections, settings and wire providers, and read the audit log.
 * - The wire desk: contributors and editors read it (`wire.read`); editors
 *   and admins work the quarantine (`wire.quarantine`).
 * - Readers and anonymous visitors may do nothing here.
 *
 * Each answer is `true` or the refusal to give; `authorize()` turns a refusal
 * into the error the routes send. The admin routes name their action in their
 * route config, and one hook (newsroom.routes.ts) checks it for every route;
 * services check again with the story in hand.
 */
import type { ArticleStatus, Role } from '../platform/db/types.js';
import { refuse, type Verdict } from '../platform/policy.js';

export const ROLES: readonly Role[] = ['reader', 'contributor', 'editor', 'admin'];
export const STAFF_ROLES: readonly Role[] = ['contributor', 'editor', 'admin'];

export const STORY_ACTIONS = [
  'article.read', 'article.edit', 'article.delete', 'article.submit', 'article.publish', 'article.unpublish',
  'article.correct', 'article.revisions', 'article.restore',
] as const;

export const NEWSROOM_ACTIONS = [
  'article.list', 'article.create', ...STORY_ACTIONS,
  'section.list', 'section.manage', 'tag.list', 'tag.manage', 'author.list', 'author.manage',
  'breaking.manage', 'user.list', 'user.manage', 'token.manage', 'audit.read', 'invitation.manage',
  'wire.read', 'wire.quarantine', 'wire.manage', 'page.manage', 'front.manage',
  // Posting to a live story publishes at once: editors and admins.
  'live.manage',
] as const;

export type StoryAction = (typeof STORY_ACTIONS)[number];
export type NewsroomAction = (typeof NEWSROOM_ACTIONS)[number];

export interface Actor {
  role: Role;
  /** The staff member acting (null for a token made on the command line). */
  userId: number | null;
}

/** What the rules need to know about a story. */
export interface StorySubject {
  ownerId: number | null;
  status: ArticleStatus;
}

export { authorize, PolicyError, type Refusal, type Verdict } from '../platform/policy.js';

/** A story is still the writer's while nobody has scheduled or published it. */
export const WRITER_STATUSES: readonly ArticleStatus[] = ['draft', 'review'];

/** What contributors may do to their own stories while those are drafts. */
const CONTRIBUTOR_OWN: ReadonlySet<StoryAction> = new Set(['article.read', 'article.revisions', 'article.edit', 'article.restore', 'article.delete', 'article.submit']);
/** What contributors may do at all, apart from their own stories. */
const CONTRIBUTOR_GENERAL: ReadonlySet<NewsroomAction> = new Set(['article.list', 'article.create', 'section.list', 'tag.list', 'author.list', 'wire.read']);
/** Only admins. */
const ADMIN_ONLY: ReadonlySet<NewsroomAction> = new Set(['section.manage', 'user.list', 'user.manage', 'token.manage', 'audit.read', 'invitation.manage', 'wire.manage', 'page.manage']);

export function isStoryAction(action: NewsroomAction): action is StoryAction {
  return (STORY_ACTIONS as readonly string[]).includes(action);
}

export function isStaff(role: Role): boolean {
  return STAFF_ROLES.includes(role);
}

/** Whether the owner of the story is the actor (a story nobody owns is nobody's own). */
function owns(actor: Actor, story: StorySubject | undefined): boolean {
  return !!story && actor.userId !== null && story.ownerId === actor.userId;
}

/**
 * May `actor` do `action` (to `story`, for actions on one story)? A story
 * action asked without a story is answered as for someone else's story.
 */
export function can(actor: Actor | null, action: NewsroomAction, story?: StorySubject): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in with a staff account, or send an API token.');
  if (!isStaff(actor.role)) return refuse(403, 'forbidden', 'The newsroom is for staff accounts only.');
  if (actor.role === 'admin') return true;
  if (ADMIN_ONLY.has(action)) return refuse(403, 'forbidden', 'Only admins may do that.');
  if (actor.role === 'editor') return true;
  // contributor
  if (CONTRIBUTOR_GENERAL.has(action)) return true;
  if (isStoryAction(action) && CONTRIBUTOR_OWN.has(action)) {
    if (!owns(actor, story)) return refuse(403, 'forbidden', 'Contributors may only work on their own stories.');
    if (action === 'article.read' || action === 'article.revisions') return true;
    if (WRITER_STATUSES.includes(story!.status)) return true;
    return refuse(403, 'forbidden', 'This story has left the drafts: only an editor may change it now.');
  }
  if (action === 'article.publish' || action === 'article.unpublish' || action === 'article.correct') {
    return refuse(403, 'forbidden', 'Only editors and admins may publish, schedule, unpublish or correct stories.');
  }
  return refuse(403, 'forbidden', 'Only editors and admins may do that.');
}

/**
 * Whether the actor may do `action` to at least some story (their own draft,
 * for contributors): what the route hook checks before the story is loaded.
 */
export function mayAttempt(actor: Actor | null, action: NewsroomAction): Verdict {
  if (!actor || !isStoryAction(action)) return can(actor, action);
  return can(actor, action, { ownerId: actor.userId, status: 'draft' });
}

/** Whether the actor sees every story in lists, or only their own. */
export function seesAllStories(actor: Actor): boolean {
  return can(actor, 'article.read', { ownerId: null, status: 'published' }) === true;
}

/** Tags named on a story that do not exist yet are created only for those who may manage tags. */
export function mayCreateTags(actor: Actor): boolean {
  return can(actor, 'tag.manage') === true;
}

/** Roles an admin may hand out to a token: any staff role. */
export function isTokenRole(role: Role): boolean {
  return isStaff(role);
}

