import { defineConfig } from 'vite';

// Builds only the browser bundle (src/client/main.ts and the CSS it imports).
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
      input: 'src/client/main.ts',
    },
  },
});
