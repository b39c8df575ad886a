import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS, DEFAULT_SETTINGS, bannedWordHits, countLinks, duplicateKey, effectiveMode, holdReasons, isDuplicate, lengthProblem,
  resolveSettings,
} from './comment.model.js';

const DAY = 86_400_000;

describe('length', () => {
  it('counts characters, not bytes or UTF-16 units, after trimming', () => {
    expect(lengthProblem('x'.repeat(5000), 5000)).toBeNull();
    expect(lengthProblem('x'.repeat(5001), 5000)).toEqual({ kind: 'too_long', length: 5001, max: 5000 });
    expect(lengthProblem('😀'.repeat(5000), 5000)).toBeNull();
    expect(lengthProblem(`  ${'x'.repeat(5000)}\n\n`, 5000)).toBeNull();
    expect(lengthProblem(' \n\t ', 5000)).toEqual({ kind: 'empty' });
  });
});

describe('links', () => {
  it('holds more than three links with the reason "too many links"', () => {
    const three = 'https://a.org https://b.org www.c.com';
    expect(countLinks(three)).toBe(3);
    expect(holdReasons(three, DEFAULT_SETTINGS, DEFAULT_LIMITS)).toEqual([]);
    const four = `${three} mail@d.org`;
    expect(holdReasons(four, DEFAULT_SETTINGS, DEFAULT_LIMITS)).toEqual(['too many links (4; the limit is 3)']);
  });
});

describe('banned words', () => {
  const words = ['viagra', 'casino bonus', 'spam'];
  it('matches whole words and phrases, whatever the case and punctuation', () => {
    expect(bannedWordHits('Buy VIAGRA!', words)).toEqual(['viagra']);
    expect(bannedWordHits('casino   bonus, today', words)).toEqual(['casino bonus']);
    expect(bannedWordHits('casino-bonus', words)).toEqual(['casino bonus']);
    expect(bannedWordHits('ｖｉａｇｒａ', words)).toEqual(['viagra']); // full-width letters (NFKC)
  });
  it('does not match inside other words', () => {
    expect(bannedWordHits('spammer and spamming', words)).toEqual([]);
    expect(bannedWordHits('a casino, a bonus', words)).toEqual([]);
  });
  it('names the hits in the hold reason', () => {
    expect(holdReasons('spam and viagra', { ...DEFAULT_SETTINGS, bannedWords: words }, DEFAULT_LIMITS)).toEqual(['banned words: "viagra", "spam"']);
  });
});

describe('duplicates', () => {
  it('sees the same text despite case, spacing and end punctuation', () => {
    expect(duplicateKey('  Hello   World! ')).toBe(duplicateKey('hello world'));
    expect(isDuplicate('Hello world', ['something else', 'HELLO\nworld.'])).toBe(true);
    expect(isDuplicate('Hello world, again', ['Hello world'])).toBe(false);
  });
});

describe('settings and modes', () => {
  it('falls back to the defaults for anything malformed', () => {
    expect(resolveSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(resolveSettings({ defaultMode: 'sideways', closeAfterDays: -3, bannedWords: 'x' })).toEqual(DEFAULT_SETTINGS);
    expect(resolveSettings({ defaultMode: 'premoderated', closeAfterDays: 0, bannedWords: [' Foo ', 'foo', 3] })).toEqual({
      defaultMode: 'premoderated', closeAfterDays: 0, bannedWords: ['foo'],
    });
  });

  it('auto-closes stories that follow the default, after closeAfterDays', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();
    const s = { ...DEFAULT_SETTINGS, closeAfterDays: 30 };
    expect(effectiveMode(null, ago(29), s, now)).toBe('open');
    expect(effectiveMode(null, ago(30), s, now)).toBe('closed');
    expect(effectiveMode('open', ago(400), s, now)).toBe('open'); // an editor's explicit choice stands
    expect(effectiveMode('closed', ago(1), s, now)).toBe('closed');
    expect(effectiveMode(null, ago(400), { ...s, closeAfterDays: 0 }, now)).toBe('open');
    expect(effectiveMode(null, ago(1), { ...s, defaultMode: 'premoderated' }, now)).toBe('premoderated');
    expect(effectiveMode(null, ago(31), { ...s, defaultMode: 'premoderated' }, now)).toBe('closed');
  });
});
