import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyText, renderBody } from '../../content/body.js';
import { parseWire } from '../parse.js';
import type { WireItem } from '../wire.model.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/wires/${name}`, import.meta.url));

function parsed(name: string) {
  const r = parseWire(fixture(name));
  if (!r.ok) throw new Error(r.reason);
  expect(r.format).toBe('newsml-g2');
  return r;
}

describe('NewsML-G2', () => {
  it('maps every field of a news item', () => {
    const [item] = parsed('newsml-g2/atlas-newsitem.xml').items as [WireItem];
    expect(item).toMatchObject({
      format: 'newsml-g2',
      guid: 'urn:newsml:atlas-wire.example:20260412:aw-0412-harbour',
      version: 1,
      versionTime: '2026-04-12T08:20:00.000Z',
      firstCreated: '2026-04-12T08:20:00.000Z',
      headline: 'Port Averell dockers strike over new shift rota',
      summary: 'Cargo handling stopped at Port Averell as dockers struck.',
      byline: 'Ruth Sandoval',
      creditLine: 'Atlas Wire',
      copyright: 'Copyright 2026 Atlas Wire. All rights reserved.',
      dateline: 'PORT AVERELL, April 12',
      place: { name: 'Port Averell', code: 'geo:port-averell' },
      agency: 'Atlas Wire',
      language: 'en-US',
      urgency: 2,
      pubStatus: 'usable',
      signal: null,
      previousVersion: null,
      embargoUntil: null,
      subjects: [
        { code: 'medtop:09000000', name: 'labour' },
        { code: 'medtop:20000523', name: 'labour dispute' },
        { code: 'geo:port-averell', name: 'Port Averell' },
      ],
      warnings: [],
    });
    expect(renderBody(item.body)).toBe(
      '<p>Dock workers at Port Averell stopped work on Sunday in protest at a new <em>shift rota</em>, a union spokesman said.</p>' +
        '<h2>Talks on Tuesday</h2>' +
        '<p>The port authority said it would meet the union on <strong>Tuesday</strong>. See the <a href="https://atlas-wire.example/background/port" rel="noopener">background</a>.</p>' +
        '<ol><li><p>Morning shift moved to 5 a.m.</p></li><li><p>Weekend rota doubled</p></li></ol>',
    );
  });

  it('reads the versions in a news message: update and correction signals, the previous version it names', () => {
    const r = parsed('newsml-g2/message-versions.xml');
    expect(r.items.map((i) => [i.version, i.signal, i.previousVersion, i.headline])).toEqual([
      [1, null, null, 'Port Averell closes old bridge for checks'],
      [2, 'update', 1, 'Port Averell bridge to stay shut until Friday'],
      [3, 'correction', 2, 'Port Averell bridge to stay shut until Saturday'],
    ]);
    expect(bodyText(r.items[0]!.body)).toBe('The old bridge closed on Monday morning. Engineers are inspecting it.');
    expect(r.items[0]!.body.content).toHaveLength(2); // inlineData paragraphs
  });

  it('quarantines what is not a readable news item in a message, and reads the rest', () => {
    const r = parsed('newsml-g2/message-versions.xml');
    expect(r.rejected.map((x) => [x.guid, x.reason])).toEqual([
      ['urn:newsml:atlas-wire.example:20260413:pkg', '<packageItem> is not a newsItem; only news items are read'],
      [null, 'item has no identifier (guid/uri/id)'],
    ]);
    expect(r.rejected[1]!.raw).toContain('An item without a guid');
  });

  it('reads a kill (stat:canceled)', () => {
    const [kill] = parsed('newsml-g2/kill.xml').items as [WireItem];
    expect(kill).toMatchObject({ version: 4, pubStatus: 'canceled', signal: 'kill', previousVersion: 3, urgency: 1 });
  });

  it('reads an embargoed, withheld item', () => {
    const [item] = parsed('newsml-g2/embargoed.xml').items as [WireItem];
    expect(item).toMatchObject({
      embargoUntil: '2026-04-15T09:00:00.000Z',
      pubStatus: 'withheld',
      subjects: [{ code: 'medtop:05000000', name: 'education' }],
    });
  });

  it('reads an item with only a guid and a headline; the rest is empty, not invented', () => {
    const [item] = parsed('newsml-g2/minimal.xml').items as [WireItem];
    expect(item).toMatchObject({
      guid: 'urn:newsml:atlas-wire.example:min',
      version: 1,
      headline: 'Minimal item',
      versionTime: null,
      byline: null,
      language: null,
      urgency: null,
      subjects: [],
      pubStatus: 'usable',
      body: { type: 'doc', content: [] },
    });
  });

  it('refuses a news item with a DOCTYPE (external entity) whole', () => {
    const r = parseWire(fixture('hostile/xxe.xml'));
    expect(r).toMatchObject({ ok: false, format: 'newsml-g2', reason: expect.stringMatching(/DTDs and entities are not accepted/) });
  });
});
