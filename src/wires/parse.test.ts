import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBodyDoc } from '../content/body.js';
import { detectFormat, parseWire } from './parse.js';

const base = new URL('../../test/fixtures/wires/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, base));
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('detectFormat', () => {
  it('trusts a specific content type', () => {
    expect(detectFormat('application/rss+xml; charset=utf-8', bytes('<x/>'))).toBe('rss');
    expect(detectFormat('application/atom+xml', bytes(''))).toBe('atom');
    expect(detectFormat('application/vnd.iptc.g2.newsitem+xml', bytes(''))).toBe('newsml-g2');
    expect(detectFormat('application/nitf+xml', bytes(''))).toBe('nitf');
    expect(detectFormat('application/ninjs+json', bytes(''))).toBe('ninjs');
  });

  it('otherwise sniffs the bytes: JSON is ninjs, XML by its root element past declarations and comments', () => {
    expect(detectFormat('application/json', bytes(' [{"uri":"x"}]'))).toBe('ninjs');
    expect(detectFormat(null, bytes('\uFEFF{"uri":"x"}'))).toBe('ninjs');
    expect(detectFormat('text/xml', bytes('<?xml version="1.0"?>\n<!-- <nitf> --><rss version="2.0"/>'))).toBe('rss');
    expect(detectFormat(null, bytes('<rdf:RDF xmlns:rdf="x"/>'))).toBe('rss');
    expect(detectFormat(null, bytes('<feed xmlns="http://www.w3.org/2005/Atom"/>'))).toBe('atom');
    expect(detectFormat(null, bytes('<g2:newsMessage xmlns:g2="x"/>'))).toBe('newsml-g2');
    expect(detectFormat(null, bytes('<newsItem/>'))).toBe('newsml-g2');
    expect(detectFormat(null, bytes('<nitf/>'))).toBe('nitf');
    expect(detectFormat(null, bytes('<html><body/></html>'))).toBeNull();
    expect(detectFormat(null, bytes('plain words'))).toBeNull();
  });

  it('detects every sample file as the format of its folder', () => {
    for (const dir of ['rss', 'atom', 'ninjs', 'newsml-g2', 'nitf']) {
      for (const f of readdirSync(new URL(`${dir}/`, base))) expect([f, detectFormat(null, fixture(`${dir}/${f}`))]).toEqual([f, dir]);
    }
  });
});

describe('parseWire', () => {
  it('gives every sample item a body that is a valid document of ours', () => {
    let count = 0;
    for (const dir of ['rss', 'atom', 'ninjs', 'newsml-g2', 'nitf']) {
      for (const f of readdirSync(new URL(`${dir}/`, base))) {
        const r = parseWire(fixture(`${dir}/${f}`));
        expect([f, r.ok]).toEqual([f, true]);
        if (!r.ok) continue;
        for (const item of r.items) {
          expect(() => parseBodyDoc(item.body)).not.toThrow();
          expect(item.version).toBeGreaterThanOrEqual(1);
          expect(item.headline.length).toBeGreaterThan(0);
          count++;
        }
      }
    }
    expect(count).toBeGreaterThan(20);
  });

  it('refuses hostile and broken documents whole, with a reason and the raw text for the quarantine', () => {
    const cases: [string, RegExp][] = [
      ['hostile/billion-laughs.xml', /DOCTYPE/],
      ['hostile/xxe.xml', /DOCTYPE/],
      ['hostile/xxe-parameter.xml', /DOCTYPE/],
      ['hostile/entity-no-doctype.xml', /declares entities/],
      ['hostile/malformed.xml', /malformed XML/],
      ['hostile/deep-nesting.xml', /nested 204 deep/],
      ['hostile/unknown-encoding.xml', /not supported/],
      ['hostile/malformed.json', /malformed JSON/],
    ];
    for (const [name, reason] of cases) {
      const r = parseWire(fixture(name));
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect([name, r.reason]).toEqual([name, expect.stringMatching(reason)]);
      expect(r.raw.length).toBeGreaterThan(0);
    }
  });

  it('refuses a document over 5 MB without parsing it', () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    expect(parseWire(big, { format: 'ninjs' })).toMatchObject({ ok: false, reason: expect.stringMatching(/over the 5242880-byte limit/) });
  });

  it('refuses a document in another format than the provider is configured for; RSS and Atom stand in for each other', () => {
    const g2 = fixture('newsml-g2/minimal.xml');
    expect(parseWire(g2, { format: 'nitf' })).toMatchObject({ ok: false, reason: 'expected nitf, but the root element is <newsItem>' });
    expect(parseWire(fixture('atom/atlas-atom.xml'), { format: 'rss' })).toMatchObject({ ok: true, format: 'atom' });
    expect(parseWire(bytes('<html/>'))).toMatchObject({ ok: false, format: null, reason: expect.stringMatching(/not in a format we read/) });
  });
});
