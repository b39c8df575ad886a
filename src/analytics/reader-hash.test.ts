import { describe, expect, it } from 'vitest';
import { dayOf, hourOf, isLikelyBot, readerHash, windowHours, windowStart } from './reader-hash.js';

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('readers and bots', () => {
  it('takes browsers for readers', () => {
    for (const ua of [CHROME, FIREFOX, IPHONE]) expect(isLikelyBot(ua), ua).toBe(false);
  });

  it('ignores crawlers, link previews, command-line clients, headless browsers and empty agents', () => {
    for (const ua of [
      'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'Twitterbot/1.0',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'curl/8.5.0',
      'python-requests/2.32.3',
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      '',
      undefined,
    ]) {
      expect(isLikelyBot(ua), String(ua)).toBe(true);
    }
  });
});

describe('the reader hash', () => {
  it('is the same for the same salt, address and agent, and differs when any of them changes', () => {
    const h = readerHash('salt', '203.0.113.7', CHROME);
    expect(readerHash('salt', '203.0.113.7', CHROME)).toBe(h);
    expect(readerHash('other', '203.0.113.7', CHROME)).not.toBe(h);
    expect(readerHash('salt', '203.0.113.8', CHROME)).not.toBe(h);
    expect(readerHash('salt', '203.0.113.7', FIREFOX)).not.toBe(h);
    expect(h).not.toContain('203.0.113.7');
  });
});

describe('days, hours and the 24-hour window', () => {
  const at = new Date('2026-12-04T13:25:10.000Z');
  it('buckets by UTC day and hour', () => {
    expect(dayOf(at)).toBe('2026-12-04');
    expect(hourOf(at)).toBe('2026-12-04T13:00:00.000Z');
  });
  it('covers this hour and the 23 before it', () => {
    const hours = windowHours(at);
    expect(hours).toHaveLength(24);
    expect(hours[0]).toBe('2026-12-03T14:00:00.000Z');
    expect(hours.at(-1)).toBe('2026-12-04T13:00:00.000Z');
    expect(windowStart(at)).toBe(hours[0]);
  });
});
