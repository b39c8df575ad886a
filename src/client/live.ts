/**
 * A live story's page without reloading: polls the story's small updates
 * endpoint (one cached URL for every reader, answered 304 while nothing
 * changed) and offers "N new updates" in a fixed button, so nothing moves
 * when it appears. Clicking it inserts the posts above the stream, keeping
 * what the reader was looking at in place, then brings the newest into view.
 * Edits and deletions are applied at once, also without moving the page.
 */
import './live.css';

interface LiveUpdates {
  revision: number;
  ended: boolean;
  more: boolean;
  top: string;
  posts: Array<{ id: number; editedAt: string | null; html: string }>;
}

const POLL_MS = 5000;

function fragment(html: string): HTMLElement | null {
  const t = document.createElement('template');
  t.innerHTML = html.trim();
  return t.content.firstElementChild as HTMLElement | null;
}

/** Runs `change` and scrolls by however much it moved the first element the reader can see, so nothing on screen jumps. */
function keepInPlace(change: () => void): void {
  const candidates = document.querySelectorAll<HTMLElement>('.article__header, .live-top > *, .article-body > *, .live-post, .related, .comments');
  let anchor: HTMLElement | null = null;
  for (const el of candidates) {
    if (el.getBoundingClientRect().bottom > 0) {
      anchor = el;
      break;
    }
  }
  const before = anchor?.getBoundingClientRect().top ?? 0;
  change();
  if (anchor?.isConnected) {
    const moved = anchor.getBoundingClientRect().top - before;
    if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
  }
}

function startLive(stream: HTMLElement): void {
  const url = stream.dataset.liveUpdates!;
  let revision = Number(stream.dataset.liveRevision ?? '-1');
  let etag: string | null = null;
  let pending: LiveUpdates['posts'] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'live-new-updates';
  button.hidden = true;
  button.setAttribute('aria-live', 'polite');
  document.body.append(button);

  const list = (): HTMLElement => {
    let el = stream.querySelector<HTMLElement>('[data-live-posts]');
    if (el && el.tagName !== 'OL') {
      const ol = document.createElement('ol');
      ol.className = 'live-stream__posts';
      ol.setAttribute('role', 'list');
      ol.dataset.livePosts = '';
      el.replaceWith(ol);
      el = ol;
    }
    return el!;
  };
  const shown = (): Map<number, HTMLElement> =>
    new Map([...stream.querySelectorAll<HTMLElement>('.live-post[data-post-id]')].map((el) => [Number(el.dataset.postId), el]));

  function apply(data: LiveUpdates): void {
    const inPage = shown();
    const answer = new Map(data.posts.map((p) => [p.id, p]));
    // Posts older than the answer's window may simply be older; anything newer that is missing was deleted or pinned.
    const floor = data.more && data.posts.length ? Math.min(...data.posts.map((p) => p.id)) : 0;
    const newestShown = Math.max(0, ...inPage.keys());
    keepInPlace(() => {
      for (const [id, el] of inPage) {
        const now = answer.get(id);
        if (!now) {
          if (id >= floor) (el.closest('li') ?? el).remove();
        } else if ((now.editedAt ?? '') !== (el.dataset.edited ?? '')) {
          const fresh = fragment(now.html);
          if (fresh) el.replaceWith(fresh);
        }
      }
      if (data.revision !== revision) {
        const top = document.querySelector('[data-live-top]');
        const fresh = fragment(data.top);
        if (top && fresh) top.replaceWith(fresh);
        revision = data.revision;
      }
    });
    pending = data.posts.filter((p) => p.id > newestShown);
    const n = pending.length;
    button.textContent = `${n} new update${n === 1 ? '' : 's'}`;
    button.hidden = n === 0;
    if (data.ended) stop();
  }

  function showPending(): void {
    const posts = pending;
    pending = [];
    button.hidden = true;
    if (!posts.length) return;
    const target = list();
    let newest: HTMLElement | null = null;
    keepInPlace(() => {
      // The answer is newest first: inserting oldest first at the top leaves the newest on top.
      for (const p of [...posts].reverse()) {
        const el = fragment(p.html);
        if (!el) continue;
        const li = document.createElement('li');
        li.append(el);
        target.prepend(li);
        newest = el;
      }
    });
    const first = newest as HTMLElement | null;
    if (first) {
      first.tabIndex = -1;
      first.scrollIntoView({ block: 'start' });
      first.focus({ preventScroll: true });
    }
  }

  async function poll(): Promise<void> {
    timer = undefined;
    try {
      const res = await fetch(url, { cache: 'no-store', credentials: 'omit', headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) } });
      if (res.status === 200) {
        etag = res.headers.get('etag');
        apply((await res.json()) as LiveUpdates);
      }
    } catch {
      // Offline for a moment: try again on the next tick.
    }
    schedule();
  }

  function schedule(): void {
    if (!stopped && timer === undefined && document.visibilityState === 'visible') timer = setTimeout(() => void poll(), POLL_MS);
  }

  function stop(): void {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  }

  button.addEventListener('click', showPending);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    } else if (!stopped && timer === undefined) {
      void poll();
    }
  });
  schedule();
}

const stream = document.querySelector<HTMLElement>('[data-live-updates]');
if (stream) startLive(stream);
