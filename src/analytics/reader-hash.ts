/**
 * Who counts as one reader for "most read", without cookies: a SHA-256 of the
 * day's random salt, the client address and its user agent. The address is
 * never stored; the salt changes every UTC day and yesterday's is deleted, so
 * a hash cannot be traced back or linked across days.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Crawlers, link previews, monitors, command-line clients and headless browsers: not readers. */
const BOT = /bot\b|bot\/|crawl|spider|slurp|scrap|archiver|preview|facebookexternalhit|embedly|whatsapp|telegram|discord|slack|skype|curl\/|wget|python-|httpclient|okhttp|go-http|java\/|node-fetch|undici|axios|libwww|feedfetcher|rss|headless|phantomjs|lighthouse|pingdom|uptime|monitor|check_http|^mozilla\/5\.0$/i;

export function isLikelyBot(userAgent: string | undefined): boolean {
  const ua = (userAgent ?? '').trim();
  return ua.length < 8 || BOT.test(ua);
}

export function readerHash(salt: string, address: string, userAgent: string): string {
  return createHash('sha256').update(`${salt}\n${address}\n${userAgent}`).digest('base64url').slice(0, 32);
}

export function newSalt(): string {
  return randomBytes(32).toString('base64url');
}

/** The UTC day, 2026-12-04. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The start of the UTC hour, 2026-12-04T13:00:00.000Z. */
export function hourOf(at: Date): string {
  return `${at.toISOString().slice(0, 13)}:00:00.000Z`;
}

/** "The last 24 hours": this hour and the 23 before it. */
export const WINDOW_HOURS = 24;

export function windowStart(at: Date): string {
  return hourOf(new Date(at.getTime() - (WINDOW_HOURS - 1) * 3600_000));
}

/** The hours of the window, oldest first. */
export function windowHours(at: Date): string[] {
  return Array.from({ length: WINDOW_HOURS }, (_, i) => hourOf(new Date(at.getTime() - (WINDOW_HOURS - 1 - i) * 3600_000)));
}
