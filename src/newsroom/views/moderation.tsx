/**
 * The newsroom's moderation queue, in the newsroom's own shell (its
 * navigation names it "Comments"): plain forms that POST, so it works
 * without JavaScript. Staff only; never cached.
 */
import { NewsroomLayout, type NewsroomUser } from './layout.js';
import { Pagination, RelTime } from '../../web/components.js';
import type { Chrome } from '../../web/view-types.js';
import type { Page } from '../../content/content.model.js';
import { commentPaths, QUEUE_FILTERS, type QueueFilter, type QueueItem } from '../../comments/comment.model.js';

export interface ModerationPageProps {
  filter: QueueFilter;
  queue: Page<QueueItem>;
  /** A one-line confirmation after an action ("Comment 12 approved."). */
  notice?: string | null;
  /** The moderator, for the newsroom's header and navigation. */
  user: NewsroomUser;
}

const FILTER_LABELS: Record<QueueFilter, string> = {
  queue: 'Waiting',
  pending: 'New',
  held: 'Held',
  reported: 'Reported',
  approved: 'Approved',
  rejected: 'Rejected',
};

const STATUS_LABELS: Record<QueueItem['status'], string> = {
  pending: 'New (pre-moderated)',
  held: 'Held for review',
  approved: 'Approved',
  rejected: 'Rejected',
};

function ActionForm({ action, label, filter, page, primary }: { action: string; label: string; filter: QueueFilter; page: number; primary?: boolean }) {
  return (
    <form method="post" action={action} class="mod-action">
      <input type="hidden" name="status" value={filter} />
      <input type="hidden" name="page" value={String(page)} />
      <button type="submit" class={`button${primary ? ' button--primary' : ''}`}>
        {label}
      </button>
    </form>
  );
}

function QueueEntry({ item, filter, page, now }: { item: QueueItem; filter: QueueFilter; page: number; now: Date }) {
  const base = `/newsroom/comments/${item.id}`;
  const author = item.author;
  const canBan = author && author.role !== 'editor' && author.role !== 'admin';
  return (
    <li class="mod-item" id={`mod-${item.id}`} data-comment-id={String(item.id)} data-status={item.status}>
      <p class="mod-item__meta">
        <span class={`mod-status mod-status--${item.status}`}>{STATUS_LABELS[item.status]}</span>
        {item.featured ? <span class="comment__badge">Featured</span> : null}
        <span class="mod-item__author">
          {author ? author.displayName : 'Former reader'}
          {author?.commentBanned ? <span class="mod-banned"> (banned from commenting)</span> : null}
        </span>
        <span>
          on <a href={item.article.path}>{item.article.headline}</a>
        </span>
        <RelTime iso={item.createdAt} now={now} />
        {item.editedAt ? <span class="comment__edited">edited</span> : null}
        {item.parentId ? <span class="mod-item__reply">reply to comment {item.parentId}</span> : null}
      </p>
      {item.heldReason ? (
        <p class="mod-item__reason">
          <strong>Held:</strong> {item.heldReason}
        </p>
      ) : null}
      <div class="comment__body mod-item__body" dir="auto" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      {item.reports.length ? (
        <div class="mod-item__reports">
          <p>
            <strong>
              {item.reportCount} unresolved {item.reportCount === 1 ? 'report' : 'reports'}
            </strong>
          </p>
          <ul>
            {item.reports.map((r) => (
              <li class={r.resolved ? 'mod-report--resolved' : undefined}>
                {r.reason} <RelTime iso={r.createdAt} now={now} />
                {r.resolved ? ' (resolved)' : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div class="mod-item__actions">
        {item.status !== 'approved' ? <ActionForm action={`${base}/approve`} label="Approve" filter={filter} page={page} primary /> : null}
        {item.status !== 'rejected' ? <ActionForm action={`${base}/reject`} label="Reject" filter={filter} page={page} /> : null}
        {item.status === 'approved' && item.reportCount > 0 ? <ActionForm action={`${base}/approve`} label="Keep (dismiss reports)" filter={filter} page={page} /> : null}
        {item.status === 'approved' && !item.featured ? <ActionForm action={`${base}/feature`} label="Feature" filter={filter} page={page} /> : null}
        {item.featured ? <ActionForm action={`${base}/unfeature`} label="Unfeature" filter={filter} page={page} /> : null}
        {canBan && author ? (
          author.commentBanned ? (
            <ActionForm action={`/newsroom/users/${author.id}/comment-unban`} label={`Lift ban on ${author.displayName}`} filter={filter} page={page} />
          ) : (
            <ActionForm action={`/newsroom/users/${author.id}/comment-ban`} label={`Ban ${author.displayName} from commenting`} filter={filter} page={page} />
          )
        ) : null}
      </div>
    </li>
  );
}

export function ModerationPage({ chrome, user, filter, queue, notice }: ModerationPageProps & { chrome: Chrome }) {
  const { page, totalPages } = queue;
  return (
    <NewsroomLayout chrome={chrome} user={user} title="Comment moderation" screen="comments" notice={notice}>
      <section class="moderation" aria-label="Moderation queue">
        <nav class="chip-nav" aria-label="Which comments">
          <ul class="chip-nav__list" role="list">
            {QUEUE_FILTERS.map((f) => (
              <li>
                <a class="chip" href={commentPaths.moderation(f)} aria-current={f === filter ? 'page' : undefined}>
                  {FILTER_LABELS[f]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="mod-count">
          {queue.total === 0 ? 'Nothing here.' : `${queue.total} ${queue.total === 1 ? 'comment' : 'comments'}`}
          {totalPages > 1 ? `, page ${page} of ${totalPages}` : ''}
        </p>
        <ol class="mod-list" role="list">
          {queue.items.map((item) => (
            <QueueEntry item={item} filter={filter} page={page} now={chrome.now} />
          ))}
        </ol>
        <Pagination page={page} totalPages={totalPages} label="Pages" href={(n) => commentPaths.moderation(filter, n)} words={{ prev: 'Previous', next: 'Next', what: 'comments' }} />
      </section>
    </NewsroomLayout>
  );
}
