/**
 * Finds the hashed client bundles Vite built, from its manifest, so pages can
 * link them. Without a build the site still works: unstyled and without scripts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../platform/paths.js';
import type { Assets } from './view-types.js';

/** Where `vite build` writes the client bundles (served at /assets/...). */
export const clientDir = path.join(projectRoot, 'dist/client');

/** The client entries, as Vite names them in the manifest. */
export const CLIENT_ENTRY = 'src/client/main.ts';
export const NEWSROOM_ENTRY = 'src/client/newsroom.ts';

interface ManifestChunk {
  file: string;
  css?: string[];
  imports?: string[];
  isEntry?: boolean;
}

type Manifest = Record<string, ManifestChunk>;

/** The public site's bundle, with the newsroom's beside it (`assets.newsroom`). */
export function loadAssets(dir: string = clientDir): Assets {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return { css: [], js: [] };
  }
  const site = bundleOf(manifest, CLIENT_ENTRY) ?? { css: [], js: [] };
  const newsroom = bundleOf(manifest, NEWSROOM_ENTRY);
  return newsroom ? { ...site, newsroom } : site;
}

function bundleOf(manifest: Manifest, name: string): { css: string[]; js: string[] } | null {
  const entry = manifest[name];
  if (!entry) return null;

  const url = (file: string) => '/' + file.replace(/^\/+/, '');
  const css = new Set<string>();
  const seen = new Set<string>();
  // CSS of the entry and of every chunk it imports statically.
  const collect = (chunk: ManifestChunk) => {
    for (const file of chunk.css ?? []) css.add(url(file));
    for (const key of chunk.imports ?? []) {
      if (seen.has(key)) continue;
      seen.add(key);
      const dep = manifest[key];
      if (dep) collect(dep);
    }
  };
  collect(entry);
  return { css: [...css], js: entry.file.endsWith('.js') ? [url(entry.file)] : [] };
}
