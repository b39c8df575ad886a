import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyText, renderBody } from '../../content/body.js';
import { parseWire } from '../parse.js';
import type { WireItem } from '../wire.model.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/wires/${name}`, import.meta.url));

function parsed(name: string) {
  const r = parseWire(fixture(name), { contentType: 'application/json' });
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('ninjs', () => {
  it('maps every field of a ninjs 1.x item', () => {
    const [item] = parsed('ninjs/meridian-1x.json').items as [WireItem];
    expect(item).toMatchObject({
      format: 'ninjs',
      guid: 'urn:meridian-press:2026:0412:harbour-strike',
      version: 1,
      versionTime: '2026-04-12T08:05:00.000Z',
      firstCreated: '2026-04-12T08:05:00.000Z',
      headline: 'Dock workers in Port Averell walk out over shift changes',
      summary: 'Hundreds of dock workers walked out on Sunday.',
      byline: 'Lena Okafor',
      creditLine: 'Meridian Press',
      copyright: '© 2026 Meridian Press. All rights reserved.',
      dateline: 'PORT AVERELL',
      place: { name: 'Port Averell', code: 'geo:port-averell' },
      language: 'en-GB',
      urgency: 3,
      pubStatus: 'usable',
      signal: null,
      embargoUntil: null,
      subjects: [
        { code: 'medtop:09000000', name: 'labour' },
        { code: 'medtop:20000523', name: 'labour dispute' },
        { code: null, name: 'ports' },
      ],
      warnings: [],
    });
    const html = renderBody(item.body);
    expect(html).toContain('<strong>Tuesday</strong>');
    expect(html).not.toContain('script');
    expect(html).not.toContain('alert');
  });

  it('maps a ninjs 2.x item: main headline, by, HTML body preferred, descriptions, infosources, places, subject URIs', () => {
    const [item] = parsed('ninjs/meridian-2x.json').items as [WireItem];
    expect(item).toMatchObject({
      guid: 'urn:meridian-press:2026:0412:library-fire',
      version: 2,
      versionTime: '2026-04-12T10:30:00.000Z', // +02:00 to UTC
      headline: 'Brand in der Stadtbibliothek von Valdoro gelöscht',
      summary: 'Die Feuerwehr löschte den Brand in der Nacht.',
      byline: 'Karl Brenner',
      creditLine: 'Meridian Press',
      dateline: 'VALDORO',
      place: { name: 'Valdoro', code: 'http://example.org/places/valdoro' },
      language: 'de-DE',
      urgency: 2,
      signal: 'update',
      previousVersion: 1,
      subjects: [
        { code: 'medtop:03000000', name: 'disaster, accident and emergency incident' },
        { code: 'subj:03005000', name: 'fire' },
      ],
    });
    expect(bodyText(item.body)).toBe('Die Feuerwehr löschte den Brand in der Nacht. Niemand wurde verletzt.');
  });

  it('reads several versions of one item, the last a correction of the one before', () => {
    const { items } = parsed('ninjs/versions.json');
    expect(items.map((i) => [i.guid, i.version, i.signal, i.previousVersion])).toEqual([
      ['urn:meridian-press:2026:0413:election-count', 1, null, null],
      ['urn:meridian-press:2026:0413:election-count', 2, 'update', 1],
      ['urn:meridian-press:2026:0413:election-count', 3, 'correction', 2],
    ]);
    expect(bodyText(items[2]!.body)).toContain('56 percent');
  });

  it('reads a kill (pubstatus canceled) as a kill of the version before', () => {
    const [kill] = parsed('ninjs/kill.json').items as [WireItem];
    expect(kill).toMatchObject({ version: 4, pubStatus: 'canceled', signal: 'kill', previousVersion: 3 });
  });

  it('reads an embargoed, withheld item with its embargo time', () => {
    const [item] = parsed('ninjs/embargoed.json').items as [WireItem];
    expect(item).toMatchObject({ embargoUntil: '2026-04-15T22:00:00.000Z', pubStatus: 'withheld', urgency: 5 });
  });

  it('rejects items whose required fields have the wrong JSON type, and ignores wrong optional ones with warnings', () => {
    const r = parsed('ninjs/wrong-types.json');
    expect(r.items.map((i) => i.guid)).toEqual(['urn:meridian-press:2026:0414:good']);
    expect(r.items[0]!.warnings).toEqual([
      'versioncreated "yesterday" is not a date; ignored',
      'byline should be a string, got an array; ignored',
      'language 42 is not a string; ignored',
      'urgency "high" is not a whole number from 1 to 9; ignored',
      'subject should be an array, got a string; ignored',
    ]);
    expect(r.rejected.map((x) => [x.guid, x.reason])).toEqual([
      ['urn:meridian-press:2026:0414:headline-number', 'ninjs headline should be a string, got a number'],
      [null, 'ninjs item has no uri'],
      [null, 'ninjs uri should be a string, got an object'],
      ['urn:meridian-press:2026:0414:bad-version', 'version {"n":2} is not a whole number from 1'],
      [null, 'ninjs item is a string, not an object'],
      [null, 'ninjs item is null, not an object'],
      ['urn:meridian-press:2026:0414:empty', 'item has no headline and no text'],
    ]);
    expect(JSON.parse(r.rejected[0]!.raw)).toEqual({ uri: 'urn:meridian-press:2026:0414:headline-number', headline: 12345 });
  });

  it('refuses a malformed JSON document whole, with its raw text', () => {
    const r = parseWire(fixture('hostile/malformed.json'));
    expect(r).toMatchObject({ ok: false, format: 'ninjs', reason: expect.stringMatching(/^malformed JSON/) });
    expect(!r.ok && r.raw).toContain('urn:meridian:broken');
  });

  it('refuses a ninjs document that is neither an object nor an array', () => {
    expect(parseWire('"text"', { format: 'ninjs' })).toMatchObject({ ok: false, reason: 'ninjs document is not an object or an array of objects' });
  });
});
