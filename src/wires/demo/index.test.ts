import { describe, expect, it } from 'vitest';
import { parseWire } from '../parse.js';
import type { WireItem } from '../wire.model.js';
import { DEMO_PROVIDERS, readDemoFeed } from './index.js';

function itemsOf(slug: string): WireItem[] {
  const provider = DEMO_PROVIDERS.find((p) => p.slug === slug)!;
  const r = parseWire(readDemoFeed(provider), { format: provider.format, contentType: provider.contentType });
  if (!r.ok) throw new Error(r.reason);
  expect(r.rejected).toEqual([]);
  return r.items;
}

describe('demo wire feeds', () => {
  it('has one provider per format (ninjs, NewsML-G2, RSS), each file reading cleanly in its format', () => {
    expect(DEMO_PROVIDERS.map((p) => p.format)).toEqual(['ninjs', 'newsml-g2', 'rss']);
    for (const p of DEMO_PROVIDERS) expect(itemsOf(p.slug).every((i) => i.format === p.format)).toBe(true);
  });

  it('covers one event by two agencies, and has an embargoed item, a correction and a kill', () => {
    const all = DEMO_PROVIDERS.flatMap((p) => itemsOf(p.slug).map((item) => ({ provider: p.slug, item })));
    const windfarm = all.filter(({ item }) => /wind farm/i.test(item.headline));
    expect(new Set(windfarm.map((w) => w.provider))).toEqual(new Set(['meridian-press', 'atlas-wire']));
    expect(all.filter(({ item }) => item.embargoUntil !== null)).toHaveLength(1);
    expect(all.filter(({ item }) => item.signal === 'correction').map(({ item }) => item.guid)).toEqual(['urn:meridian-press:demo:museum']);
    expect(all.filter(({ item }) => item.signal === 'kill').map(({ item }) => item.guid)).toEqual(['urn:meridian-press:demo:ferry-fares']);
  });
});
