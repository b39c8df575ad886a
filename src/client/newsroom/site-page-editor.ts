/**
 * The editor of the site's pages (see src/newsroom/site-pages.routes.tsx): the
 * story editor's rich-text body (body-editor.ts) on `[data-site-page-editor]`.
 * As the story editor does, it saves through the admin API
 * (PUT /api/admin/pages/:slug, JSON up to 1 MiB, where a form post stops at
 * 64 KiB), with the body as the document a story's body is, then shows the
 * page as saved; it warns before leaving with changes not saved. Without
 * JavaScript the form posts the title and summary and keeps the body.
 */
import type { JSONContent } from '@tiptap/core';
import { toBodyDoc } from '../../newsroom/views/editor-form.js';
import { api } from './api.js';
import { $, mountBodyEditor } from './body-editor.js';

async function start(root: HTMLElement): Promise<void> {
  const data = JSON.parse(document.getElementById('site-page-editor-data')?.textContent || '{}') as { body?: JSONContent };
  const form = $<HTMLFormElement>('#site-page-form', root)!;
  const { editor } = await mountBodyEditor({
    mount: $<HTMLElement>('[data-editor-body]', root)!,
    toolbar: $<HTMLElement>('[data-editor-toolbar]', root)!,
    body: data.body,
    editable: true,
    labelId: 'page-body-label',
  });

  const bodyJson = () => JSON.stringify(toBodyDoc(editor.getJSON()));
  const fieldsOf = () => [...new FormData(form).entries()].map(([k, v]) => `${k}=${String(v)}`).join('&');
  const saved = { body: bodyJson(), fields: fieldsOf() };
  let sending = false;
  const status = document.getElementById('page-editor-status');
  const changed = () => {
    if (status) status.textContent = bodyJson() !== saved.body || fieldsOf() !== saved.fields ? 'Unsaved changes' : '';
  };
  editor.on('update', changed);
  form.addEventListener('input', changed);

  const errors = document.getElementById('page-editor-errors');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (sending) return;
    sending = true;
    if (status) status.textContent = 'Saving…';
    const v = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null)?.value ?? '';
    const res = await api('PUT', `/api/admin/pages/${root.dataset.sitePageEditor}`, { title: v('title'), summary: v('summary'), body: JSON.parse(bodyJson()) as unknown });
    if (res.ok) return location.assign(`/newsroom/pages/${root.dataset.sitePageEditor}?done=saved`);
    sending = false;
    if (status) status.textContent = 'Not saved.';
    if (errors) {
      errors.textContent = res.message;
      errors.hidden = false;
    }
  });
  window.addEventListener('beforeunload', (e) => {
    if (sending || (bodyJson() === saved.body && fieldsOf() === saved.fields)) return;
    e.preventDefault();
    e.returnValue = '';
  });

  root.dataset.editorReady = 'true';
}

function boot() {
  const root = document.querySelector<HTMLElement>('[data-site-page-editor]');
  if (!root || root.dataset.editorReady) return;
  start(root).catch((err: unknown) => {
    const el = document.getElementById('page-editor-status');
    if (el) el.textContent = 'The body editor could not start. Reload the page; the title and summary still save.';
    console.error(err);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
