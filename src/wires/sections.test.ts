import { describe, expect, it } from 'vitest';
import { suggestSection } from './sections.js';

const SITE = ['world', 'africa', 'politics', 'economy', 'science', 'culture', 'sport', 'opinion'];

describe('the section a wire item suggests', () => {
  it.each([
    [[{ code: 'medtop:15000000', name: 'sport' }], 'sport'],
    [[{ code: 'medtop:04000000', name: null }], 'economy'],
    [[{ code: 'medtop:01000000', name: 'arts, culture, entertainment and media' }], 'culture'],
    [[{ code: 'medtop:20000249', name: 'renewable energy' }], 'economy'],
    [[{ code: null, name: 'Parliament' }], 'politics'],
    [[{ code: 'medtop:05000000', name: 'education' }], 'world'],
    [[], 'world'],
  ])('%j → %s', (subjects, slug) => {
    expect(suggestSection(subjects, SITE)).toBe(slug);
  });

  it('falls back to the first section when the site has no world or news section', () => {
    expect(suggestSection([{ code: 'medtop:15000000', name: 'sport' }], ['home', 'local'])).toBe('home');
    expect(suggestSection([], [])).toBeNull();
  });
});
