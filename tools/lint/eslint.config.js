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

import fs from 'node:fs';
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
  'src/content/model.ts',
  'src/content/body.ts',
  'src/newsroom/views/editor-form.ts',
];

// TEMPORARY: the boundary violations in today's tree. The stores are being moved out of
// src/newsroom/ into the domains that own them; delete each entry as its import goes
// away (the rule reports an entry whose import is gone). Add nothing here: fix the import.
// [file, the import it may still make]
const knownViolations = [
  // route-imports-store: route files that read a store; go through the service.
  ['src/accounts/accounts.routes.tsx', 'src/accounts/user.store.ts'],
  ['src/accounts/accounts.routes.tsx', 'src/accounts/totp-store.ts'],
  ['src/accounts/accounts.routes.tsx', 'src/favorites/favorite.store.ts'],
  ['src/accounts/totp-routes.tsx', 'src/accounts/user.store.ts'],
  ['src/newsroom/newsroom.routes.ts', 'src/newsroom/story.store.ts'],
  ['src/newsroom/pages/stories.pages.tsx', 'src/newsroom/audit.store.ts'],
  ['src/newsroom/pages/taxonomy.pages.tsx', 'src/newsroom/breaking.store.ts'], // type only
  // cross-domain-store: another domain's store; call the content service.
  ['src/accounts/totp-service.ts', 'src/content/settings.store.ts'],
  ['src/comments/comment.service.ts', 'src/content/settings.store.ts'],
  // infra-imports-domain: web/ depending on the composition root or a domain.
  ['src/web/chrome.ts', 'src/app.ts'], // type only (AppDeps)
  ['src/web/components.tsx', 'src/content/model.ts'],
  ['src/web/layout.tsx', 'src/content/model.ts'],
  ['src/web/structured-data.ts', 'src/content/model.ts'], // type only
  ['src/web/view-types.ts', 'src/content/model.ts'], // type only
  ['src/web/view-types.ts', 'src/comments/comment.model.ts'], // type only
  // a test of content's views that lives in web/
  ['src/web/views.test.tsx', 'src/content/model.ts'],
  ['src/web/views.test.tsx', 'src/content/views/article.tsx'],
  ['src/web/views.test.tsx', 'src/content/views/author.tsx'],
  ['src/web/views.test.tsx', 'src/content/views/home.tsx'],
  ['src/web/views.test.tsx', 'src/content/views/section.tsx'],
  ['src/web/views.test.tsx', 'src/content/views/tag.tsx'],
];

// The rule reports an entry whose file no longer makes that import; an entry whose file
// or target is gone (moved, deleted) can't be reported by the rule, so fail here.
for (const [file, target] of knownViolations) {
  for (const p of [file, target]) {
    if (!fs.existsSync(path.join(root, p))) {
      throw new Error(`tools/lint/eslint.config.js: knownViolations has ${file} -> ${target}, but ${p} no longer exists: delete that entry.`);
    }
  }
}

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
        { root, clientMayImport, allow: knownViolations.map(([file, target]) => ({ file, import: target })) },
      ],
    },
  },
]);
