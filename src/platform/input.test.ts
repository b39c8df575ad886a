import { describe, expect, it } from 'vitest';
import { isCleanPath, isId, MAX_ID, rewriteUndecodablePath, textProblem } from './input.js';

describe('textProblem', () => {
  it('passes ordinary text, accents and emoji', () => {
    expect(textProblem('Café — Río Grande 🌧')).toBeNull();
  });

  it('names a control character by its code point', () => {
    expect(textProblem('a\u0000b')).toContain('U+0000');
    expect(textProblem('a\u007fb')).toContain('U+007F');
    expect(textProblem('a\u0085b')).toContain('U+0085');
  });

  it('takes tab, line feed and carriage return in body text only', () => {
    expect(textProblem('a\tb\r\nc', { multiline: true })).toBeNull();
    expect(textProblem('a\nb')).toContain('U+000A');
    expect(textProblem('a\u0000b', { multiline: true })).toContain('U+0000');
  });

  it('refuses a lone surrogate, high or low, and takes a pair', () => {
    expect(textProblem('x\ud800')).toContain('surrogate');
    expect(textProblem('\udc00x')).toContain('surrogate');
    expect(textProblem('\ud83c\udf27')).toBeNull();
  });
});

describe('isCleanPath', () => {
  it('looks at the path, not the query', () => {
    expect(isCleanPath('/africa?q=%00')).toBe(true);
    expect(isCleanPath('/caf%C3%A9')).toBe(true);
  });

  it.each(['/africa%00', '/a%0A', '/a%7F', '/a%C2%85', '/a%FF', '/a%ED%A0%80', '/a%'])('refuses %s', (url) => {
    expect(isCleanPath(url)).toBe(false);
  });
});

describe('rewriteUndecodablePath', () => {
  it('routes a path that cannot be decoded to one the not-found handler answers, keeping the API apart', () => {
    expect(rewriteUndecodablePath({ url: '/africa?page=2' })).toBe('/africa?page=2');
    expect(rewriteUndecodablePath({ url: '/africa%FF' })).toBe('/%00');
    expect(rewriteUndecodablePath({ url: '/api/v1/x%FF?q=1' })).toBe('/api/%00');
  });
});

describe('isId', () => {
  it('is a whole number from 1 to 2^31-1', () => {
    expect(MAX_ID).toBe(2 ** 31 - 1);
    expect([1, MAX_ID].map(isId)).toEqual([true, true]);
    expect([0, -1, 1.5, MAX_ID + 1, Number.NaN, '1', null].map(isId)).toEqual([false, false, false, false, false, false, false]);
  });
});
