/**
 * Who may do what with the media library, as pure functions.
 *
 * - Whoever may write a story (contributors, editors, admins) may upload
 *   images and browse the library, to pick images for their stories.
 * - Contributors may change the alt text, caption and credit of images they
 *   uploaded; editors and admins of any image.
 * - Deleting an image may break published stories that show it, so it takes
 *   the right to publish: editors and admins.
 * - Readers and anonymous visitors may do nothing here.
 *
 * Each media action rests on the newsroom action that carries the same rule,
 * so the newsroom's policy stays the one place roles are ranked, and the
 * admin API's permission matrix (test/permissions.test.ts) checks media routes
 * from the newsroom action they declare.
 */
import { can, type Actor, type NewsroomAction, type Verdict } from '../accounts/staff.policy.js';

export const MEDIA_ACTIONS = ['media.upload', 'media.list', 'media.read', 'media.edit', 'media.delete'] as const;
export type MediaAction = (typeof MEDIA_ACTIONS)[number];

/** The newsroom action whose rule each media action follows (routes declare it as `config.newsroomAction`). */
export const NEWSROOM_EQUIVALENT: Record<MediaAction, NewsroomAction> = {
  'media.upload': 'article.create',
  'media.list': 'article.list',
  'media.read': 'article.list',
  'media.edit': 'article.create',
  'media.delete': 'article.publish',
};

/** The image acted on, when there is one. */
export interface MediaSubject {
  uploadedBy: number | null;
}

/** May `actor` do `action` (to `media`, when acting on one image)? */
export function canMedia(actor: Actor | null, action: MediaAction, media?: MediaSubject): Verdict {
  const verdict = can(actor, NEWSROOM_EQUIVALENT[action]);
  if (verdict !== true || action !== 'media.edit' || !media || !actor) return verdict;
  if (actor.role !== 'contributor') return true;
  if (actor.userId !== null && media.uploadedBy === actor.userId) return true;
  return { status: 403, code: 'forbidden', message: 'Contributors may only change images they uploaded.' };
}
