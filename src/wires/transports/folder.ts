/**
 * The watched folder: documents dropped into
 * `DISPATCH_DATA/wires/<provider>/incoming` are read in name order; each is
 * moved to `done/` once its items are committed, or to `failed/` when the
 * whole document could not be read (it is in the quarantine too). A file is
 * moved only after its items are stored, so a process killed half-way reads
 * it again on restart, and exactly-once storage makes that harmless.
 *
 * Files still being written should be dropped under a name starting with "."
 * or ending in ".tmp"/".part" and renamed when complete; those are skipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WireProviderRow, WireService } from '../wire.service.js';
import type { PollResult } from './http.js';

export function wireFolder(dataDir: string, provider: string): { incoming: string; done: string; failed: string } {
  const root = path.join(dataDir, 'wires', provider);
  return { incoming: path.join(root, 'incoming'), done: path.join(root, 'done'), failed: path.join(root, 'failed') };
}

const CONTENT_TYPES: Record<string, string> = { '.json': 'application/json', '.xml': 'application/xml' };
const PARTIAL = /^\.|\.(tmp|part)$/i;
/** Files taken per scan; the next scan takes the rest. */
const BATCH = 200;

function moveTo(dir: string, file: string): void {
  fs.mkdirSync(dir, { recursive: true });
  let target = path.join(dir, path.basename(file));
  // A file of the same name was done before: keep both.
  if (fs.existsSync(target)) target = path.join(dir, `${Date.now()}-${path.basename(file)}`);
  fs.renameSync(file, target);
}

export async function scanFolder(wires: WireService, provider: WireProviderRow, dataDir: string): Promise<PollResult> {
  const dirs = wireFolder(dataDir, provider.name);
  const result: PollResult = { provider: provider.name, ok: true, notModified: false, counts: { stored: 0, updated: 0, duplicates: 0, quarantined: 0 }, files: { done: 0, failed: 0 } };
  try {
    fs.mkdirSync(dirs.incoming, { recursive: true });
    const names = fs.readdirSync(dirs.incoming, { withFileTypes: true })
      .filter((e) => e.isFile() && !PARTIAL.test(e.name)).map((e) => e.name).sort().slice(0, BATCH);
    for (const name of names) {
      const file = path.join(dirs.incoming, name);
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process took it
        throw err;
      }
      const counts = await wires.ingest(provider, bytes, CONTENT_TYPES[path.extname(name).toLowerCase()] ?? null);
      for (const k of Object.keys(counts) as Array<keyof typeof counts>) result.counts[k] += counts[k];
      const unreadable = counts.quarantined > 0 && counts.stored + counts.updated + counts.duplicates === 0;
      try {
        moveTo(unreadable ? dirs.failed : dirs.done, file);
        result.files![unreadable ? 'failed' : 'done']++;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    await wires.recordPollSuccess(provider);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await wires.recordPollFailure(provider, 'folder', message);
    return { ...result, ok: false, error: { code: 'folder', message } };
  }
  return result;
}
