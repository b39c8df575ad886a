import { describe, expect, it } from 'vitest';
import { absoluteUrl, isSitePath, safeUrl } from './urls.js';

describe('isSitePath', () => {
  it.each(['/', '/africa', '/africa/12-rains?page=2#comments', '/search?q=caf%C3%A9', '/a/b.jpg'])('%s is a path on this site', (s) => {
    expect(isSitePath(s)).toBe(true);
  });

  it.each([
    ['protocol-relative', '//evil.example'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['a backslash further on', '/africa\\x'],
    ['a tab browsers drop', '/\t/evil.example'],
    ['a line break', '/a\nb'],
    ['a space', '/a b'],
    ['a NUL', '/a\u0000'],
    ['a C1 control', '/a\u0085'],
    ['no leading slash', 'africa'],
    ['an absolute URL', 'https://example.org/'],
    ['empty', ''],
    ['not a string', 42],
  ])('refuses %s', (_why, s) => {
    expect(isSitePath(s)).toBe(false);
  });
});

describe('safeUrl', () => {
  it.each([
    ['/africa/1-x', '/africa/1-x'],
    ['  /africa  ', '/africa'],
    ['https://example.org/a', 'https://example.org/a'],
    ['HTTP://Example.org', 'http://example.org/'],
    ['https://example.org/a b', 'https://example.org/a%20b'],
  ])('%j -> %j', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it.each(['/\\evil.example', '//evil.example', 'javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,x', 'http:\\\\evil.example', 'https://ex\tample.org', 'http://', 'ftp://example.org/', 'mailto:desk@example.org', 'a'.repeat(2001), null, undefined, 7])(
    'refuses %j',
    (input) => {
      expect(safeUrl(input)).toBeNull();
    },
  );

  it('takes a mailto: address only when asked (body links)', () => {
    expect(safeUrl('mailto:desk@example.org', { mailto: true })).toBe('mailto:desk@example.org');
    expect(safeUrl('/\\evil.example', { mailto: true })).toBeNull();
  });
});

describe('absoluteUrl', () => {
  it('puts the site in front of a site path only', () => {
    expect(absoluteUrl('https://news.example', '/africa')).toBe('https://news.example/africa');
    expect(absoluteUrl('https://news.example', 'https://cdn.example/a.jpg')).toBe('https://cdn.example/a.jpg');
    expect(absoluteUrl('https://news.example', '/\\evil.example')).toBe('/\\evil.example');
  });
});
