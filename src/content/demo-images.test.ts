import { describe, it, expect } from 'vitest';
import { authorPortraitSvg, demoImageSvg } from './demo-images.js';

const SAMPLE_KEYS = [
  'ondara-valley-rain-clouds',
  'kibeni-terraced-fields',
  'lower-ondara-river-bend',
  'bank-of-vessaly-rates-chart',
  'orlen-parliament-square-city',
  'port-sennet-container-berth',
  'fishing-boat-at-sea',
  'littoral-cup-final-stadium',
  'athletics-track-lanes',
  'averon-telescope-night-sky',
  'student-satellite-night-sky',
  'wadi-sarn-crossing-road',
  'ondara-weaving-pattern',
  'umm-safra-market-stalls',
  'something-entirely-unrelated',
];

/** A light well-formedness check: every opened tag is closed in order. */
function tagsBalance(svg: string): boolean {
  const stack: string[] = [];
  const re = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
  for (const m of svg.matchAll(re)) {
    const [, closing, name, selfClosing] = m;
    if (selfClosing) continue;
    if (closing) {
      if (stack.pop() !== name) return false;
    } else {
      stack.push(name as string);
    }
  }
  return stack.length === 0;
}

function expectSaneSvg(svg: string): void {
  expect(svg.startsWith('<svg ')).toBe(true);
  expect(svg.endsWith('</svg>')).toBe(true);
  expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
  expect(svg).toContain('role="img"');
  expect(svg).toMatch(/<title[^>]*>[^<]+<\/title>/);
  expect(svg).not.toMatch(/<script/i);
  expect(svg).not.toMatch(/\son[a-z]+=/i);
  expect(svg).not.toMatch(/(href|src)=["']https?:/i);
  expect(svg).not.toMatch(/url\((?!#)/);
  expect(Buffer.byteLength(svg, 'utf8')).toBeLessThan(10 * 1024);
  expect(tagsBalance(svg)).toBe(true);
  // No stray ampersands: every & must start an entity.
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i);
  expect(svg).not.toMatch(/NaN|undefined|Infinity/);
}

describe('demoImageSvg', () => {
  it('is deterministic for a key', () => {
    for (const key of SAMPLE_KEYS) {
      expect(demoImageSvg(key)).toBe(demoImageSvg(key));
    }
  });

  it('gives different keys different pictures', () => {
    const outputs = new Set(SAMPLE_KEYS.map((k) => demoImageSvg(k)));
    expect(outputs.size).toBe(SAMPLE_KEYS.length);
    // Not only the title differs: the drawing itself changes too.
    const strip = (svg: string) => svg.replace(/<title[^>]*>.*?<\/title>/, '').replace(/id="[^"]*"|url\(#[^)]*\)|aria-labelledby="[^"]*"/g, '');
    expect(strip(demoImageSvg('kibeni-terraced-fields'))).not.toBe(strip(demoImageSvg('nyalo-terraced-fields')));
  });

  it('produces small, well-formed-looking SVG documents', () => {
    for (const key of SAMPLE_KEYS) expectSaneSvg(demoImageSvg(key));
  });

  it('defaults to 1200x675 and honours a requested size', () => {
    expect(demoImageSvg('city-skyline')).toMatch(/^<svg [^>]*width="1200" height="675"/);
    const small = demoImageSvg('city-skyline', 320, 180);
    expect(small).toMatch(/^<svg [^>]*width="320" height="180"/);
    expect(demoImageSvg('city-skyline', Number.NaN, -5)).toMatch(/^<svg [^>]*width="1200" height="675"/);
  });

  it('puts a readable version of the key in the title', () => {
    expect(demoImageSvg('ondara-valley-fields')).toContain('>Ondara valley fields</title>');
  });

  it('escapes odd characters in keys', () => {
    const svg = demoImageSvg('a<b>&"c\'-</title><script>alert(1)</script>');
    expectSaneSvg(svg);
    expect(svg).toContain('&lt;');
    expect(svg).toContain('&amp;');
    expect(svg).not.toContain('<b>');
  });

  it('handles an empty key', () => {
    expectSaneSvg(demoImageSvg(''));
  });
});

describe('authorPortraitSvg', () => {
  it('is deterministic per name and varies between names', () => {
    expect(authorPortraitSvg('Adaeze Koroma')).toBe(authorPortraitSvg('Adaeze Koroma'));
    expect(authorPortraitSvg('Adaeze Koroma')).not.toBe(authorPortraitSvg('Tomás Ferrant'));
  });

  it('shows the initials and the name', () => {
    const svg = authorPortraitSvg('Adaeze Koroma');
    expectSaneSvg(svg);
    expect(svg).toMatch(/>AK<\/text>/);
    expect(svg).toContain('>Adaeze Koroma</title>');
    expect(svg).toMatch(/^<svg [^>]*width="400" height="400"/);
    expect(authorPortraitSvg('Adaeze Koroma', 96)).toMatch(/^<svg [^>]*width="96" height="96"/);
  });

  it('handles accents and single names', () => {
    expect(authorPortraitSvg('Lucía Ocampo')).toMatch(/>LO<\/text>/);
    expect(authorPortraitSvg('Ésa')).toMatch(/>É<\/text>/);
    expect(authorPortraitSvg('   ')).toMatch(/>\?<\/text>/);
  });

  it('escapes odd characters in names', () => {
    const svg = authorPortraitSvg('<Zoë> & "O\'Brien"');
    expectSaneSvg(svg);
    expect(svg).toContain('&lt;Zoë&gt; &amp; &quot;O&apos;Brien&quot;');
    expect(svg).not.toContain('<Zoë>');
  });
});
