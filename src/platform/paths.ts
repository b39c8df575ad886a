import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project root (where package.json is), whether running from src/ or dist/. */
export const projectRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
