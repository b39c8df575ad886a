/** Explicit JSON output: every field the API returns is listed here. */
import type { Page } from '../content/content.model.js';
import type { ModerationResult } from './comment.service.js';
import { commentPaths, type Discussion, type OwnComment, type PublicComment, type PublicThread, type QueueItem } from './comment.model.js';

function pagination(p: Page<unknown>) {
  return { page: p.page, limit: p.pageSize, total: p.total, totalPages: p.totalPages };
}

export function presentComment(c: PublicComment, site: string) {
  return {
    id: c.id,
    articleId: c.articleId,
    parentId: c.parentId,
    author: c.author ? { id: c.author.id, displayName: c.author.displayName } : null,
    bodyHtml: c.bodyHtml,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    featured: c.featured,
    placeholder: c.placeholder,
    url: site + commentPaths.permalink(c.id),
  };
}

export function presentThread(t: PublicThread, site: string) {
  return { ...presentComment(t, site), replies: t.replies.map((r) => presentComment(r, site)) };
}

export function presentDiscussion(d: Discussion, site: string) {
  return {
    articleId: d.articleId,
    mode: d.mode,
    count: d.count,
    sort: d.sort,
    comments: d.threads.items.map((t) => presentThread(t, site)),
    pagination: pagination(d.threads),
  };
}

export function presentOwnComment(c: OwnComment, site: string) {
  return { ...presentComment(c, site), status: c.status, body: c.body };
}

export function presentQueue(q: Page<QueueItem>, site: string) {
  return {
    comments: q.items.map((i) => ({
      id: i.id,
      parentId: i.parentId,
      article: { id: i.article.id, headline: i.article.headline, url: site + i.article.path },
      author: i.author ? { id: i.author.id, displayName: i.author.displayName, commentBanned: i.author.commentBanned, role: i.author.role } : null,
      body: i.body,
      bodyHtml: i.bodyHtml,
      status: i.status,
      heldReason: i.heldReason,
      featured: i.featured,
      reportCount: i.reportCount,
      reports: i.reports.map((r) => ({ reason: r.reason, createdAt: r.createdAt, resolved: r.resolved })),
      createdAt: i.createdAt,
      editedAt: i.editedAt,
      url: site + commentPaths.permalink(i.id),
    })),
    pagination: pagination(q),
  };
}

export function presentModeration(r: ModerationResult) {
  return {
    comment: { id: r.id, articleId: r.articleId, status: r.status, featured: r.featured, heldReason: r.heldReason, reportCount: r.reportCount },
  };
}
