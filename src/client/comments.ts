/**
 * The discussion, better with JavaScript. The cached page is the same for
 * everyone; this script asks /api/v1/me who is reading (404 or 401: signed
 * out), shows the form or the sign-in link, posts in place, adds Reply, Edit,
 * Delete and Report, and loads more comments or the other sort order from
 * the JSON API. The server checks every rule again.
 */
import '../comments/views/comments.css';
import { exactTime, relativeTime } from '../web/relative-time.js';
import { loadMe } from './me.js';

interface Me {
  id: number;
  displayName: string;
  role: string;
  commentBanned: boolean;
}

interface CommentJson {
  id: number;
  parentId: number | null;
  author: { id: number; displayName: string } | null;
  bodyHtml: string;
  createdAt: string;
  editedAt: string | null;
  featured: boolean;
  placeholder: 'deleted' | 'removed' | null;
  replies?: CommentJson[];
  status?: 'pending' | 'approved' | 'rejected' | 'held';
}

interface DiscussionJson {
  count: number;
  comments: CommentJson[];
  pagination: { page: number; totalPages: number };
}

interface Answer<T> {
  status: number;
  data: T | null;
  message: string;
}

const AWAITING = 'Thank you. Your comment will appear once a moderator has approved it.';

async function api<T>(method: string, url: string, body?: unknown): Promise<Answer<T>> {
  try {
    const res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = res.status === 204 ? null : ((await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null);
    const message = data?.error?.message ?? (res.ok ? '' : 'That did not work. Please try again.');
    return { status: res.status, data: res.ok ? data : null, message };
  } catch {
    return { status: 0, data: null, message: 'We could not reach the site. Check your connection and try again.' };
  }
}

async function loadReader(): Promise<Me | null> {
  return (await loadMe())?.user ?? null;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The same markup as the server's CommentItem (src/comments/views/discussion.tsx). */
function renderComment(c: CommentJson): HTMLElement {
  const art = el('article', { class: `comment${c.featured ? ' comment--featured' : ''}`, id: `comment-${c.id}`, 'data-comment-id': String(c.id) });
  if (c.placeholder) {
    art.classList.add('comment--gone');
    art.append(el('p', { class: 'comment__gone' }, c.placeholder === 'deleted' ? 'Comment deleted' : 'Comment removed'));
    return art;
  }
  if (c.author) art.dataset.authorId = String(c.author.id);
  if (c.parentId) art.dataset.parentId = String(c.parentId);
  art.dataset.createdAt = c.createdAt;
  const meta = el('header', { class: 'comment__meta' });
  meta.append(el('span', { class: 'comment__author' }, c.author?.displayName ?? 'Former reader'));
  if (c.featured) meta.append(el('span', { class: 'comment__badge' }, 'Featured'));
  const link = el('a', { class: 'comment__permalink', href: `/comments/${c.id}` });
  link.append(el('time', { datetime: c.createdAt, title: exactTime(c.createdAt), 'data-relative': '' }, relativeTime(c.createdAt)));
  meta.append(link);
  if (c.editedAt) meta.append(el('span', { class: 'comment__edited', title: `Edited ${exactTime(c.editedAt)}` }, 'edited'));
  const body = el('div', { class: 'comment__body', dir: 'auto' });
  // bodyHtml is the server's sanitized HTML (p, br, a only), the same that the page itself shows.
  body.innerHTML = c.bodyHtml;
  art.append(meta, body);
  return art;
}

function renderThread(t: CommentJson): HTMLLIElement {
  const li = el('li', { class: 'comment-thread' });
  li.append(renderComment(t));
  if (t.replies?.length) {
    const ol = el('ol', { class: 'comment-replies', role: 'list' });
    for (const r of t.replies) {
      const item = el('li');
      item.append(renderComment(r));
      ol.append(item);
    }
    li.append(ol);
  }
  return li;
}

/** The text of a rendered body, as its author typed it: paragraphs, line breaks, link text. */
function bodyText(body: Element): string {
  return [...body.querySelectorAll('p')]
    .map((p) => [...p.childNodes].map((n) => (n.nodeName === 'BR' ? '\n' : n.textContent ?? '')).join(''))
    .join('\n\n');
}

function start(section: HTMLElement, thread: HTMLElement): void {
  const articleId = Number(thread.dataset.articleId);
  const mode = thread.dataset.commentsMode ?? 'open';
  const editWindowMs = Number(thread.dataset.editWindowMs) || 15 * 60_000;
  const list = thread.querySelector<HTMLOListElement>('.comment-list')!;
  const form = section.querySelector<HTMLFormElement>('[data-comments-form]');
  const formStatus = section.querySelector<HTMLElement>('[data-comments-status]');
  let me: Me | null = null;
  let count = Number(thread.dataset.commentCount) || 0;

  const say = (where: HTMLElement | null, message: string, error = false) => {
    if (!where) return;
    where.textContent = message;
    where.classList.toggle('is-error', error);
  };

  function setCount(n: number): void {
    count = Math.max(0, n);
    thread.dataset.commentCount = String(count);
    const heading = section.querySelector('#comments-heading span');
    if (heading) heading.textContent = `Comments (${count})`;
    for (const link of document.querySelectorAll(`.article__actions .comment-count`)) {
      const visible = link.querySelector('span[aria-hidden="true"]');
      const label = link.querySelector('.visually-hidden');
      if (visible) visible.textContent = String(count);
      if (label) label.textContent = count === 1 ? '1 comment' : `${count} comments`;
    }
    thread.querySelector('.comments-empty')?.remove();
  }

  const canWrite = () => !!me && !me.commentBanned && mode !== 'closed';

  /** Reply, Edit, Delete and Report under one comment, as this reader may use them. */
  function decorate(art: HTMLElement): void {
    art.querySelector(':scope > .comment__actions')?.remove();
    if (!me || art.classList.contains('comment--gone')) return;
    const own = art.dataset.authorId === String(me.id);
    const actions = el('div', { class: 'comment__actions' });
    const button = (action: string, label: string) => actions.append(el('button', { type: 'button', 'data-action': action }, label));
    if (canWrite()) button('reply', 'Reply');
    const age = Date.now() - Date.parse(art.dataset.createdAt ?? '');
    if (own && canWrite() && age < editWindowMs) button('edit', 'Edit');
    if (own) button('delete', 'Delete');
    if (!own) button('report', 'Report');
    if (actions.childElementCount) art.append(actions);
  }

  const decorateAll = (root: ParentNode) => root.querySelectorAll<HTMLElement>('article.comment').forEach(decorate);

  /** A small form under a comment (reply, edit, report); one at a time. */
  function inlineForm(art: HTMLElement, opts: { label: string; value?: string; multiline: boolean; submit: string; send: (text: string) => Promise<string | null> }) {
    section.querySelector('.comment-inline-form')?.remove();
    const f = el('form', { class: 'comment-inline-form' });
    const id = `comment-inline-${art.dataset.commentId}`;
    f.append(el('label', { for: id }, opts.label));
    const field = opts.multiline ? el('textarea', { id, rows: '4', required: '' }) : el('input', { id, type: 'text', required: '', maxlength: '500' });
    field.value = opts.value ?? '';
    const row = el('div');
    const note = el('p', { class: 'comment-form__status', role: 'status' });
    row.append(el('button', { type: 'submit', class: 'button' }, opts.submit), el('button', { type: 'button', 'data-cancel': '' }, 'Cancel'), note);
    f.append(field, row);
    f.addEventListener('submit', async (event) => {
      event.preventDefault();
      const error = await opts.send(field.value);
      if (error) say(note, error, true);
      else f.remove();
    });
    row.querySelector('[data-cancel]')!.addEventListener('click', () => f.remove());
    art.append(f);
    field.focus();
  }

  /** Shows a comment the reader just posted, or says it awaits moderation. */
  function placeNew(c: CommentJson, under: HTMLElement | null): string {
    if (c.status !== 'approved') return AWAITING;
    const node = renderComment(c);
    if (under) {
      const root = under.closest<HTMLElement>('li.comment-thread')!;
      let replies = root.querySelector<HTMLOListElement>(':scope > .comment-replies');
      if (!replies) {
        replies = el('ol', { class: 'comment-replies', role: 'list' });
        root.append(replies);
      }
      const li = el('li');
      li.append(node);
      replies.append(li);
    } else {
      const li = el('li', { class: 'comment-thread' });
      li.append(node);
      if (thread.dataset.commentsSortOrder === 'oldest') list.append(li);
      else list.prepend(li);
    }
    decorate(node);
    setCount(count + 1);
    node.scrollIntoView({ block: 'nearest' });
    return 'Your comment is posted.';
  }

  async function post(text: string, parentId: number | null): Promise<{ error: string | null; comment?: CommentJson }> {
    const res = await api<{ comment: CommentJson }>('POST', `/api/v1/articles/${articleId}/comments`, parentId ? { body: text, parentId } : { body: text });
    if (res.status === 201 && res.data) return { error: null, comment: res.data.comment };
    return { error: res.message };
  }

  form?.addEventListener('submit', async (event) => {
    event.preventDefault();
    const textarea = form.querySelector('textarea')!;
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = true;
    say(formStatus, 'Posting…');
    const { error, comment } = await post(textarea.value, null);
    if (submit) submit.disabled = false;
    if (error || !comment) return say(formStatus, error ?? 'That did not work.', true);
    textarea.value = '';
    say(formStatus, placeNew(comment, null));
  });

  thread.addEventListener('click', async (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    const art = button?.closest<HTMLElement>('article.comment');
    if (!button || !art) return;
    const id = Number(art.dataset.commentId);
    const body = art.querySelector<HTMLElement>('.comment__body');
    switch (button.dataset.action) {
      case 'reply':
        return inlineForm(art, {
          label: `Reply to ${art.querySelector('.comment__author')?.textContent ?? 'this comment'}`, multiline: true, submit: 'Post reply',
          send: async (text) => {
            const { error, comment } = await post(text, id);
            if (error || !comment) return error ?? 'That did not work.';
            const message = placeNew(comment, art);
            if (comment.status !== 'approved') art.append(el('p', { class: 'comment__notice', role: 'status' }, message));
            return null;
          },
        });
      case 'edit':
        return inlineForm(art, {
          label: 'Edit your comment', value: body ? bodyText(body) : '', multiline: true, submit: 'Save',
          send: async (text) => {
            const res = await api<{ comment: CommentJson }>('PATCH', `/api/v1/comments/${id}`, { body: text });
            if (!res.data) return res.message;
            const updated = renderComment(res.data.comment);
            if (res.data.comment.status !== 'approved') {
              updated.append(el('p', { class: 'comment__notice', role: 'status' }, 'Your edit will appear once a moderator has approved it.'));
            }
            art.replaceWith(updated);
            decorate(updated);
            return null;
          },
        });
      case 'report':
        return inlineForm(art, {
          label: 'What is wrong with this comment?', multiline: false, submit: 'Report',
          send: async (reason) => {
            const res = await api('POST', `/api/v1/comments/${id}/report`, { reason });
            if (res.status !== 201 && res.status !== 409) return res.message;
            art.querySelector('.comment__actions [data-action="report"]')?.remove();
            art.append(el('p', { class: 'comment__notice', role: 'status' }, 'Thank you. A moderator will look at it.'));
            return null;
          },
        });
      case 'delete': {
        if (!window.confirm('Delete your comment? This cannot be undone.')) return;
        const res = await api('DELETE', `/api/v1/comments/${id}`);
        if (res.status !== 204) return window.alert(res.message);
        const li = art.parentElement!;
        const hasReplies = li.classList.contains('comment-thread') && !!li.querySelector('.comment-replies li');
        const gone: CommentJson = { id, parentId: null, author: null, bodyHtml: '', createdAt: '', editedAt: null, featured: false, placeholder: 'deleted' };
        if (hasReplies) art.replaceWith(renderComment(gone));
        else li.remove();
        setCount(count - 1);
        return;
      }
    }
  });

  /** Loads a page of threads from the JSON API: appended ("More comments") or instead of the list (sorting). */
  async function loadPage(pageNo: number, sort: string, replace: boolean): Promise<void> {
    const res = await api<DiscussionJson>('GET', `/api/v1/articles/${articleId}/comments?page=${pageNo}&sort=${sort}`);
    if (!res.data) return;
    if (replace) list.replaceChildren();
    for (const t of res.data.comments) {
      if (!document.getElementById(`comment-${t.id}`)) list.append(renderThread(t));
    }
    thread.dataset.commentsSortOrder = sort;
    decorateAll(list);
    const { page, totalPages } = res.data.pagination;
    let more = section.querySelector<HTMLAnchorElement>('[data-comments-more]');
    if (page >= totalPages) {
      more?.parentElement?.remove();
      return;
    }
    if (!more) {
      const p = el('p', { class: 'comments-more' });
      more = el('a', { class: 'button', 'data-comments-more': '' }, 'More comments');
      p.append(more);
      thread.after(p);
    }
    more.dataset.nextPage = String(page + 1);
    more.href = `/articles/${articleId}/comments?page=${page + 1}${sort === 'oldest' ? '&sort=oldest' : ''}`;
  }

  section.addEventListener('click', (event) => {
    const link = (event.target as Element).closest<HTMLAnchorElement>('a[data-comments-more], a[data-comments-sort]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    if (link.dataset.commentsSort) {
      for (const a of section.querySelectorAll('a[data-comments-sort]')) {
        if (a === link) a.setAttribute('aria-current', 'true');
        else a.removeAttribute('aria-current');
      }
      void loadPage(1, link.dataset.commentsSort, true);
    } else {
      void loadPage(Number(link.dataset.nextPage) || 2, thread.dataset.commentsSortOrder ?? 'newest', false);
    }
  });

  void loadReader().then((who) => {
    me = who;
    const signin = section.querySelector<HTMLElement>('[data-comments-signin]');
    const banned = section.querySelector<HTMLElement>('[data-comments-banned]');
    if (form) form.hidden = !me || me.commentBanned;
    if (signin) signin.hidden = !!me;
    if (banned) banned.hidden = !me?.commentBanned;
    decorateAll(thread);
  });
}

const thread = document.querySelector<HTMLElement>('.comments-thread[data-comments-mode]');
const section = thread?.closest<HTMLElement>('#comments');
if (thread && section) start(section, thread);
