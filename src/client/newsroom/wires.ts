/**
 * The live wire queue (/newsroom/wires): every few seconds asks the admin
 * API for items changed since the newest one on the page (with the page's
 * filters) and puts them at the top, replacing an item's old row when it has
 * a new version, and says how many arrived in a polite live region. Polling
 * (not a stream): one small GET that any proxy passes, that needs no open
 * connection per editor, and that works in every process behind a load
 * balancer with nothing shared but the database. Without JavaScript the page
 * is the same queue, current when loaded.
 */
import { embargoBadge, killBadge, queueTime, signalBadge, urgencyLabel, versionsLabel } from '../../newsroom/views/wire-labels.js';

const POLL_MS = 4000;

interface Item {
  id: number;
  provider: { credit: string };
  versions: number;
  headline: string;
  urgency: number | null;
  embargoUntil: string | null;
  embargoed: boolean;
  pubStatus: string;
  killed: boolean;
  signal: string | null;
  updatedAt: string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c);
  return e;
}

/** The same markup as QueueRow in src/newsroom/views/wires.tsx. */
function row(item: Item, mayUse: boolean, now: Date): HTMLTableRowElement {
  const tr = el('tr', { 'data-wire-id': String(item.id), class: `is-new${item.pubStatus === 'canceled' ? ' is-killed' : ''}` });
  const pick = el('td', { class: 'nr-wires__pick' });
  if (mayUse) pick.append(el('input', { type: 'checkbox', name: 'items', value: String(item.id), form: 'wire-use-many', 'aria-label': `Select: ${item.headline}` }));
  const time = el('time', { datetime: item.updatedAt }, queueTime(item.updatedAt, now));
  const headline = el('td', { class: 'nr-wires__headline' }, el('a', { href: `/newsroom/wires/items/${item.id}` }, item.headline), ' ');
  const kill = killBadge(item.pubStatus);
  if (kill) headline.append(el('strong', { class: 'nr-badge nr-badge--killed' }, kill));
  if (item.embargoed && item.embargoUntil) headline.append(el('span', { class: 'nr-badge nr-badge--embargo' }, el('time', { datetime: item.embargoUntil }, embargoBadge(item.embargoUntil, now))));
  const signal = signalBadge(item.signal);
  if (signal) headline.append(el('span', { class: 'nr-badge nr-badge--signal' }, signal));
  const use = el('td', { class: 'nr-wires__use' });
  if (mayUse) {
    const button = el('button', { type: 'submit', class: 'button button--small' }, 'Use this', el('span', { class: 'visually-hidden' }, `: ${item.headline}`));
    use.append(el('form', { method: 'post', action: '/newsroom/wires/use' }, el('input', { type: 'hidden', name: 'items', value: String(item.id) }), button));
  }
  tr.append(pick, el('td', { class: 'nr-wires__time' }, time), el('td', { class: 'nr-wires__provider' }, item.provider.credit), el('td', { class: 'nr-wires__urgency' }, urgencyLabel(item.urgency)), headline, el('td', { class: 'nr-wires__versions' }, versionsLabel(item.versions)), use);
  return tr;
}

function start(table: HTMLTableElement): void {
  const pollUrl = table.dataset.pollUrl;
  let since = table.dataset.since ?? '';
  // An older page (paged back with "Older items") is not live.
  if (!pollUrl || !since) return;
  const mayUse = table.dataset.mayUse === '1';
  const tbody = table.tBodies[0]!;
  const liveText = document.querySelector<HTMLElement>('[data-wire-live-text]');
  /** What each shown row is at (id → updatedAt), so an unchanged item polled again is left alone. */
  const shown = new Map<string, string>();
  for (const tr of tbody.rows) shown.set(tr.dataset.wireId ?? '', tr.querySelector('time')?.getAttribute('datetime') ?? '');
  let busy = false;

  async function poll(): Promise<void> {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(`${pollUrl}&since=${encodeURIComponent(since)}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
      if (!res.ok) return;
      const { items } = (await res.json()) as { items: Item[] };
      const now = new Date();
      const fresh = items.filter((i) => shown.get(String(i.id)) !== i.updatedAt);
      // Oldest first, each put at the top, so the newest ends first.
      for (const item of [...fresh].reverse()) {
        tbody.querySelector(`tr[data-wire-id="${item.id}"]`)?.remove();
        tbody.prepend(row(item, mayUse, now));
        shown.set(String(item.id), item.updatedAt);
        if (item.updatedAt > since) since = item.updatedAt;
      }
      if (fresh.length) {
        document.querySelector('[data-wire-empty]')?.remove();
        if (liveText) liveText.textContent = `${fresh.length} new or updated item${fresh.length === 1 ? '' : 's'} at ${now.toISOString().slice(11, 16)} UTC.`;
      }
    } catch {
      /* offline for a moment: the next poll tries again */
    } finally {
      busy = false;
    }
  }

  setInterval(() => void poll(), POLL_MS);
}

function init(): void {
  const table = document.querySelector<HTMLTableElement>('table[data-wire-queue]');
  if (table) start(table);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
