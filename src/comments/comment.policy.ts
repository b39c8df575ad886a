/**
 * Who may do what in the discussion, as pure functions. Each answers `true` or
 * the refusal to give (status, stable code, a message a reader understands);
 * `authorize()` turns a refusal into the error the routes send.
 */
import type { CommentsMode, CommentStatus, Role } from '../platform/db/types.js';
import { refuse, type Verdict } from '../platform/policy.js';

export interface Actor {
  id: number;
  role: Role;
  commentBanned: boolean;
}

/**
 * Who moderates: a staff member signed in, or an integration with an API
 * token (whose maker may be nobody, for a token made on the command line).
 */
export interface Moderator {
  id: number | null;
  role: Role;
  /** Set when the request came with an API token (for the audit log). */
  tokenId?: number | null;
}

/** What the rules need to know about a comment. */
export interface CommentFacts {
  userId: number | null;
  status: CommentStatus;
  createdAt: string;
  deletedAt: string | null;
}

export { authorize, PolicyError, type Refusal, type Verdict } from '../platform/policy.js';

export const CLOSED_MESSAGE = 'Comments are closed on this story. Nothing was posted.';
export const BANNED_MESSAGE = 'Your account may not post comments. Nothing was posted.';

export function isStaffModerator(actor: Pick<Actor, 'role'> | null): boolean {
  return actor?.role === 'editor' || actor?.role === 'admin';
}

/** Post a comment or a reply on a story in `mode`. */
export function canPost(actor: Actor | null, mode: CommentsMode): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in to join the discussion.');
  if (actor.commentBanned) return refuse(403, 'comment_banned', BANNED_MESSAGE);
  if (mode === 'closed') return refuse(403, 'comments_closed', CLOSED_MESSAGE);
  return true;
}

/** Whether a new comment waits for a moderator because of the story's mode (staff comments never do). */
export function needsPremoderation(actor: Actor, mode: CommentsMode): boolean {
  return mode === 'premoderated' && !isStaffModerator(actor);
}

/** Edit one's own comment, within the edit window, on a story still open. */
export function canEdit(actor: Actor | null, comment: CommentFacts, mode: CommentsMode, now: Date, editWindowMs: number): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in first.');
  if (comment.deletedAt) return refuse(404, 'not_found', 'That comment was deleted.');
  if (comment.userId !== actor.id) return refuse(403, 'forbidden', 'You can only edit your own comments.');
  if (actor.commentBanned) return refuse(403, 'comment_banned', 'Your account may not post or edit comments. Nothing was changed.');
  if (mode === 'closed') return refuse(403, 'comments_closed', 'Comments are closed on this story. Nothing was changed.');
  if (comment.status === 'rejected') return refuse(403, 'forbidden', 'A moderator removed this comment; it can no longer be edited.');
  if (now.getTime() - Date.parse(comment.createdAt) > editWindowMs) {
    return refuse(403, 'edit_window_closed', `Comments can be edited for ${Math.round(editWindowMs / 60_000)} minutes after posting. Nothing was changed.`);
  }
  return true;
}

/** Delete a comment: its author, or a moderator. */
export function canDelete(actor: Actor | null, comment: CommentFacts): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in first.');
  if (comment.deletedAt) return refuse(404, 'not_found', 'That comment was already deleted.');
  if (comment.userId === actor.id || isStaffModerator(actor)) return true;
  return refuse(403, 'forbidden', 'You can only delete your own comments.');
}

/** Report someone else's visible comment. */
export function canReport(actor: Actor | null, comment: CommentFacts): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in to report a comment.');
  if (comment.deletedAt || comment.status !== 'approved') return refuse(404, 'not_found', 'That comment is not shown, so there is nothing to report.');
  if (comment.userId === actor.id) return refuse(403, 'forbidden', 'You cannot report your own comment; you can edit or delete it.');
  return true;
}

/** The moderation queue and its actions (approve, reject, feature). */
export function canModerate(actor: Moderator | null): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in first.');
  if (!isStaffModerator(actor)) return refuse(403, 'forbidden', 'Only editors and admins moderate comments.');
  return true;
}

/** Ban or unban someone from commenting: moderators, on readers and contributors other than themselves. */
export function canBan(actor: Moderator | null, target: { id: number; role: Role }): Verdict {
  const moderator = canModerate(actor);
  if (moderator !== true) return moderator;
  if (target.id === actor!.id) return refuse(403, 'forbidden', 'You cannot ban yourself from commenting.');
  if (isStaffModerator(target)) return refuse(403, 'forbidden', 'Editors and admins cannot be banned from commenting; change their role first.');
  return true;
}

/** Open, close or pre-moderate one story's discussion. */
export function canSetArticleMode(actor: Moderator | null): Verdict {
  return canModerate(actor);
}

/** The site-wide comment settings. */
export function canManageSettings(actor: Moderator | null): Verdict {
  if (!actor) return refuse(401, 'unauthorized', 'Please sign in first.');
  if (actor.role !== 'admin') return refuse(403, 'forbidden', 'Only admins change the site-wide comment settings.');
  return true;
}

