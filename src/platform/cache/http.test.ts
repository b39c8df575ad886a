import { describe, expect, it } from 'vitest';
import { preferredEncoding } from './http.js';

describe('preferredEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip;q=0.8', 'gzip'],
    ['identity', null],
    ['', null],
    [undefined, null],
    ['GZIP;q=1.0', 'gzip'],
  ])('%s -> %s', (header, expected) => {
    expect(preferredEncoding(header)).toBe(expected);
  });
});
