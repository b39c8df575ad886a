import { describe, expect, it } from 'vitest';
import { MAX_LOCAL, buttonText, changeMessage, parseLocalIds, storiesText, withId, withoutId } from './favorites-state.js';

describe('parseLocalIds', () => {
  it('reads a stored list of ids', () => {
    expect(parseLocalIds('[3,1,2]')).toEqual([3, 1, 2]);
  });

  it.each([null, '', 'not json', '{"a":1}', '42', 'null'])('treats %j as empty', (raw) => {
    expect(parseLocalIds(raw)).toEqual([]);
  });

  it('drops what is not an article id and counts duplicates once', () => {
    expect(parseLocalIds('[1, "2", 0, -4, 1.5, 3, 1, null, 99999999999]')).toEqual([1, 3]);
  });

  it(`keeps the newest ${MAX_LOCAL}`, () => {
    const ids = Array.from({ length: MAX_LOCAL + 10 }, (_, i) => i + 1);
    const parsed = parseLocalIds(JSON.stringify(ids));
    expect(parsed).toHaveLength(MAX_LOCAL);
    expect(parsed[0]).toBe(11);
    expect(parsed.at(-1)).toBe(MAX_LOCAL + 10);
  });
});

describe('withId / withoutId', () => {
  it('saves an id last, once', () => {
    expect(withId([1, 2, 3], 2)).toEqual([1, 3, 2]);
    expect(withId([], 7)).toEqual([7]);
  });

  it('removes an id', () => {
    expect(withoutId([1, 2, 3], 2)).toEqual([1, 3]);
    expect(withoutId([1], 5)).toEqual([1]);
  });
});

describe('buttonText', () => {
  it('invites to save', () => {
    expect(buttonText('article', false, true).label).toBe('Add to favorites');
    expect(buttonText('article', false, false).label).toBe('Add to favorites');
    expect(buttonText('card', false, true).label).toBe('Save');
  });

  it('says where a saved story is kept', () => {
    expect(buttonText('article', true, true)).toEqual({ label: 'Saved', title: expect.stringContaining('Saved to your favorites') });
    expect(buttonText('article', true, false)).toEqual({ label: 'Saved on this device', title: expect.stringContaining('Sign in to keep your favorites on every device') });
    expect(buttonText('card', true, false).label).toBe('Saved');
  });
});

describe('messages', () => {
  it('counts stories', () => {
    expect(storiesText(1)).toBe('1 story');
    expect(storiesText(0)).toBe('0 stories');
    expect(changeMessage(true, true, 3)).toBe('Saved to your favorites. 3 stories saved.');
    expect(changeMessage(false, true, 1)).toBe('Removed from your favorites. 1 story saved.');
    expect(changeMessage(true, false, 2)).toMatch(/^Saved on this device\. Sign in/);
  });
});
