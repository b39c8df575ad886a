import { describe, expect, it } from 'vitest';
import { limitMessage, planMerge, sameOriginReturnPath, signinPath, staggeredTimes } from './favorite.model.js';

const SITE = 'https://news.example.com';

describe('sameOriginReturnPath', () => {
  it.each([
    [`${SITE}/africa/12-rains`, '/africa/12-rains'],
    [`${SITE}/africa?page=2`, '/africa?page=2'],
    [`${SITE}/`, '/'],
    [`${SITE}/favorites#top`, '/favorites'],
  ])('keeps a page of this site: %s', (referer, expected) => {
    expect(sameOriginReturnPath(referer, SITE)).toBe(expected);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['another site', 'https://evil.example/africa'],
    ['another port', 'https://news.example.com:8443/africa'],
    ['plain http', 'http://news.example.com/africa'],
    ['a look-alike host', 'https://news.example.com.evil.example/'],
    ['protocol-relative path', `${SITE}//evil.example/x`],
    ['not a URL', '/africa'],
    ['javascript', 'javascript:alert(1)'],
    ['too long', `${SITE}/${'a'.repeat(2100)}`],
  ])('refuses %s', (_name, referer) => {
    expect(sameOriginReturnPath(referer, SITE)).toBeNull();
  });
});

describe('planMerge', () => {
  const published = new Set([1, 2, 3, 4, 5]);

  it('adds published stories, ignores unknown ones, counts duplicates once', () => {
    expect(planMerge({ requested: [1, 9, 2, 2, 3], published, alreadySaved: new Set([2]), count: 1, max: 100 })).toEqual({
      toAdd: [1, 3], alreadySaved: [2], ignored: [9], overLimit: [],
    });
  });

  it('keeps the most recent ones (last in the list) when the limit is near', () => {
    expect(planMerge({ requested: [1, 2, 3, 4], published, alreadySaved: new Set(), count: 8, max: 10 })).toEqual({
      toAdd: [3, 4], alreadySaved: [], ignored: [], overLimit: [1, 2],
    });
  });

  it('adds nothing at or past the limit', () => {
    expect(planMerge({ requested: [1, 2], published, alreadySaved: new Set([2]), count: 12, max: 10 })).toEqual({
      toAdd: [], alreadySaved: [2], ignored: [], overLimit: [1],
    });
  });

  it('handles an empty list', () => {
    expect(planMerge({ requested: [], published, alreadySaved: new Set(), count: 0, max: 10 })).toEqual({ toAdd: [], alreadySaved: [], ignored: [], overLimit: [] });
  });
});

describe('staggeredTimes', () => {
  it('ends at now, one millisecond apart, oldest first', () => {
    const now = new Date('2026-11-29T21:52:00.000Z');
    expect(staggeredTimes(3, now)).toEqual(['2026-11-29T21:51:59.998Z', '2026-11-29T21:51:59.999Z', '2026-11-29T21:52:00.000Z']);
    expect(staggeredTimes(0, now)).toEqual([]);
  });
});

describe('messages and paths', () => {
  it('names the limit readably', () => {
    expect(limitMessage(5000)).toMatch(/^You have saved 5,000 stories, the most we keep\. Remove some/);
  });

  it('sends the reader to sign in and back', () => {
    expect(signinPath('/africa/12-rains?x=1&y=2')).toBe('/signin?next=%2Fafrica%2F12-rains%3Fx%3D1%26y%3D2');
  });
});
