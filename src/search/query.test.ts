import { describe, expect, it } from 'vitest';
import { parseQuery, toFts5, toWebsearch, type ParsedQuery } from './query.js';

function parsed(raw: string): ParsedQuery {
  const r = parseQuery(raw);
  if (!r.ok) throw new Error(`expected ${raw} to parse: ${r.problem.message}`);
  return r.query;
}

describe('parseQuery', () => {
  it('reads words, quoted phrases and exclusions', () => {
    expect(parsed('Water "Ondara Valley" -drought -"dry season"')).toEqual({
      include: [['water'], ['ondara', 'valley']],
      exclude: [['drought'], ['dry', 'season']],
      normalized: 'water "ondara valley" -drought -"dry season"',
    });
  });

  it('keeps only letters and digits, so nothing becomes an operator', () => {
    expect(parsed('flood* NEAR(x) covid-19 "a"b"').include).toEqual([['flood'], ['near', 'x'], ['covid', '19'], ['a'], ['b']]);
    expect(parsed("o'neill AND (rates)").include).toEqual([['o', 'neill'], ['rates']]);
  });

  it('accepts an unclosed quote as a phrase to the end', () => {
    expect(parsed('"wadi sarn').include).toEqual([['wadi', 'sarn']]);
  });

  it('drops lone common words but keeps them inside phrases', () => {
    expect(parsed('the floods of the valley').include).toEqual([['floods'], ['valley']]);
    expect(parsed('"the valley"').include).toEqual([['the', 'valley']]);
  });

  it('folds case and compatibility forms, keeps accents for the database to fold', () => {
    expect(parsed('CAFÉ ｗａｔｅｒ').include).toEqual([['café'], ['water']]);
  });

  it('drops repeats', () => {
    expect(parsed('rain Rain RAIN').include).toEqual([['rain']]);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['x'.repeat(201), 'too_long'],
    ['?!* --- ""', 'no_words'],
    ['the and of', 'only_common_words'],
    ['-rain -"dry season"', 'only_exclusions'],
    [Array.from({ length: 13 }, (_, i) => `word${i}`).join(' '), 'too_many_terms'],
  ])('refuses %j (%s) with a sentence to act on', (raw, code) => {
    const r = parseQuery(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.code).toBe(code);
      expect(r.problem.message).toMatch(/[.]$/);
    }
  });
});

describe('query compilers', () => {
  const q = parsed('water "ondara valley" -drought -"dry season"');

  it('FTS5: quoted strings, AND, then NOT', () => {
    expect(toFts5(q)).toBe('("water" AND "ondara valley") NOT "drought" NOT "dry season"');
    expect(toFts5(parsed('rain'))).toBe('("rain")');
  });

  it('PostgreSQL websearch syntax', () => {
    expect(toWebsearch(q)).toBe('water "ondara valley" -drought -"dry season"');
  });
});
