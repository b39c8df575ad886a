/**
 * How the wire desk words an item's state, shared by the server's pages and
 * the desk's script (which adds rows that arrive while the page is open), so
 * a row looks the same however it got there. Pure.
 */

/** "14:00 UTC", or "14:00 UTC, 5 Dec" when not on `now`'s day. */
export function embargoClock(iso: string, now: Date): string {
  const d = new Date(iso);
  const hm = `${d.toISOString().slice(11, 16)} UTC`;
  if (d.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return hm;
  return `${hm}, ${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC', ...(d.getUTCFullYear() !== now.getUTCFullYear() ? { year: 'numeric' } : {}) })}`;
}

export function embargoBadge(iso: string, now: Date): string {
  return `Embargoed until ${embargoClock(iso, now)}`;
}

/** The prominent badge of a canceled or withheld item, or null for a usable one. */
export function killBadge(pubStatus: string): string | null {
  return pubStatus === 'canceled' ? 'KILLED — do not use' : pubStatus === 'withheld' ? 'WITHHELD — do not use yet' : null;
}

export function signalBadge(signal: string | null): string | null {
  return signal === 'correction' ? 'Correction' : signal === 'update' ? 'Update' : null;
}

export function urgencyLabel(urgency: number | null): string {
  return urgency === null ? '–' : urgency <= 2 ? `${urgency} flash` : String(urgency);
}

/** The queue's time: "07:40" (UTC) today, else "20 Apr 07:40". */
export function queueTime(iso: string, now: Date): string {
  const d = new Date(iso);
  const hm = d.toISOString().slice(11, 16);
  if (d.toISOString().slice(0, 10) === now.toISOString().slice(0, 10)) return hm;
  return `${d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })} ${hm}`;
}

export const versionsLabel = (n: number) => (n === 1 ? '1 version' : `${n} versions`);
