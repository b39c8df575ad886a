/**
 * The story editor in the browser (see src/newsroom/views/editor.tsx).
 *
 * On a page with `[data-story-editor]` it mounts the newsroom's rich-text
 * body (body-editor.ts: TipTap, limited to what content/body.ts renders, with
 * its toolbar); saves every field
 * and the body through the admin API (and autosaves drafts a few seconds
 * after a change); runs the workflow buttons against the API; and picks or
 * uploads images from the media library. The rich-text editor is loaded
 * only on that page, so the other newsroom screens stay light.
 */
import type { Editor as TiptapEditor, JSONContent } from '@tiptap/core';
import { api, type ApiResult } from './api.js';
import { $, mountBodyEditor, type ImageAttrs } from './body-editor.js';
import type { BodyDoc } from '../../content/body.js';
import { slugify } from '../../content/content.model.js';
import {
  linkHrefOf, saveProblems, storyInputOf, tagSlugsOf, toBodyDoc, type EditorFields, type TagOption,
} from '../../newsroom/views/editor-form.js';

/** Quiet time after the last change before a draft saves itself. */
const AUTOSAVE_MS = 3000;
/** Statuses in which the editor saves by itself (a live story is saved only on purpose). */
const AUTOSAVE_STATUSES = new Set(['new', 'draft', 'review']);

interface EditorData {
  body: JSONContent;
  tags: TagOption[];
  mayCreateTags: boolean;
}

interface SavedStory {
  article: { id: number; slug: string; headline: string; tags: TagOption[]; revision: number | null };
}

function clock(d = new Date()): string {
  return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** A Date as the value of a datetime-local control, in the browser's time zone. */
function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

async function start(root: HTMLElement): Promise<void> {
  const dataEl = document.getElementById('story-editor-data');
  const data = JSON.parse(dataEl?.textContent || '{}') as EditorData;
  const form = $<HTMLFormElement>('#story-form', root)!;
  const fieldset = $<HTMLFieldSetElement>('.editor__fieldset', root);
  const mount = $<HTMLElement>('[data-editor-body]', root)!;
  const toolbar = $<HTMLElement>('[data-editor-toolbar]', root)!;
  const knownTags = data.tags ?? [];

  let storyId = Number(root.dataset.storyId) || null;
  let status = root.dataset.status ?? 'new';
  let canEdit = root.dataset.canEdit !== 'false';
  let neverPublished = root.dataset.neverPublished !== 'false';
  let savedSlug: string | null = storyId ? root.dataset.savedSlug ?? null : null;
  /** The revision this page is based on: a save from an older one is refused rather than undoing a colleague's work. */
  let baseRevision: number | null = root.dataset.revision ? Number(root.dataset.revision) : null;
  /** Set when someone else saved meanwhile: autosave stops until the page is reloaded. */
  let conflicted = false;
  /** Only our own saves and moves advance it (never a re-read of the page, which may carry a colleague's save). */
  function setBaseRevision(revision: number | null | undefined) {
    if (!revision) return;
    baseRevision = revision;
    const hidden = document.querySelector<HTMLInputElement>('#story-form input[name="baseRevision"]');
    if (hidden) hidden.value = String(revision);
  }

  const field = <T extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(id: string) => document.getElementById(id) as T | null;
  const headlineEl = field<HTMLInputElement>('story-headline')!;
  const slugEl = field<HTMLInputElement>('story-slug')!;
  let savedHeadline: string | null = storyId ? headlineEl.value.trim() : null;
  // A slug that is not the headline's was set by hand: it no longer follows the headline.
  let slugByHand = !!slugEl.value && slugEl.value !== slugify(headlineEl.value);

  // --- messages ---------------------------------------------------------------------------

  const statusEl = () => document.getElementById('editor-status');
  const errorsEl = () => document.getElementById('editor-errors');
  const say = (text: string) => {
    const el = statusEl();
    if (el) el.textContent = text;
  };
  const showError = (text: string) => {
    const el = errorsEl();
    if (!el) return;
    el.textContent = text;
    el.hidden = false;
  };
  const clearError = () => {
    const el = errorsEl();
    if (!el) return;
    el.textContent = '';
    el.hidden = true;
  };

  // --- the body editor ---------------------------------------------------------------------

  const { editor, openMedia, updateToolbar } = await mountBodyEditor({ mount, toolbar, body: data.body, editable: canEdit, labelId: 'story-body-label' });

  // --- the other fields ---------------------------------------------------------------------

  function readFields(): EditorFields {
    const v = (id: string) => (document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null)?.value ?? '';
    const authors = document.getElementById('story-authors') as HTMLSelectElement | null;
    return {
      headline: v('story-headline'), standfirst: v('story-standfirst'), section: v('story-section'), tags: v('story-tags'),
      authors: authors ? [...authors.selectedOptions].map((o) => o.value) : [],
      credit: v('story-credit'), heroUrl: v('story-hero-url'), heroAlt: v('story-hero-alt'), heroCaption: v('story-hero-caption'),
      heroCredit: v('story-hero-credit'), slug: v('story-slug'), seoTitle: v('story-seo-title'), seoDescription: v('story-seo-description'),
      commentsMode: v('story-comments'), language: v('story-language'),
    };
  }

  /** The whole story as the API takes it; the slug only when set by hand or changed. */
  function inputOf(fields: EditorFields, body: BodyDoc) {
    const input = storyInputOf(fields, { knownTags, savedSlug, savedHeadline });
    if (slugByHand && fields.slug.trim()) input.slug = fields.slug.trim();
    input.body = body;
    return input;
  }
  function currentInput() {
    const fields = readFields();
    return { fields, input: inputOf(fields, toBodyDoc(editor.getJSON())) };
  }
  /** A request as a string to compare: the same fields give the same string, whatever their order. */
  const keyOf = (input: object) => JSON.stringify(Object.entries(input).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

  // The slug follows the headline until the story is first published, unless typed by hand.
  headlineEl.addEventListener('input', () => {
    if (neverPublished && !slugByHand) slugEl.value = slugify(headlineEl.value);
  });
  slugEl.addEventListener('input', () => {
    slugByHand = slugEl.value.trim() !== '' && slugEl.value !== slugify(headlineEl.value);
  });

  // Tags: the comma list stays the control; chips show what it holds, and a picker adds existing tags.
  const tagsEl = field<HTMLInputElement>('story-tags')!;
  const chips = $<HTMLElement>('[data-tag-chips]', root)!;
  const pick = $<HTMLSelectElement>('[data-tag-pick]', root)!;
  const tagNames = () => tagsEl.value.split(',').map((t) => t.trim()).filter(Boolean);
  function renderChips() {
    chips.replaceChildren();
    const names = tagNames();
    chips.hidden = names.length === 0;
    for (const name of names) {
      const [slug] = tagSlugsOf(name, knownTags);
      const known = knownTags.some((t) => t.slug === slug);
      const chip = document.createElement('span');
      chip.className = `editor__chip${known ? '' : ' editor__chip--new'}`;
      chip.textContent = name;
      if (!known) {
        const note = document.createElement('small');
        note.textContent = data.mayCreateTags ? ' (new)' : ' (unknown)';
        chip.append(note);
      }
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.setAttribute('aria-label', `Remove tag ${name}`);
      remove.disabled = !canEdit;
      remove.addEventListener('click', () => {
        tagsEl.value = tagNames().filter((n) => n !== name).join(', ');
        tagsEl.dispatchEvent(new Event('input', { bubbles: true }));
      });
      chip.append(remove);
      chips.append(chip);
    }
  }
  tagsEl.addEventListener('input', renderChips);
  pick.hidden = false;
  pick.addEventListener('change', () => {
    const name = pick.value;
    pick.value = '';
    if (!name) return;
    const names = tagNames();
    const [slug] = tagSlugsOf(name, knownTags);
    if (!names.some((n) => tagSlugsOf(n, knownTags)[0] === slug)) {
      tagsEl.value = [...names, name].join(', ');
      tagsEl.dispatchEvent(new Event('input', { bubbles: true }));
    }
  });
  renderChips();

  // Hero image: chosen from the library (or uploaded), or typed.
  const heroUrl = field<HTMLInputElement>('story-hero-url')!;
  const heroPreview = $<HTMLImageElement>('[data-hero-preview]', root)!;
  const showHero = () => {
    const url = heroUrl.value.trim();
    const usable = url && linkHrefOf(url) && !url.startsWith('mailto:');
    heroPreview.hidden = !usable;
    if (usable) heroPreview.src = url;
    else heroPreview.removeAttribute('src');
  };
  heroUrl.addEventListener('input', showHero);
  $<HTMLElement>('[data-hero-buttons]', root)!.hidden = false;
  const setHero = (attrs: ImageAttrs | null) => {
    field<HTMLInputElement>('story-hero-url')!.value = attrs?.src ?? '';
    field<HTMLTextAreaElement>('story-hero-alt')!.value = attrs?.alt ?? '';
    field<HTMLInputElement>('story-hero-caption')!.value = attrs?.caption ?? '';
    field<HTMLInputElement>('story-hero-credit')!.value = attrs?.credit ?? '';
    showHero();
    changed();
  };
  $<HTMLButtonElement>('[data-hero-choose]', root)!.addEventListener('click', () =>
    openMedia({ title: 'Choose the hero image', confirmLabel: 'Use as hero image', onDone: setHero }),
  );
  $<HTMLButtonElement>('[data-hero-remove]', root)!.addEventListener('click', () => setHero(null));

  // --- saving -------------------------------------------------------------------------------

  /** The request last saved (or loaded): the story has unsaved changes when the form's differs. */
  let savedKey = keyOf(currentInput().input);
  const isDirty = () => canEdit && keyOf(currentInput().input) !== savedKey;
  let inflight: Promise<boolean> = Promise.resolve(true);
  let autosaveTimer: number | undefined;
  let leaving = false;

  async function saveNow(reason: 'manual' | 'auto' | 'action'): Promise<boolean> {
    if (!canEdit) return true;
    const { fields, input } = currentInput();
    if (storyId && keyOf(input) === savedKey) {
      if (reason === 'manual') say(`No changes to save (saved ${clock()}).`);
      return true;
    }
    const problems = saveProblems(fields);
    if (problems.length) {
      if (reason !== 'auto') showError(`Not saved yet: ${problems.join(' ')}`);
      else say('Not saved yet: a new story needs a headline and a section.');
      return false;
    }
    say('Saving…');
    const res = storyId
      ? await api<SavedStory>('PATCH', `/api/admin/articles/${storyId}`, baseRevision !== null ? { ...input, baseRevision } : input)
      : await api<SavedStory>('POST', '/api/admin/articles', input);
    if (!res.ok) {
      if (res.code === 'edit_conflict') conflicted = true;
      say(conflicted ? 'Not saved: someone else saved this story meanwhile.' : reason === 'auto' ? 'Autosave failed.' : 'Not saved.');
      showError(res.message);
      return false;
    }
    clearError();
    const article = res.data.article;
    setBaseRevision(article.revision);
    const created = !storyId;
    storyId = article.id;
    savedSlug = article.slug;
    savedHeadline = article.headline;
    for (const t of article.tags) if (!knownTags.some((k) => k.slug === t.slug)) knownTags.push({ slug: t.slug, name: t.name });
    if (document.activeElement !== slugEl) slugEl.value = article.slug;
    // What was saved, as the form will read it from now on (the slug as the server made it).
    savedKey = keyOf(inputOf({ ...fields, slug: article.slug }, input.body as BodyDoc));
    renderChips();
    if (created) {
      history.replaceState(null, '', `/newsroom/stories/${article.id}`);
      form.action = `/newsroom/stories/${article.id}`;
      root.dataset.storyId = String(article.id);
      document.title = document.title.replace(/^New story/, 'Edit story');
      const h1 = document.querySelector('.nr-title');
      if (h1) h1.textContent = 'Edit story';
      // The page is now a story's editor, filed under Stories in the navigation (as the server renders it).
      document.querySelector('.nr-nav a[aria-current="page"]')?.removeAttribute('aria-current');
      document.querySelector('.nr-nav a[href="/newsroom"]')?.setAttribute('aria-current', 'page');
    }
    say(`Saved ${clock()}`);
    await refreshRegions();
    return true;
  }

  /** Saves run one after another, never two at once. */
  function save(reason: 'manual' | 'auto' | 'action'): Promise<boolean> {
    window.clearTimeout(autosaveTimer);
    inflight = inflight.then(() => saveNow(reason), () => saveNow(reason));
    return inflight;
  }

  function changed() {
    if (!canEdit) return;
    window.clearTimeout(autosaveTimer);
    if (!isDirty()) return;
    say('Unsaved changes');
    if (AUTOSAVE_STATUSES.has(status) && !conflicted) autosaveTimer = window.setTimeout(() => void save('auto'), AUTOSAVE_MS);
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);
  editor.on('update', changed);

  window.addEventListener('beforeunload', (e) => {
    if (leaving || !isDirty()) return;
    e.preventDefault();
    e.returnValue = '';
  });

  /** Re-reads the status, the buttons and the revisions from the server's page, keeping what is being typed there. */
  async function refreshRegions(): Promise<void> {
    if (!storyId) return;
    let html: string;
    try {
      const res = await fetch(`/newsroom/stories/${storyId}`, { credentials: 'same-origin', headers: { accept: 'text/html' } });
      if (!res.ok) return;
      html = await res.text();
    } catch {
      return;
    }
    const fresh = new DOMParser().parseFromString(html, 'text/html');
    const freshRoot = fresh.querySelector<HTMLElement>('[data-story-editor]');
    const oldStatus = status;
    if (freshRoot) {
      status = freshRoot.dataset.status ?? status;
      neverPublished = freshRoot.dataset.neverPublished !== 'false';
      root.dataset.status = status;
      root.dataset.neverPublished = String(neverPublished);
      const editable = freshRoot.dataset.canEdit !== 'false';
      if (editable !== canEdit) {
        canEdit = editable;
        root.dataset.canEdit = String(editable);
        editor.setEditable(editable);
        if (fieldset) fieldset.disabled = !editable;
      }
    }
    const keep = status === oldStatus
      ? { at: field<HTMLInputElement>('story-schedule-at')?.value, note: field<HTMLTextAreaElement>('story-correction')?.value }
      : {};
    for (const id of ['editor-state', 'editor-actions', 'editor-revisions']) {
      const next = fresh.getElementById(id);
      const old = document.getElementById(id);
      if (!next) {
        old?.remove();
        continue;
      }
      const node = document.importNode(next, true);
      if (old) old.replaceWith(node);
      else if (id === 'editor-revisions') form.after(node);
    }
    if (keep.at) field<HTMLInputElement>('story-schedule-at')!.value = keep.at;
    if (keep.note && field<HTMLTextAreaElement>('story-correction')) field<HTMLTextAreaElement>('story-correction')!.value = keep.note;
    localizeSchedule();
    updateToolbar();
  }

  /** The schedule control in the browser's own time zone, and saying which one. */
  function localizeSchedule() {
    const input = field<HTMLInputElement>('story-schedule-at');
    if (!input || input.dataset.localized) return;
    input.dataset.localized = 'true';
    if (input.dataset.utc) input.value = localInputValue(new Date(input.dataset.utc));
    input.min = localInputValue(new Date());
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'your time zone';
    const tz = $<HTMLElement>('[data-schedule-tz]', root);
    if (tz) tz.textContent = `Time zone: ${zone} (your browser's).`;
  }
  localizeSchedule();

  // --- the workflow buttons -----------------------------------------------------------------

  type StoryMove = 'submit' | 'publish' | 'schedule' | 'unpublish' | 'correction' | 'correction-edit';
  const DONE: Record<StoryMove, string> = {
    submit: 'Submitted for review',
    publish: 'Published',
    schedule: 'Scheduled',
    unpublish: 'Unpublished',
    correction: 'Correction added',
    'correction-edit': 'Correction wording fixed',
  };

  async function move(intent: StoryMove, submitter?: HTMLButtonElement | null): Promise<void> {
    const base = `/api/admin/articles/${storyId}`;
    let res: ApiResult<unknown>;
    if (intent === 'schedule') {
      const value = field<HTMLInputElement>('story-schedule-at')?.value ?? '';
      const when = value ? new Date(value) : null;
      if (!when || Number.isNaN(when.getTime())) {
        showError('Choose the date and time to publish at.');
        field<HTMLInputElement>('story-schedule-at')?.focus();
        return;
      }
      if (!(await save('action'))) return;
      res = await api('POST', `${base}/publish`, { at: when.toISOString() });
    } else if (intent === 'correction') {
      const note = field<HTMLTextAreaElement>('story-correction')?.value.trim() ?? '';
      if (!note) {
        showError('Write the correction or update note first.');
        field<HTMLTextAreaElement>('story-correction')?.focus();
        return;
      }
      if (!(await save('action'))) return;
      const kind = field<HTMLSelectElement>('story-correction-kind')?.value || 'correction';
      res = await api('POST', `${base}/correction`, { kind, note });
      if (res.ok) field<HTMLTextAreaElement>('story-correction')!.value = '';
    } else if (intent === 'correction-edit') {
      // Only the note's wording changes: the story's fields are not saved by this button.
      const cid = submitter?.dataset.correctionId ?? '';
      const note = field<HTMLTextAreaElement>(`correction-${cid}`)?.value.trim() ?? '';
      if (!note) return showError('A correction cannot be emptied; fix its wording instead.');
      res = await api('PATCH', `${base}/corrections/${cid}`, { note });
    } else {
      if (intent === 'unpublish' && status === 'published' && !confirm('Take this story off the site? Readers will get "not found" until it is published again.')) return;
      if (!(await save('action'))) return;
      res = await api('POST', `${base}/${intent}`, intent === 'publish' ? {} : undefined);
    }
    if (!res.ok) {
      showError(res.message);
      say(`${DONE[intent]}: not done.`);
      return;
    }
    clearError();
    // A correction is saved as a revision: the next save starts from it.
    setBaseRevision((res.data as Partial<SavedStory> | null)?.article?.revision);
    say(`${DONE[intent]} ${clock()}`);
    await refreshRegions();
  }

  async function remove(): Promise<void> {
    if (!storyId || !confirm('Delete this story? This cannot be undone.')) return;
    const res = await api('DELETE', `/api/admin/articles/${storyId}`);
    if (!res.ok) return showError(res.message);
    leaving = true;
    location.assign('/newsroom?done=deleted');
  }

  let busy = false;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    const intent = submitter?.value || 'save';
    busy = true;
    submitter?.setAttribute('aria-busy', 'true');
    clearError();
    try {
      if (intent === 'save') await save('manual');
      else if (intent === 'delete') await remove();
      else if (storyId) await move(intent as StoryMove, submitter);
    } finally {
      busy = false;
      submitter?.removeAttribute('aria-busy');
    }
  });

  // Preview: save first, then open the reader's view in a new tab (opened at once, so no pop-up blocker objects).
  root.addEventListener('click', async (e) => {
    const link = (e.target as Element).closest<HTMLAnchorElement>('[data-editor-preview]');
    if (!link) return;
    e.preventDefault();
    const tab = window.open('', '_blank');
    const ok = await save('action');
    if (!ok) {
      tab?.close();
      return;
    }
    const url = `/newsroom/stories/${storyId}/preview`;
    if (tab) {
      tab.opener = null;
      tab.location.href = url;
    } else location.assign(url);
  });

  // Restoring a revision replaces what is in the editor: confirm, then load the story again.
  root.addEventListener('submit', async (e) => {
    const restoreForm = e.target as HTMLFormElement;
    if (!restoreForm.classList?.contains('editor__restore-form')) return;
    e.preventDefault();
    const rev = restoreForm.id.replace('restore-', '');
    const unsaved = isDirty() ? ' Your unsaved changes will be lost.' : '';
    if (!confirm(`Restore revision ${rev}? The current version stays in the history.${unsaved}`)) return;
    const res = await api('POST', `/api/admin/articles/${storyId}/revisions/${rev}/restore`);
    if (!res.ok) return showError(res.message);
    leaving = true;
    location.assign(`/newsroom/stories/${storyId}?done=restored`);
  });

  root.dataset.editorReady = 'true';
  (window as unknown as { storyEditor?: TiptapEditor }).storyEditor = editor;
}

function boot() {
  const root = document.querySelector<HTMLElement>('[data-story-editor]');
  if (!root || root.dataset.editorReady) return;
  start(root).catch((err: unknown) => {
    const el = document.getElementById('editor-errors');
    if (el) {
      el.textContent = 'The body editor could not start. Reload the page; the other fields still save.';
      el.hidden = false;
    }
    console.error(err);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
