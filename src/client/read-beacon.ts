/**
 * Counts one read of the story on this page for "Most read": a small POST to
 * the address the article names (data-read-beacon), once per page view, when
 * the page is actually shown (not while prerendered in the background). No
 * cookie is involved; the server counts a reader once per story per day.
 */
const article = document.querySelector<HTMLElement>('[data-read-beacon]');
// A page that is never indexed is not public (the newsroom's preview): nothing to count.
const preview = document.querySelector('meta[name="robots"][content~="noindex"]') !== null;
const url = preview ? undefined : article?.dataset.readBeacon;
let sent = false;

function send(): void {
  if (sent || !url || document.visibilityState !== 'visible') return;
  sent = true;
  document.removeEventListener('visibilitychange', send);
  if (typeof navigator.sendBeacon === 'function' && navigator.sendBeacon(url)) return;
  void fetch(url, { method: 'POST', credentials: 'omit', keepalive: true }).catch(() => {});
}

if (url) {
  document.addEventListener('visibilitychange', send);
  send();
}
