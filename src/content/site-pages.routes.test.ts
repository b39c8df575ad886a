/**
 * The pages an organisation needs: served at fixed addresses with a default
 * text, linked from every footer, in the sitemap; admins edit them in the
 * newsroom and through the API, and readers see the change at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/helpers/app.js';
import { buildSection } from '../../test/helpers/factories.js';
import { buildStaff, type SignedIn } from '../../test/helpers/accounts.js';

let t: TestApp;
let staff: Record<'contributor' | 'editor' | 'admin' | 'reader', SignedIn>;
const PAGES = ['/about', '/contact', '/corrections-policy', '/privacy', '/terms'];

beforeAll(async () => {
  t = await startTestApp({ seed: async ({ db: { kysely: db } }) => void (await buildSection(db, { slug: 'africa', name: 'Africa' })) });
  staff = await buildStaff(t.db.kysely, { contributor: 'contributor', editor: 'editor', admin: 'admin', reader: 'reader' });
});
afterAll(async () => t?.close());

describe('the organisation\'s pages', () => {
  it('answer at their addresses with a default text, cached like every page, and are linked from the footer', async () => {
    for (const path of PAGES) {
      const page = await t.page(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('cache-control')).toMatch(/public/);
      expect(page.html).toContain('<h1 class="page-header__title">');
    }
    expect((await t.page('/corrections-policy')).html).toContain('never delete one');
    const footer = (await t.page('/africa')).html.split('<footer')[1]!;
    for (const path of [...PAGES, '/corrections']) expect(footer).toContain(`href="${path}"`);
  });

  it('are listed in the sitemap', async () => {
    const xml = await (await t.get('/sitemaps/sections-1.xml')).text();
    for (const path of PAGES) expect(xml).toContain(`<loc>${t.url}${path}</loc>`);
  });

  it('are edited by an admin in the newsroom; readers see the change at once', async () => {
    expect((await t.page('/about')).html).not.toContain('Founded in 1911'); // cached now
    const screen = await t.page('/newsroom/pages/about', staff.admin);
    expect(screen.status).toBe(200);
    expect(screen.html).toContain('name="markdown"');
    const saved = await t.request('POST', '/newsroom/pages/about', {
      as: staff.admin, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' },
      form: { title: 'About us', summary: 'Our story.', markdown: 'Founded in 1911 by **printers**.\n\n## Today\n\nStill here.' },
    });
    expect(saved.status).toBe(303);
    const about = await t.page('/about');
    expect(about.html).toContain('Founded in 1911 by <strong>printers</strong>.');
    expect(about.html).toContain('<h2>Today</h2>');
    const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('subject', '=', 'page:about').execute();
    expect(audit.map((a) => a.action)).toEqual(['page.update']);
    // The form shows what was written.
    expect((await t.page('/newsroom/pages/about', staff.admin)).html).toContain('Founded in 1911 by **printers**.');

    const api = await t.api<{ page: { title: string; updatedAt: string } }>('PUT', '/api/admin/pages/terms', { as: staff.admin, body: { title: 'Terms', markdown: 'Be kind.' } });
    expect(api.status).toBe(200);
    expect((await t.page('/terms')).html).toContain('<p>Be kind.</p>');
    expect((await t.api('PUT', '/api/admin/pages/terms', { as: staff.admin, body: { title: 'Terms', markdown: '' } })).status).toBe(400);
    expect((await t.api('PUT', '/api/admin/pages/careers', { as: staff.admin, body: { title: 'Careers', markdown: 'x' } })).status).toBe(404);
  });

  it('cannot be edited by anyone but an admin', async () => {
    for (const who of [staff.editor, staff.contributor, staff.reader]) {
      expect((await t.api('PUT', '/api/admin/pages/privacy', { as: who, body: { title: 'Hacked', markdown: 'x' } })).status).toBe(403);
      const form = await t.request('POST', '/newsroom/pages/privacy', {
        as: who, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' }, form: { title: 'Hacked', markdown: 'x' },
      });
      expect(form.status).toBeGreaterThanOrEqual(300);
      expect(form.status).not.toBe(303);
    }
    expect((await t.api('PUT', '/api/admin/pages/privacy', { body: { title: 'Hacked', markdown: 'x' } })).status).toBe(401);
    expect((await t.page('/privacy')).html).not.toContain('Hacked');
  });
});
