// ESLint for Dispatch. Run from the repository root: `npm run lint`
// (eslint -c tools/lint/eslint.config.js --max-warnings 0 src test bench bin tools/lint).
//
// This lives in its own npm workspace (tools/lint) because typescript-eslint needs the
// TypeScript JavaScript API, which the root's TypeScript 7 (the native compiler) does not
// have; tools/lint gets TypeScript 6 for the parser, the root keeps 7 for tsc. The root
// package.json's `overrides` pins ts-api-utils' typescript peer to 6.0.3: without it npm
// hoists ts-api-utils to the root, where it would load TypeScript 7 and fail.
//
// Not type-aware on purpose: typescript-eslint's `recommended`, not
// `recommended-type-checked`, so the lint parses each file alone and stays fast. tsc
// (tsconfig.check.json) does the type checking.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import importBoundaries from './rules/import-boundaries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Server modules the browser bundles (src/client/) may import: pure code with no Node,
// database or server dependency. Anything else from outside src/client/ is an error
// (stylesheets are always fine).
const clientMayImport = [
  'src/web/relative-time.ts',
  'src/content/content.model.ts',
  'src/web/urls.ts',
  'src/content/body.ts',
  'src/newsroom/views/editor-form.ts',
  'src/newsroom/views/wire-labels.ts',
];

export default defineConfig([
  { ignores: ['dist/**', 'node_modules/**', 'tools/lint/node_modules/**', 'coverage/**'] },
  {
    files: ['**/*.{js,ts,tsx}'],
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // A name starting with _ is unused on purpose (a parameter an interface requires,
      // `for (const _ of text)`).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { dispatch: { rules: { 'import-boundaries': importBoundaries } } },
    rules: {
      'dispatch/import-boundaries': [
        'error',
        { root, clientMayImport, allow: [] },
      ],
    },
  },
]);
