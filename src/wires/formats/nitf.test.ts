import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyText, renderBody } from '../../content/body.js';
import { parseWire } from '../parse.js';
import type { WireItem } from '../wire.model.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/wires/${name}`, import.meta.url));

function item(name: string): WireItem {
  const r = parseWire(fixture(name));
  if (!r.ok) throw new Error(r.reason);
  expect(r.format).toBe('nitf');
  expect(r.rejected).toEqual([]);
  return r.items[0]!;
}

describe('NITF', () => {
  it('maps docdata and body.head: du-key, urgency, dates, copyright, place, subjects, headline, byline, distributor, dateline', () => {
    expect(item('nitf/lakeside-story.xml')).toMatchObject({
      format: 'nitf',
      guid: 'lws-kestrel-rescue',
      version: 1,
      versionTime: '2026-04-12T06:45:00.000Z',
      headline: 'Lifeboat crew rescues four from sinking trawler off Kestrel Bay',
      summary: 'All four fishermen are safe',
      byline: 'Mira Castell, Lakeside Wire Service',
      creditLine: 'Lakeside Wire Service',
      agency: 'Lakeside Wire Service',
      copyright: '© 2026 Lakeside Wire Service',
      dateline: 'KESTREL BAY, April 12',
      place: { name: 'Kestrel Bay', code: 'XK' },
      language: 'en-US',
      urgency: 3,
      expires: '2026-05-12T00:00:00.000Z',
      embargoUntil: null,
      pubStatus: 'usable',
      signal: null,
      subjects: [
        { code: 'subj:03000000', name: 'disaster and accident' },
        { code: 'medtop:20000139', name: 'sea rescue' },
        { code: null, name: 'lifeboat' },
        { code: null, name: 'fishing' },
      ],
    });
  });

  it('turns body.content into our body: hl2 a subheading, block unwrapped, media dropped', () => {
    expect(renderBody(item('nitf/lakeside-story.xml').body)).toBe(
      '<p>A volunteer lifeboat crew pulled four fishermen from a sinking trawler before dawn on Sunday.</p>' +
        '<h3>Second rescue this month</h3>' +
        '<p>The crew launched at 3 a.m. after a <em>mayday</em> call.</p>' +
        '<ul><li><p>Four rescued</p></li><li><p>No injuries</p></li></ul>',
    );
  });

  it('reads a correction: same du-key, higher version, correction signal', () => {
    expect(item('nitf/correction.xml')).toMatchObject({ guid: 'lws-kestrel-rescue', version: 2, signal: 'correction', previousVersion: 1 });
  });

  it('reads a kill (management-status canceled)', () => {
    expect(item('nitf/kill.xml')).toMatchObject({ guid: 'lws-kestrel-rescue', version: 3, pubStatus: 'canceled', signal: 'kill' });
  });

  it('reads date.release as the embargo of an embargoed document', () => {
    expect(item('nitf/embargoed.xml')).toMatchObject({
      guid: 'LWS-20260416-0003',
      embargoUntil: '2026-04-16T06:00:00.000Z',
      versionTime: '2026-04-15T12:00:00.000Z',
      pubStatus: 'usable',
      urgency: 6,
    });
  });

  it('reads an ISO-8859-1 document with accented names', () => {
    const doc = item('nitf/latin1.xml');
    expect(doc.headline).toBe('Hélène Dupré élue à la tête du conseil de Valdoro');
    expect(doc.byline).toBe('Par François Léger');
    expect(bodyText(doc.body)).toBe('Élue dimanche, Mme Dupré a remercié les électeurs « de tout cœur ».');
    expect(doc.language).toBe('fr');
  });

  it('refuses a document with an external parameter entity whole', () => {
    expect(parseWire(fixture('hostile/xxe-parameter.xml'))).toMatchObject({ ok: false, format: 'nitf', reason: expect.stringMatching(/DOCTYPE/) });
  });
});
