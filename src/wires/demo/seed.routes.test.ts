import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.js';
import { buildStaff, type SignedIn } from '../../../test/helpers/accounts.js';
import { seedDemoWires } from './seed.js';

let t: TestApp;
let editor: SignedIn;
beforeAll(async () => {
  t = await startTestApp();
  ({ editor } = await buildStaff(t.db.kysely, { editor: 'editor' }));
});
afterAll(async () => t?.close());

describe('the demo wire desk', () => {
  it('makes the three demo providers and fills the queue with an embargo in the future, a correction and a kill; loading again doubles nothing', async () => {
    const first = await seedDemoWires(t.app.deps.wires);
    expect(first.providers).toBe(3);
    expect(first.stored).toBeGreaterThan(5);
    const again = await seedDemoWires(t.app.deps.wires);
    expect(again).toEqual({ providers: 0, stored: 0, updated: 0 });

    const page = await t.page('/newsroom/wires', editor);
    expect(page.html).toContain('Meridian Press');
    expect(page.html).toContain('Atlas Wire');
    expect(page.html).toContain('Northwind');
    expect(page.html).toMatch(/Embargoed until \d\d:00 UTC/);
    expect(page.html).toContain('KILLED — do not use');
    expect(page.html).toContain('Correction');
  });
});
