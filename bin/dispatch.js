#!/usr/bin/env node
// The `dispatch` command. Runs the compiled code in dist/ (made by `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('dispatch: dist/ is missing; run "npm run build" first.');
  process.exit(1);
}
const { run } = await import(entry.href);
run();
