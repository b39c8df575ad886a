import { describe, it, expect } from 'vitest';
import { exactTime, relativeTime } from './relative-time.js';

const NOW = new Date('2026-11-29T21:52:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();
const MIN = 60;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('relativeTime', () => {
  it('says "just now" for the last minute', () => {
    expect(relativeTime(ago(0), NOW)).toBe('just now');
    expect(relativeTime(ago(59), NOW)).toBe('just now');
  });

  it('counts minutes', () => {
    expect(relativeTime(ago(MIN), NOW)).toBe('one minute ago');
    expect(relativeTime(ago(119), NOW)).toBe('one minute ago');
    expect(relativeTime(ago(2 * MIN), NOW)).toBe('2 minutes ago');
    expect(relativeTime(ago(59 * MIN), NOW)).toBe('59 minutes ago');
  });

  it('counts hours', () => {
    expect(relativeTime(ago(HOUR), NOW)).toBe('one hour ago');
    expect(relativeTime(ago(3 * HOUR), NOW)).toBe('3 hours ago');
    expect(relativeTime(ago(23 * HOUR + 59 * MIN), NOW)).toBe('23 hours ago');
  });

  it('counts days', () => {
    expect(relativeTime(ago(24 * HOUR), NOW)).toBe('one day ago');
    expect(relativeTime(ago(25 * HOUR), NOW)).toBe('one day ago');
    expect(relativeTime(ago(2 * DAY), NOW)).toBe('2 days ago');
    expect(relativeTime(ago(6 * DAY), NOW)).toBe('6 days ago');
  });

  it('counts weeks, then months, then years', () => {
    expect(relativeTime(ago(7 * DAY), NOW)).toBe('one week ago');
    expect(relativeTime(ago(15 * DAY), NOW)).toBe('2 weeks ago');
    expect(relativeTime(ago(31 * DAY), NOW)).toBe('one month ago');
    expect(relativeTime(ago(95 * DAY), NOW)).toBe('3 months ago');
    expect(relativeTime(ago(365 * DAY), NOW)).toBe('one year ago');
    expect(relativeTime(ago(3 * 366 * DAY), NOW)).toBe('3 years ago');
  });

  it('treats a slightly fast clock as "just now" and anything later as the future', () => {
    expect(relativeTime(ago(-30), NOW)).toBe('just now');
    expect(relativeTime(ago(-2 * HOUR), NOW)).toBe('in the future');
  });

  it('returns an empty string for an invalid time', () => {
    expect(relativeTime('not a date', NOW)).toBe('');
  });

  it('uses the current clock by default', () => {
    expect(relativeTime(new Date().toISOString())).toBe('just now');
  });
});

describe('exactTime', () => {
  // ICU versions differ on the comma after the weekday ("Sunday, 29 November" in Node 20).
  it('formats the full date and 24-hour time in UTC', () => {
    expect(exactTime('2026-11-29T21:52:00Z')).toMatch(/^Sunday,? 29 November 2026, 21:52 UTC$/);
    expect(exactTime('2026-01-05T07:03:00Z')).toMatch(/^Monday,? 5 January 2026, 07:03 UTC$/);
  });

  it('formats in another time zone without the UTC suffix', () => {
    expect(exactTime('2026-11-29T21:52:00Z', 'Africa/Nairobi')).toMatch(/^Monday,? 30 November 2026, 00:52$/);
  });

  it('returns an empty string for an invalid time', () => {
    expect(exactTime('nope')).toBe('');
  });
});
