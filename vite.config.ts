import { defineConfig } from 'vite';

// Builds the browser bundles: src/client/main.ts for the public site, and
// src/client/newsroom.ts (the editor and the staff screens) for /newsroom only,
// so readers never download the rich-text editor.
// The server links the hashed files from dist/client/.vite/manifest.json.
export default defineConfig({
  base: '/',
  publicDir: false,
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
