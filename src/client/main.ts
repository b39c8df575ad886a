/// <reference types="vite/client" />
/**
 * The public site's script. Pages work without it; it only refreshes what the
 * cached HTML cannot know: relative times against the reader's own clock, and
 * (favorites.ts) which stories this reader saved. Only the text of <time data-relative> changes; prefixes such as "Updated "
 * sit outside the element and stay as they are.
 */
import '../web/styles.css';
// The header's search box and the /search page.
import './search.css';
import { relativeTime } from '../web/relative-time.js';
// Favorites without a reload, and kept on the device for readers who are not signed in.
import './favorites.js';
// The discussion: the form for signed-in readers, posting in place, reply, edit, delete, report.
import './comments.js';
// The header's reader menu (name, Account, Favorites, Sign out), "Most read" and the share links.
import './reader-tools.css';
import './account-menu.js';
// One read of the story on this page, for "Most read" (no cookies).
import './read-beacon.js';
// Copy link and the device's share sheet.
import './share.js';
// A live story's "N new updates" (polls its small cached updates endpoint).
import './live.js';

const REFRESH_MS = 30_000;

function refreshTimes(): void {
  const now = new Date();
  for (const el of document.querySelectorAll<HTMLTimeElement>('time[data-relative]')) {
    const text = relativeTime(el.dateTime, now);
    if (text && el.textContent !== text) el.textContent = text;
  }
}

let timer: ReturnType<typeof setInterval> | undefined;

function start(): void {
  refreshTimes();
  if (timer === undefined) timer = setInterval(refreshTimes, REFRESH_MS);
}

function stop(): void {
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') start();
  else stop();
});
start();

// The section menus are plain <details>: close an open one on Escape or a click elsewhere.
document.addEventListener('click', (event) => {
  for (const open of document.querySelectorAll<HTMLDetailsElement>('.site-nav__more[open]')) {
    if (!open.contains(event.target as Node)) open.open = false;
  }
});
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  for (const open of document.querySelectorAll<HTMLDetailsElement>('.site-nav__more[open]')) {
    const hadFocus = open.contains(document.activeElement);
    open.open = false;
    if (hadFocus) open.querySelector('summary')?.focus();
  }
});
