/// <reference types="vite/client" />
/**
 * "Add to favorites" without a reload. The HTML is the same for every reader,
 * so this script asks /api/v1/me whose favorites these are, marks the buttons,
 * and turns the forms' posts into API calls. A signed-out reader's favorites
 * live in this browser (localStorage) and move into the account at sign-in.
 * Without this script the forms still post and the server redirects back.
 */
import './favorites.css';
import {
  LOCAL_KEY, MAX_LOCAL, SIGN_IN_HINT, buttonText, changeMessage, parseLocalIds, storiesText, withId, withoutId, type ButtonVariant,
} from './favorites-state.js';
import { loadMe } from './me.js';

interface ApiResult<T> {
  status: number;
  data: T | null;
}

const FORM_SELECTOR = 'form.favorite-form[data-article-id]';

const state = { signedIn: false, saved: new Set<number>(), count: 0 };
const busy = new Set<number>();
let live: HTMLElement | null = null;

// ------------------------------------------------------------ storage and API

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled by the browser's settings
  }
}

function readLocal(): number[] {
  try {
    return parseLocalIds(storage()?.getItem(LOCAL_KEY) ?? null);
  } catch {
    return [];
  }
}

function writeLocal(ids: number[]): boolean {
  const s = storage();
  if (!s) return false;
  try {
    if (ids.length) s.setItem(LOCAL_KEY, JSON.stringify(ids));
    else s.removeItem(LOCAL_KEY);
    return true;
  } catch {
    return false;
  }
}

async function api<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, credentials: 'same-origin', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data: T | null = null;
  try {
    data = (await res.json()) as T;
  } catch {
    data = null;
  }
  return { status: res.status, data };
}

function errorMessage(data: unknown): string | null {
  const message = (data as { error?: { message?: unknown } } | null)?.error?.message;
  return typeof message === 'string' ? message : null;
}

// ------------------------------------------------------------ who is reading

function useLocal(): void {
  const local = readLocal();
  state.signedIn = false;
  state.saved = new Set(local);
  state.count = local.length;
}

/** Signed in: the account's favorites, plus what this device kept before sign-in (merged once, then cleared). */
async function loadState(): Promise<void> {
  // Anything but a 200 (no accounts yet, an outage) reads as signed out: the device list still works.
  const me = await loadMe();
  if (!me?.user) return useLocal();
  state.signedIn = true;
  state.saved = new Set(Array.isArray(me.favorites) ? me.favorites : []);
  state.count = state.saved.size;
  const local = readLocal();
  if (!local.length) return;
  try {
    const res = await api<{ added: number; count: number; saved: number[] }>('POST', '/api/v1/me/favorites/merge', { articleIds: local.slice(-MAX_LOCAL) });
    if (res.status !== 200 || !res.data) return;
    for (const id of res.data.saved) state.saved.add(id);
    state.count = res.data.count;
    writeLocal([]);
    if (res.data.added > 0) {
      announce(`${storiesText(res.data.added)} saved on this device ${res.data.added === 1 ? 'was' : 'were'} added to your favorites.`);
      // The list on this page was rendered before the merge.
      if (location.pathname === '/favorites') location.reload();
    }
  } catch {
    // Kept on the device; the next page tries again.
  }
}

// ------------------------------------------------------------ what the page shows

function announce(message: string): void {
  if (!live) {
    live = document.createElement('div');
    live.className = 'visually-hidden';
    live.setAttribute('role', 'status');
    live.setAttribute('aria-live', 'polite');
    document.body.append(live);
  }
  const region = live;
  // Cleared first, so the same words said twice are announced twice.
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

function noteFor(form: HTMLFormElement): HTMLElement {
  const next = form.nextElementSibling;
  if (next instanceof HTMLElement && next.matches('.favorite-note')) return next;
  const note = document.createElement('p');
  note.className = 'favorite-note';
  const link = document.createElement('a');
  link.href = `/signin?next=${encodeURIComponent(location.pathname)}`;
  link.textContent = 'Sign in';
  note.append(link, ` ${SIGN_IN_HINT.replace(/^Sign in /, '')}`);
  form.after(note);
  return note;
}

function renderForm(form: HTMLFormElement): void {
  const id = Number(form.dataset.articleId);
  const button = form.querySelector('button');
  if (!button) return;
  const variant: ButtonVariant = form.dataset.variant === 'card' ? 'card' : 'article';
  const saved = state.saved.has(id);
  const text = buttonText(variant, saved, state.signedIn);
  button.setAttribute('aria-pressed', String(saved));
  button.title = text.title;
  const label = button.querySelector('.favorite-button__label');
  if (label && label.textContent !== text.label) label.textContent = text.label;
  if (variant === 'article') {
    const showNote = saved && !state.signedIn;
    const existing = form.nextElementSibling;
    if (showNote) noteFor(form).hidden = false;
    else if (existing instanceof HTMLElement && existing.matches('.favorite-note')) existing.hidden = true;
  }
}

function renderCount(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-favorites-count]')) {
    el.textContent = state.count > 0 ? `(${state.count})` : '';
    el.hidden = state.count === 0;
  }
}

function render(): void {
  for (const form of document.querySelectorAll<HTMLFormElement>(FORM_SELECTOR)) renderForm(form);
  renderCount();
}

// ------------------------------------------------------------ saving and removing

async function toggleOnServer(id: number, save: boolean): Promise<'done' | 'signed-out' | 'failed'> {
  const res = await api<{ favorited: boolean; count: number }>(save ? 'PUT' : 'DELETE', `/api/v1/me/favorites/${id}`);
  if (res.status === 401) return 'signed-out';
  if (res.status !== 200 || !res.data) {
    announce(errorMessage(res.data) ?? 'That did not work. Please try again.');
    return 'failed';
  }
  if (save) state.saved.add(id);
  else state.saved.delete(id);
  state.count = res.data.count;
  return 'done';
}

/** Saved in this browser; false when it cannot keep anything (storage disabled). */
function toggleLocally(id: number, save: boolean): boolean | 'full' {
  const current = readLocal();
  if (save && !current.includes(id) && current.length >= MAX_LOCAL) return 'full';
  const ids = save ? withId(current, id) : withoutId(current, id);
  if (!writeLocal(ids)) return false;
  state.saved = new Set(ids);
  state.count = ids.length;
  return true;
}

async function onSubmit(form: HTMLFormElement): Promise<void> {
  const id = Number(form.dataset.articleId);
  if (!Number.isInteger(id) || id <= 0 || busy.has(id)) return;
  busy.add(id);
  const button = form.querySelector('button');
  button?.setAttribute('aria-busy', 'true');
  try {
    await ready;
    const save = !state.saved.has(id);
    if (state.signedIn) {
      const outcome = await toggleOnServer(id, save).catch(() => {
        announce('We could not reach the site. Please check your connection and try again.');
        return 'failed' as const;
      });
      if (outcome === 'failed') return;
      // The session ended in another tab: carry on with this device's list.
      if (outcome === 'signed-out') useLocal();
      else {
        render();
        announce(changeMessage(save, true, state.count));
        return;
      }
    }
    const local = toggleLocally(id, save);
    if (local === 'full') {
      announce(`This browser keeps up to ${MAX_LOCAL} favorites. ${SIGN_IN_HINT}`);
      return;
    }
    // No storage here: let the form post, and the server ask the reader to sign in.
    if (!local) return form.submit();
    render();
    announce(changeMessage(save, false, state.count));
  } finally {
    busy.delete(id);
    button?.removeAttribute('aria-busy');
  }
}

// ------------------------------------------------------------ /favorites for a signed-out reader

interface ArticleJson {
  article: { id: number; url: string; headline: string; section: { name: string } };
}

function localItem(id: number, article: ArticleJson['article'] | null): HTMLLIElement {
  const li = document.createElement('li');
  li.className = article ? 'favorite-item' : 'favorite-item favorite-item--gone';
  const story = document.createElement('div');
  story.className = 'favorite-item__story';
  const heading = document.createElement('h3');
  heading.className = 'favorite-item__headline';
  if (article) {
    const section = document.createElement('p');
    section.className = 'favorite-item__section';
    section.textContent = article.section.name;
    const link = document.createElement('a');
    link.href = new URL(article.url, location.href).pathname;
    link.textContent = article.headline;
    heading.append(link);
    story.append(section, heading);
  } else {
    heading.textContent = 'A story you saved';
    const gone = document.createElement('p');
    gone.className = 'favorite-item__meta';
    const strong = document.createElement('strong');
    strong.className = 'favorite-item__gone';
    strong.textContent = 'No longer available';
    gone.append(strong);
    story.append(heading, gone);
  }
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'favorite-remove__button';
  remove.textContent = 'Remove';
  const which = document.createElement('span');
  which.className = 'visually-hidden';
  which.textContent = article ? ` “${article.headline}” from your favorites` : ' this story from your favorites';
  remove.append(which);
  remove.addEventListener('click', () => {
    toggleLocally(id, false);
    const next = li.nextElementSibling ?? li.previousElementSibling;
    li.remove();
    render();
    renderLocalStatus();
    announce(changeMessage(false, false, state.count));
    (next?.querySelector('button') as HTMLElement | null)?.focus();
  });
  li.append(story, remove);
  return li;
}

function renderLocalStatus(): void {
  const status = document.querySelector<HTMLElement>('[data-local-favorites-status]');
  if (status) status.textContent = state.count ? `${storiesText(state.count)} saved in this browser, newest first.` : 'Nothing saved in this browser yet.';
}

async function renderLocalFavorites(): Promise<void> {
  const section = document.querySelector<HTMLElement>('[data-local-favorites]');
  const list = section?.querySelector<HTMLElement>('[data-local-favorites-list]');
  if (!section || !list || state.signedIn) return;
  const ids = readLocal().reverse();
  section.hidden = false;
  renderLocalStatus();
  const articles = await Promise.all(
    ids.map(async (id) => {
      try {
        const res = await api<ArticleJson>('GET', `/api/v1/articles/${id}`);
        return res.status === 200 && res.data ? res.data.article : null;
      } catch {
        return null;
      }
    }),
  );
  list.replaceChildren(...ids.map((id, i) => localItem(id, articles[i] ?? null)));
}

// ------------------------------------------------------------ start

const ready = loadState();

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches(FORM_SELECTOR)) return;
  event.preventDefault();
  void onSubmit(form);
});

// Another tab of this browser changed the device list.
window.addEventListener('storage', (event) => {
  if (event.key !== LOCAL_KEY || state.signedIn) return;
  useLocal();
  render();
});

void ready.then(() => {
  render();
  return renderLocalFavorites();
});
