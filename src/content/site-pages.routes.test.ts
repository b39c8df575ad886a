/**
 * The pages an organisation needs: served at fixed addresses with a default
 * text, linked from every footer, in the sitemap; admins edit them in the
 * newsroom, in the story editor's rich-text body, and through the API; the
 * body is stored and rendered as a story's is, and readers see a change at once.
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

const postForm = (path: string, form: Record<string, string>) =>
  t.request('POST', path, { as: staff.admin, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' }, form });

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

  it('are edited by an admin in the newsroom, in the story editor\'s body; readers see the change at once', async () => {
    expect((await t.page('/about')).html).not.toContain('Founded in 1911'); // cached now
    const screen = await t.page('/newsroom/pages/about', staff.admin);
    expect(screen.status).toBe(200);
    // The stories' rich-text body: its toolbar and editing area, the body as readers see it until the script mounts, the dialogs.
    expect(screen.html).toContain('role="toolbar" aria-label="Body formatting" aria-controls="page-body" data-editor-toolbar');
    expect(screen.html).toMatch(/<div id="page-body" class="editor__body article-body" data-editor-body aria-labelledby="page-body-label"><div class="editor__static"><p>We are an independent newsroom\./);
    expect(screen.html).toContain('id="media-dialog"');
    expect(screen.html).toContain('id="url-dialog"');
    expect(screen.html).not.toContain('name="markdown"');
    // The editor's document the script starts from.
    const data = JSON.parse(screen.html.match(/<script type="application\/json" id="site-page-editor-data">([^<]*)<\/script>/)![1]!) as { body: { type: string; content: unknown[] } };
    expect(data.body.type).toBe('doc');
    expect(data.body.content[0]).toEqual({ type: 'paragraph', content: [{ type: 'text', text: expect.stringMatching(/^We are an independent newsroom\./) }] });

    const body = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Founded in 1911 by ' }, { type: 'text', text: 'printers', marks: [{ type: 'bold' }] }, { type: 'text', text: '.' }] },
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Today' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'See ' }, { type: 'text', text: 'our corrections', marks: [{ type: 'link', attrs: { href: '/corrections' } }] }, { type: 'text', text: '.' }] },
      ],
    };
    const saved = await postForm('/newsroom/pages/about', { title: 'About us', summary: 'Our story.', body: JSON.stringify(body) });
    expect(saved.status).toBe(303);
    const about = await t.page('/about');
    expect(about.html).toContain('Founded in 1911 by <strong>printers</strong>.');
    expect(about.html).toContain('<h2>Today</h2>');
    expect(about.html).toContain('<a href="/corrections">our corrections</a>');
    const audit = await t.db.kysely.selectFrom('audit_log').select('action').where('subject', '=', 'page:about').execute();
    expect(audit.map((a) => a.action)).toEqual(['page.update']);
    // Stored exactly as a story's body is: the editor's document, nothing else.
    const row = await t.db.kysely.selectFrom('site_pages').selectAll().where('slug', '=', 'about').executeTakeFirstOrThrow();
    expect(JSON.parse(row.body)).toEqual(body);
    expect(Object.keys(row).sort()).toEqual(['body', 'slug', 'summary', 'title', 'updated_at', 'updated_by']);
    // The editor opens on what was saved.
    const again = await t.page('/newsroom/pages/about', staff.admin);
    expect(again.html).toContain('<div class="editor__static"><p>Founded in 1911 by <strong>printers</strong>.</p><h2>Today</h2>');

    // Without JavaScript no body is sent: the title and summary save, the body stays.
    expect((await postForm('/newsroom/pages/about', { title: 'About The Dispatch', summary: 'Since 1911.' })).status).toBe(303);
    const plain = await t.page('/about');
    expect(plain.html).toContain('<h1 class="page-header__title">About The Dispatch</h1>');
    expect(plain.html).toContain('Founded in 1911 by <strong>printers</strong>.');
    expect(await t.db.kysely.selectFrom('audit_log').select('action').where('subject', '=', 'page:about').execute()).toHaveLength(2);
  });

  it('hold a page\'s body to a story body\'s rules: unsafe links, unknown nodes and an empty body are refused, and the form keeps what was typed', async () => {
    const script = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }] };
    const refused = await postForm('/newsroom/pages/contact', { title: 'Contact', body: JSON.stringify(script) });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toMatch(/role="alert">Invalid body: [^<]*a link must go to a path on this site/);
    expect(html).toContain('value="Contact"');
    expect((await postForm('/newsroom/pages/contact', { title: 'Contact', body: '{"type":"doc","content":[]}' })).status).toBe(400);
    expect((await postForm('/newsroom/pages/contact', { title: '   ', body: '{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Typed."}]}]}' })).status).toBe(400);
    const kept = await postForm('/newsroom/pages/contact', { title: '   ', body: '{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"Typed here."}]}]}' });
    expect(await kept.text()).toContain('<div class="editor__static"><p>Typed here.</p></div>');

    const bad = [
      { title: 'Contact', body: { type: 'doc', content: [{ type: 'script', content: [] }] } },
      { title: 'Contact', body: script },
      { title: 'Contact', body: { type: 'doc', content: [] } },
      { title: 'Contact', markdown: 'a', body: { type: 'doc', content: [{ type: 'paragraph' }] } },
      { title: 'Contact', markdown: '' },
    ];
    for (const b of bad) expect((await t.api('PUT', '/api/admin/pages/contact', { as: staff.admin, body: b })).status, JSON.stringify(b)).toBe(400);
    expect((await t.page('/contact')).html).toContain('write to the newsroom');
    expect(await t.db.kysely.selectFrom('site_pages').select('slug').where('slug', '=', 'contact').executeTakeFirst()).toBeUndefined();
  });

  it('are saved through the admin API with the body as stories send it: the editor\'s document, or Markdown', async () => {
    const doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Be ' }, { type: 'text', text: 'kind', marks: [{ type: 'italic' }] }, { type: 'text', text: '.' }] }] };
    const put = await t.api<{ page: { title: string; body: unknown; bodyHtml: string; updatedAt: string } }>('PUT', '/api/admin/pages/terms', { as: staff.admin, body: { title: 'Terms', body: doc } });
    expect(put.status).toBe(200);
    expect(put.body!.page.body).toEqual(doc);
    expect(put.body!.page.bodyHtml).toBe('<p>Be <em>kind</em>.</p>');
    expect((await t.page('/terms')).html).toContain('<p>Be <em>kind</em>.</p>');

    const md = await t.api<{ page: { body: unknown } }>('PUT', '/api/admin/pages/privacy', { as: staff.admin, body: { title: 'Privacy', markdown: 'We keep **little**.' } });
    expect(md.status).toBe(200);
    expect(md.body!.page.body).toEqual({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'We keep ' }, { type: 'text', text: 'little', marks: [{ type: 'bold' }] }, { type: 'text', text: '.' }] }] });
    // Neither keeps the body, as the form without JavaScript does.
    const title = await t.api<{ page: { title: string; bodyHtml: string } }>('PUT', '/api/admin/pages/privacy', { as: staff.admin, body: { title: 'Your privacy' } });
    expect(title.body!.page).toMatchObject({ title: 'Your privacy', bodyHtml: '<p>We keep <strong>little</strong>.</p>' });

    const list = await t.api<{ pages: Array<{ slug: string; body: { type: string } }> }>('GET', '/api/admin/pages', { as: staff.admin });
    expect(list.body!.pages.map((p) => [p.slug, p.body.type])).toEqual([['about', 'doc'], ['contact', 'doc'], ['corrections-policy', 'doc'], ['privacy', 'doc'], ['terms', 'doc']]);
    expect((await t.api('PUT', '/api/admin/pages/careers', { as: staff.admin, body: { title: 'Careers', markdown: 'x' } })).status).toBe(404);
  });

  it('cannot be edited by anyone but an admin', async () => {
    const hacked = JSON.stringify({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Hacked' }] }] });
    for (const who of [staff.editor, staff.contributor, staff.reader]) {
      expect((await t.api('PUT', '/api/admin/pages/privacy', { as: who, body: { title: 'Hacked', markdown: 'x' } })).status).toBe(403);
      const form = await t.request('POST', '/newsroom/pages/privacy', {
        as: who, headers: { origin: t.url, 'sec-fetch-site': 'same-origin' }, form: { title: 'Hacked', body: hacked },
      });
      expect(form.status).toBeGreaterThanOrEqual(300);
      expect(form.status).not.toBe(303);
    }
    expect((await t.api('PUT', '/api/admin/pages/privacy', { body: { title: 'Hacked', markdown: 'x' } })).status).toBe(401);
    expect((await t.page('/privacy')).html).not.toContain('Hacked');
  });
});
