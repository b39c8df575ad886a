/**
 * The editor of the site's pages (see src/newsroom/site-pages.routes.tsx): the
 * story editor's rich-text body (body-editor.ts) on `[data-site-page-editor]`.
 * The form still posts as it does without JavaScript; this adds the body, as
 * the document a story's body is, when it is sent, and warns before leaving
 * with changes not saved.
 */
import type { JSONContent } from '@tiptap/core';
import { toBodyDoc } from '../../newsroom/views/editor-form.js';
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

  form.addEventListener('submit', () => {
    sending = true;
    form.querySelector('input[name="body"]')?.remove();
    const body = document.createElement('input');
    body.type = 'hidden';
    body.name = 'body';
    body.value = bodyJson();
    form.append(body);
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
