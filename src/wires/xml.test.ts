import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attr, child, decodeXmlBytes, parseXml, textOf, XmlError } from './xml.js';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/wires/${name}`, import.meta.url));

/** Runs fn, returns how long it took in milliseconds and what it threw. */
function timed(fn: () => unknown): { ms: number; error: unknown } {
  const start = performance.now();
  let error: unknown = null;
  try {
    fn();
  } catch (err) {
    error = err;
  }
  return { ms: performance.now() - start, error };
}

describe('XML safety', () => {
  it('refuses a billion-laughs document outright, in well under 100 ms', () => {
    const { ms, error } = timed(() => parseXml(fixture('hostile/billion-laughs.xml')));
    console.log(`billion laughs refused in ${ms.toFixed(3)} ms`);
    expect(error).toBeInstanceOf(XmlError);
    expect((error as Error).message).toMatch(/DOCTYPE/);
    expect(ms).toBeLessThan(100);
  });

  it('refuses a billion-laughs document padded to 4.9 MB just as fast (the check does not expand anything)', () => {
    const laughs = fixture('hostile/billion-laughs.xml').toString('utf8');
    const padded = laughs.replace('<title>', `<title>${'x'.repeat(4_900_000)}`);
    const { ms, error } = timed(() => parseXml(padded));
    console.log(`padded billion laughs refused in ${ms.toFixed(3)} ms`);
    expect((error as Error).message).toMatch(/DOCTYPE/);
    expect(ms).toBeLessThan(100);
  });

  it('refuses external entities (XXE), general and parameter, without reading the file or the URL', () => {
    for (const name of ['hostile/xxe.xml', 'hostile/xxe-parameter.xml']) {
      const { ms, error } = timed(() => parseXml(fixture(name)));
      console.log(`${name} refused in ${ms.toFixed(3)} ms`);
      expect(error).toBeInstanceOf(XmlError);
      expect((error as Error).message).toMatch(/DTDs and entities are not accepted/);
      expect(String((error as Error).message)).not.toMatch(/root:/);
      expect(ms).toBeLessThan(100);
    }
  });

  it('refuses an entity declaration even without a DOCTYPE, and in any letter case', () => {
    expect(() => parseXml(fixture('hostile/entity-no-doctype.xml'))).toThrow(/declares entities/);
    expect(() => parseXml('<!doctype x><x/>')).toThrow(/DOCTYPE/);
  });

  it('leaves an undeclared entity reference as written instead of expanding it', () => {
    expect(textOf(parseXml('<x>fish &chips; &amp; peas</x>'))).toBe('fish &chips; & peas');
  });

  it('decodes the five XML entities and numeric references in text and attributes', () => {
    const root = parseXml('<x a="&quot;A&quot; &#x26; B"><y>&lt;b&gt; &apos;&#233;&#xE9;&apos;</y></x>');
    expect(attr(root, 'a')).toBe('"A" & B');
    expect(textOf(child(root, 'y'))).toBe("<b> 'éé'");
  });

  it('refuses a document over the size cap before reading it', () => {
    const big = `<x>${'a'.repeat(200)}</x>`;
    expect(() => parseXml(big, { maxBytes: 100 })).toThrow(/over the 100-byte limit/);
    const fiveMb = `<x>${'a'.repeat(5 * 1024 * 1024)}</x>`;
    expect(() => parseXml(fiveMb)).toThrow(/over the 5242880-byte limit/);
  });

  it('refuses nesting deeper than the cap, and reads nesting up to it', () => {
    expect(() => parseXml(fixture('hostile/deep-nesting.xml'))).toThrow(/nested 204 deep, over the limit of 64/);
    const ok = `${'<a>'.repeat(64)}x${'</a>'.repeat(64)}`;
    expect(textOf(parseXml(ok))).toBe('x');
    const tooDeep = `${'<a>'.repeat(65)}x${'</a>'.repeat(65)}`;
    expect(() => parseXml(tooDeep)).toThrow(/nested 65 deep/);
    // ">" inside an attribute value and CDATA do not fool the depth count
    expect(textOf(parseXml('<a t="1 > 0"><![CDATA[<b><c>]]></a>'))).toBe('<b><c>');
  });

  it('refuses malformed XML with the line and column', () => {
    expect(() => parseXml(fixture('hostile/malformed.xml'))).toThrow(/malformed XML: .*line 8/);
    expect(() => parseXml('<a></a><b></b>')).toThrow(XmlError);
    expect(() => parseXml('just text')).toThrow(XmlError);
  });
});

describe('XML encodings', () => {
  it('decodes a document declared ISO-8859-1 from its Latin-1 bytes', () => {
    const bytes = fixture('rss/latin1-feed.xml');
    expect(bytes.includes(Buffer.from('José', 'utf8'))).toBe(false); // really Latin-1 on disk
    const root = parseXml(bytes);
    const item = child(child(root, 'channel'), 'item');
    expect(textOf(child(item, 'title'))).toBe('Café de Peñalba wins regional prize');
    expect(textOf(child(item, 'creator'))).toBe('José Núñez and Zoë Brontë');
  });

  it('decodes windows-1252 curly quotes, ellipses and the euro sign (Node reads the label as plain Latin-1)', () => {
    const root = parseXml(fixture('rss/windows-1252-feed.xml'));
    const item = child(child(root, 'channel'), 'item');
    expect(textOf(child(item, 'title'))).toBe('“Best harvest in years,” says Müller');
    expect(textOf(child(item, 'description'))).toBe('Farmer Anke Müller’s orchard… had a record year.');
    expect(decodeXmlBytes(Uint8Array.from([...Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'), 0x80, 0x96]))).toMatch(/€–$/);
  });

  it('reads a UTF-8 byte order mark, and UTF-16 with its byte order mark', () => {
    const utf8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<x>Zoë</x>', 'utf8')]);
    expect(textOf(parseXml(utf8))).toBe('Zoë');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><x>Łódź</x>', 'utf16le')]);
    expect(textOf(parseXml(utf16))).toBe('Łódź');
  });

  it('refuses bytes that are not the UTF-8 they claim to be, and an encoding it does not know', () => {
    expect(() => parseXml(fixture('hostile/undeclared-encoding.xml'))).toThrow(/not valid UTF-8/);
    expect(() => parseXml(fixture('hostile/unknown-encoding.xml'))).toThrow(/encoding "x-klingon", which is not supported/);
  });
});
