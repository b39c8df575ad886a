/**
 * The demo edition's wire providers: three fictional agencies, one per
 * format, fed from the sample files beside this module (written for
 * Dispatch; every event, person and agency in them is made up). Together
 * they show the desk what it must handle: one event (the Kestrel Bay wind
 * farm) covered by two agencies, an embargoed item, a correction and a kill.
 *
 * The files are read from the source tree (they are data, not code, and the
 * build does not copy them to dist/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../platform/paths.js';
import type { WireFormat } from '../wire.model.js';

export interface DemoProvider {
  /** The provider's slug (its folder name and push path later on). */
  slug: string;
  name: string;
  /** The credit a story made from its copy carries. */
  credit: string;
  format: WireFormat;
  contentType: string;
  /** The sample file, relative to this folder. */
  file: string;
}

export const DEMO_WIRES_DIR = path.join(projectRoot, 'src', 'wires', 'demo');

export const DEMO_PROVIDERS: readonly DemoProvider[] = [
  {
    slug: 'meridian-press',
    name: 'Meridian Press',
    credit: 'Meridian Press',
    format: 'ninjs',
    contentType: 'application/ninjs+json',
    file: 'meridian-press.ninjs.json',
  },
  {
    slug: 'atlas-wire',
    name: 'Atlas Wire',
    credit: 'Atlas Wire',
    format: 'newsml-g2',
    contentType: 'application/vnd.iptc.g2.newsmessage+xml',
    file: 'atlas-wire.newsml.xml',
  },
  {
    slug: 'northwind',
    name: 'Northwind News Agency',
    credit: 'Northwind',
    format: 'rss',
    contentType: 'application/rss+xml',
    file: 'northwind.rss.xml',
  },
];

/** The bytes of a demo provider's sample file. */
export function readDemoFeed(provider: DemoProvider): Buffer {
  return fs.readFileSync(path.join(DEMO_WIRES_DIR, provider.file));
}
