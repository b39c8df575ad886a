// `npm run dev`: runs the TypeScript sources directly (no build step).
import { run } from '../src/main.js';
run();
