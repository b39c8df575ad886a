/**
 * Loads the demo edition's wire desk: the three fictional agencies of
 * ./index.ts as push providers, each fed its sample file, so a newcomer sees
 * a working queue (two agencies on one event, an embargo, a correction, a
 * kill) after `npm start`. The embargoed item's embargo is moved to three
 * hours from now, so it shows as embargoed whenever the demo is loaded.
 * Providers already there are left alone (and their feeds ingested again:
 * stored exactly once, so nothing doubles).
 */
import type { WireService } from '../wire.service.js';
import { DEMO_PROVIDERS, readDemoFeed } from './index.js';

export interface DemoWiresReport {
  providers: number;
  stored: number;
  updated: number;
}

/** The sample file with every embargo moved to `embargo` (G2 <embargoed>, ninjs "embargoed"). */
function shiftEmbargo(text: string, embargo: string): string {
  return text
    .replace(/<embargoed>[^<]*<\/embargoed>/g, `<embargoed>${embargo}</embargoed>`)
    .replace(/("embargoed"\s*:\s*)"[^"]*"/g, `$1"${embargo}"`);
}

export async function seedDemoWires(wires: WireService, now: Date = new Date()): Promise<DemoWiresReport> {
  const embargo = new Date(Math.ceil((now.getTime() + 3 * 3600_000) / 3600_000) * 3600_000).toISOString().replace('.000Z', 'Z');
  const report: DemoWiresReport = { providers: 0, stored: 0, updated: 0 };
  for (const demo of DEMO_PROVIDERS) {
    let provider = await wires.providerByName(demo.slug);
    if (!provider) {
      provider = (await wires.createProvider({ name: demo.slug, displayName: demo.name, credit: demo.credit, format: demo.format, transport: 'push' })).provider;
      report.providers++;
    }
    const bytes = Buffer.from(shiftEmbargo(readDemoFeed(demo).toString('utf8'), embargo), 'utf8');
    const counts = await wires.ingest(provider, bytes, demo.contentType);
    report.stored += counts.stored;
    report.updated += counts.updated;
  }
  return report;
}
