import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyText, renderBody } from '../../content/body.js';
import { parseWire } from '../parse.js';
import type { WireItem } from '../wire.model.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/wires/${name}`, import.meta.url));

function parsed(name: string) {
  const r = parseWire(fixture(name));
  if (!r.ok) throw new Error(r.reason);
  return r;
}

describe('RSS 2.0', () => {
  const feed = parsed('rss/northwind-feed.xml');
  const [ferry, library, market] = feed.items as [WireItem, WireItem, WireItem];

  it('maps guid, headline, byline, dates, language, copyright, agency, subjects and url', () => {
    expect(feed.format).toBe('rss');
    expect(ferry).toMatchObject({
      format: 'rss',
      guid: 'nwna:2026:kestrel-ferry-0412',
      version: 1,
      versionTime: '2026-04-12T07:30:00.000Z',
      firstCreated: '2026-04-12T07:30:00.000Z',
      headline: 'Ferry service to Kestrel Bay resumes after storm repairs',
      byline: 'Ines Marlow',
      language: 'en-GB',
      copyright: 'Copyright 2026 Northwind News Agency',
      agency: 'Northwind News Agency',
      url: 'https://wire.northwind.example/stories/kestrel-ferry-resumes',
      pubStatus: 'usable',
      signal: null,
      urgency: null,
      embargoUntil: null,
      subjects: [
        { code: 'medtop:20000050', name: null },
        { code: null, name: 'Transport' },
      ],
    });
  });

  it('turns the HTML description into a safe body: script, style, iframe, image and handlers gone, javascript: link unlinked', () => {
    const html = renderBody(ferry.body);
    expect(html).toContain('<strong>Kestrel Bay</strong>');
    expect(html).toContain('<li><p>Fares <em>unchanged</em></p></li>');
    // the relative link is the agency's page, resolved against the item's link
    expect(html).toContain('<a href="https://wire.northwind.example/harbour/notices" rel="noopener">notices</a>');
    expect(html).toContain('the timetable are online');
    for (const bad of ['<script', 'cookie', 'onclick', 'onmouseover', 'onerror', 'javascript:', '<img', '<iframe', 'color: red']) {
      expect(html).not.toContain(bad);
    }
  });

  it('reads an item with only a title and a link (guid from the link, no body, no dates)', () => {
    expect(library).toMatchObject({
      guid: 'https://wire.northwind.example/stories/valdoro-library',
      headline: 'Valdoro council approves new library budget',
      byline: null,
      versionTime: null,
      body: { type: 'doc', content: [] },
      warnings: [],
    });
  });

  it('prefers content:encoded for the body and keeps the description as the summary; reads the name in an RSS author', () => {
    expect(market.headline).toBe('Market hall reopens & traders return');
    expect(market.summary).toBe('Traders returned to the old market hall in Port Averell on Sunday.');
    expect(market.byline).toBe('Tomas Feld');
    expect(market.versionTime).toBe('2026-04-12T08:00:00.000Z'); // +0100 read as such
    expect(market.body.content[0]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Back in business' }] });
    expect(renderBody(market.body)).toContain('<blockquote>');
  });

  it('quarantines an item with nothing to identify it, with its raw XML, and still reads the others', () => {
    expect(feed.items).toHaveLength(3);
    expect(feed.rejected).toEqual([{ reason: 'item has no identifier (guid/uri/id)', guid: null, raw: expect.stringContaining('<item>') }]);
  });

  it('shows a new version of a feed item as the same guid with a later version time', () => {
    const { items } = parsed('rss/versions.xml');
    expect(items.map((i) => [i.guid, i.version, i.versionTime])).toEqual([
      ['nwna:2026:bridge-closure', 1, '2026-04-13T06:00:00.000Z'],
      ['nwna:2026:bridge-closure', 1, '2026-04-13T11:20:00.000Z'],
    ]);
    expect(bodyText(items[1]!.body)).toBe('Engineers found cracked bearings; the bridge stays closed until Friday.');
  });

  it('reads ISO-8859-1 and windows-1252 feeds with accented names and curly quotes', () => {
    const [cafe] = parsed('rss/latin1-feed.xml').items as [WireItem];
    expect(cafe.headline).toBe('Café de Peñalba wins regional prize');
    expect(cafe.byline).toBe('José Núñez and Zoë Brontë');
    expect(bodyText(cafe.body)).toBe('The café run by Begoña Ibáñez in São Martinho took the prize — for the second year.');
    expect(cafe.language).toBe('es');
    const [quote] = parsed('rss/windows-1252-feed.xml').items as [WireItem];
    expect(quote.headline).toBe('“Best harvest in years,” says Müller');
  });
});

describe('Atom', () => {
  const feed = parsed('atom/atlas-atom.xml');
  const [comet, festival, weather] = feed.items as [WireItem, WireItem, WireItem];

  it('maps id, title (HTML), authors, updated/published, rights, categories and the alternate link', () => {
    expect(feed.format).toBe('atom');
    expect(comet).toMatchObject({
      format: 'atom',
      guid: 'urn:atlas-wire:2026-04-12:observatory',
      version: 1,
      versionTime: '2026-04-12T09:15:00.000Z',
      firstCreated: '2026-04-12T08:00:00.000Z',
      headline: 'Valdoro observatory finds new comet',
      summary: 'Astronomers at Valdoro spotted a faint comet.',
      byline: 'Priya Calder, Jonas Wend',
      copyright: '© 2026 Atlas Wire',
      language: 'en',
      url: 'https://atlas-wire.example/news/observatory-comet',
      subjects: [
        { code: 'medtop:13000000', name: 'science and technology' },
        { code: null, name: 'astronomy' },
      ],
    });
    const html = renderBody(comet.body);
    expect(html).toContain('<a href="https://atlas-wire.example/observatory" rel="noopener">Valdoro observatory</a>');
    expect(html).not.toContain('script');
  });

  it('reads XHTML content, the entry’s own language, and falls back to the feed author', () => {
    expect(festival.language).toBe('fr-CA');
    expect(festival.byline).toBe('Atlas Wire desk');
    expect(renderBody(festival.body)).toBe(
      '<p>Le festival a attiré <strong>des milliers</strong> de visiteurs.</p><p>La <a href="https://atlas-wire.example/fr/festival" rel="noopener">suite</a>.</p>',
    );
  });

  it('uses a text summary as the body when there is no content', () => {
    expect(weather.summary).toBeNull();
    expect(weather.body.content).toHaveLength(2);
  });
});
