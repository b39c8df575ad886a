import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** What is worth compressing: text. Images other than SVG and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:css|js|mjs|map|svg|json|html|txt|xml)$/;

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside every compressible
 * file of the build, at the highest settings (once, at build time), so the
 * server sends the copy a client accepts with no compression per request
 * (@fastify/static `preCompressed` in src/app.ts).
 */
export function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'dispatch:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue;
        const file = path.join(outDir, fileName);
        const raw = fs.readFileSync(file);
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(raw, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
              [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
            },
          }),
        );
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: zlib.constants.Z_BEST_COMPRESSION }));
      }
    },
  };
}

// Builds the browser bundles: src/client/main.ts for the public site, and
// src/client/newsroom.ts (the editor and the staff screens) for /newsroom only,
// so readers never download the rich-text editor.
// The server links the hashed files from dist/client/.vite/manifest.json.
export default defineConfig({
  base: '/',
  publicDir: false,
  plugins: [precompress()],
  build: {
    outDir: 'dist/client',
    emptyOutDir: true,
    manifest: true,
    assetsDir: 'assets',
    target: 'es2020',
    rolldownOptions: {
      input: ['src/client/main.ts', 'src/client/newsroom.ts'],
    },
  },
});
