/**
 * Relative publication times ("just now", "3 hours ago", "one day ago").
 * Shared by the server render and the client script, which recomputes the
 * text against the reader's own clock.
 */
function count(n: number, unit: string): string {
  return n <= 1 ? `one ${unit} ago` : `${n} ${unit}s ago`;
}

export function relativeTime(iso: string, now: Date = new Date()): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.round((now.getTime() - then) / 1000);
  if (seconds < 0) return seconds > -60 ? 'just now' : 'in the future';
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return count(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return count(hours, 'hour');
  const days = Math.floor(hours / 24);
  if (days < 7) return count(days, 'day');
  if (days < 31) return count(Math.floor(days / 7), 'week');
  if (days < 365) return count(Math.floor(days / 30.44), 'month');
  return count(Math.floor(days / 365.25), 'year');
}

/** The exact time shown on hover, e.g. "Sunday, 29 November 2026, 21:52 UTC". */
export function exactTime(iso: string, timeZone = 'UTC'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const { date, time } = formattersFor(timeZone);
  return `${date.format(d)}, ${time.format(d)}${timeZone === 'UTC' ? ' UTC' : ''}`;
}

// Making an Intl.DateTimeFormat is costly and a page shows dozens of times: make each once.
const formatters = new Map<string, { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat }>();
function formattersFor(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = {
      date: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone }),
      time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}
