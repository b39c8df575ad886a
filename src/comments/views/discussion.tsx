/**
 * The discussion under a story: the form (or "Comments are closed"), the
 * threads and a link to more. The same for every reader, so it can be cached:
 * whether the reader is signed in, and which comments are theirs, is decided
 * in the browser (src/client/comments.ts) from /api/v1/me.
 *
 * Inside `.comments-thread` only comments are rendered (no forms, no icons),
 * and comment bodies are the sanitizer's HTML (p, br, a).
 */
import { RelTime } from '../../web/components.js';
import { exactTime } from '../../web/relative-time.js';
import { commentPaths, type Discussion, type PublicComment, type PublicThread } from '../comment.model.js';
import { DEFAULT_LIMITS } from '../comment.model.js';

export function CommentItem({ comment, now }: { comment: PublicComment; now: Date }) {
  const anchor = commentPaths.anchor(comment.id);
  if (comment.placeholder) {
    return (
      <article class="comment comment--gone" id={anchor} data-comment-id={String(comment.id)}>
        <p class="comment__gone">{comment.placeholder === 'deleted' ? 'Comment deleted' : 'Comment removed'}</p>
      </article>
    );
  }
  return (
    <article
      class={`comment${comment.featured ? ' comment--featured' : ''}`}
      id={anchor}
      data-comment-id={String(comment.id)}
      data-author-id={comment.author ? String(comment.author.id) : undefined}
      data-parent-id={comment.parentId ? String(comment.parentId) : undefined}
      data-created-at={comment.createdAt}
    >
      <header class="comment__meta">
        <span class="comment__author">{comment.author?.displayName ?? 'Former reader'}</span>
        {comment.featured ? <span class="comment__badge">Featured</span> : null}
        <a class="comment__permalink" href={commentPaths.permalink(comment.id)}>
          <RelTime iso={comment.createdAt} now={now} />
        </a>
        {comment.editedAt ? (
          <span class="comment__edited" title={`Edited ${exactTime(comment.editedAt)}`}>
            edited
          </span>
        ) : null}
      </header>
      <div class="comment__body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
    </article>
  );
}

export function CommentThreadItem({ thread, now }: { thread: PublicThread; now: Date }) {
  return (
    <li class="comment-thread">
      <CommentItem comment={thread} now={now} />
      {thread.replies.length ? (
        <ol class="comment-replies" role="list">
          {thread.replies.map((r) => (
            <li>
              <CommentItem comment={r} now={now} />
            </li>
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** The form, or why there is none. Signed out readers see the sign-in link; the client script shows the right one. */
export function CommentComposer({ discussion, articlePath }: { discussion: Discussion; articlePath: string }) {
  const { articleId, mode } = discussion;
  if (mode === 'closed') {
    return (
      <div class="comments-compose" data-comments-compose data-mode="closed">
        <p class="comments-closed">Comments are closed on this story.</p>
      </div>
    );
  }
  const maxLength = discussion.maxLength || DEFAULT_LIMITS.maxLength;
  return (
    <div class="comments-compose" data-comments-compose data-mode={mode}>
      {mode === 'premoderated' ? <p class="comments-note">Comments on this story appear once a moderator has approved them.</p> : null}
      <p class="comments-signin" data-comments-signin>
        <a href={commentPaths.signIn(`${articlePath}#comments`)}>Sign in to join the discussion</a>
      </p>
      <p class="comments-banned" data-comments-banned hidden>
        Your account may not post comments.
      </p>
      <form class="comment-form" method="post" action={commentPaths.discussion(articleId)} data-comments-form>
        <label class="comment-form__label" for={`comment-body-${articleId}`}>
          Your comment
        </label>
        <textarea id={`comment-body-${articleId}`} name="body" rows={5} maxLength={maxLength} required />
        <p class="comment-form__hint">Plain text; a blank line starts a new paragraph and links become clickable. Up to {maxLength.toLocaleString('en')} characters.</p>
        <div class="comment-form__row">
          <button type="submit" class="button">
            Post comment
          </button>
          <p class="comment-form__status" role="status" aria-live="polite" data-comments-status></p>
        </div>
      </form>
      <p id="comments-pending" class="comments-pending-note" tabIndex={-1}>
        Thank you. Your comment will appear once a moderator has approved it.
      </p>
    </div>
  );
}

export function CommentSortLinks({ discussion, basePage }: { discussion: Discussion; basePage: 'article' | 'discussion' }) {
  if (discussion.threads.total < 2) return null;
  const link = (sort: 'newest' | 'oldest', label: string) => {
    const current = discussion.sort === sort;
    return (
      <a href={commentPaths.discussion(discussion.articleId, { sort })} aria-current={current && basePage === 'discussion' ? 'page' : current ? 'true' : undefined} data-comments-sort={sort}>
        {label}
      </a>
    );
  };
  return (
    <p class="comments-sort">
      <span class="comments-sort__label">Sort:</span> {link('newest', 'Newest first')} {link('oldest', 'Oldest first')}
    </p>
  );
}

export function CommentThreads({ discussion, now }: { discussion: Discussion; now: Date }) {
  const threads = discussion.threads.items;
  return (
    <div
      class="comments-thread"
      data-article-id={String(discussion.articleId)}
      data-comment-count={String(discussion.count)}
      data-comments-sort-order={discussion.sort}
      data-comments-mode={discussion.mode}
      data-edit-window-ms={String(discussion.editWindowMs)}
    >
      {threads.length === 0 ? <p class="comments-empty">No comments yet.</p> : null}
      <ol class="comment-list" role="list">
        {threads.map((t) => (
          <CommentThreadItem thread={t} now={now} />
        ))}
      </ol>
    </div>
  );
}

/** "More comments": the next page of the discussion (the client script loads it in place). */
export function MoreComments({ discussion }: { discussion: Discussion }) {
  const { page, totalPages } = discussion.threads;
  if (page >= totalPages) return null;
  return (
    <p class="comments-more">
      <a class="button" href={commentPaths.discussion(discussion.articleId, { page: page + 1, sort: discussion.sort })} data-comments-more data-next-page={String(page + 1)}>
        More comments
      </a>
    </p>
  );
}

/** Everything under the article's "Comments (n)" heading. */
export function ArticleDiscussion({ discussion, articlePath, now }: { discussion: Discussion; articlePath: string; now: Date }) {
  return (
    <>
      <CommentComposer discussion={discussion} articlePath={articlePath} />
      <CommentSortLinks discussion={discussion} basePage="article" />
      <CommentThreads discussion={discussion} now={now} />
      <MoreComments discussion={discussion} />
    </>
  );
}
