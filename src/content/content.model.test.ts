import { describe, expect, it } from 'vitest';
import { paths, slugify } from './content.model.js';

describe('slugify', () => {
  it.each([
    ['Rains return to the Kesra Valley after 14 dry months', 'rains-return-to-the-kesra-valley-after-14-dry-months'],
    ["Ministers' talks resume — at last!", 'ministers-talks-resume-at-last'],
    ['Café Zürich reopens', 'cafe-zurich-reopens'],
    ['???', 'story'],
  ])('%s -> %s', (input, slug) => expect(slugify(input)).toBe(slug));

  it('cuts long headlines at a word boundary', () => {
    const slug = slugify('word '.repeat(40), 30);
    expect(slug.length).toBeLessThanOrEqual(30);
    expect(slug.endsWith('-')).toBe(false);
  });
});

describe('paths', () => {
  it('puts the section, the id and the slug in an article URL', () => {
    expect(paths.article('africa', 42, 'rains-return')).toBe('/africa/42-rains-return');
  });
});
