/**
 * The story editor in the browser (see src/newsroom/views/editor.tsx).
 *
 * On a page with `[data-story-editor]` it mounts TipTap on `[data-editor-body]`
 * with a toolbar, limited to what content/body.ts renders; saves every field
 * and the body through the admin API (and autosaves drafts a few seconds
 * after a change); runs the workflow buttons against the API; and picks or
 * uploads images from the media library. The rich-text editor is loaded
 * only on that page, so the other newsroom screens stay light.
 */
import type { Editor as TiptapEditor, JSONContent } from '@tiptap/core';
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

interface MediaItem {
  id: number;
  url: string;
  alt: string;
  caption: string | null;
  credit: string | null;
  variants: Array<{ url: string; width: number; type: string }>;
}

interface ImageAttrs {
  src: string;
  alt: string;
  caption: string | null;
  credit: string | null;
}

interface SavedStory {
  article: { id: number; slug: string; headline: string; tags: TagOption[]; revision: number | null };
}

type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; message: string; code?: string };

const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null => root.querySelector<T>(selector);

async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    return { ok: false, status: 0, message: 'The newsroom could not be reached. Check your connection; nothing was lost here.' };
  }
  let data: unknown = null;
  try {
    data = res.status === 204 ? null : await res.json();
  } catch {
    /* not JSON */
  }
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const error = (data as { error?: { message?: string; code?: string } } | null)?.error;
  if (res.status === 401) return { ok: false, status: 401, message: 'You are signed out. Sign in again in another tab, then try again: your changes are still here.' };
  return { ok: false, status: res.status, message: error?.message ?? `The server answered ${res.status}.`, ...(error?.code ? { code: error.code } : {}) };
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

  const [{ Editor, Node }, { default: StarterKit }] = await Promise.all([import('@tiptap/core'), import('@tiptap/starter-kit')]);

  /** body.ts's image: a figure with alt text, caption and credit. */
  const Figure = Node.create({
    name: 'image',
    group: 'block',
    atom: true,
    draggable: true,
    selectable: true,
    addAttributes() {
      const plain = (name: string, fallback: string | null) => ({ default: fallback, parseHTML: (el: HTMLElement) => el.getAttribute(name), renderHTML: () => ({}) });
      return { src: plain('src', null), alt: { ...plain('alt', ''), default: '' }, caption: plain('caption', null), credit: plain('credit', null) };
    },
    parseHTML() {
      return [
        {
          tag: 'figure',
          getAttrs: (el: HTMLElement) => {
            const img = el.querySelector('img');
            if (!img?.getAttribute('src')) return false;
            const cap = el.querySelector('figcaption');
            const credit = cap?.querySelector('.credit')?.textContent?.trim() || null;
            const caption = cap ? [...cap.childNodes].filter((n) => !(n instanceof HTMLElement && n.classList.contains('credit'))).map((n) => n.textContent).join('').trim() || null : null;
            return { src: img.getAttribute('src'), alt: img.getAttribute('alt') ?? '', caption, credit };
          },
        },
        { tag: 'img[src]', getAttrs: (el: HTMLElement) => ({ src: el.getAttribute('src'), alt: el.getAttribute('alt') ?? '', caption: null, credit: null }) },
      ];
    },
    renderHTML({ node }) {
      const { src, alt, caption, credit } = node.attrs as ImageAttrs;
      const figcaption = caption || credit ? [['figcaption', {}, caption ?? '', ...(credit ? [['span', { class: 'credit' }, ` ${credit}`]] : [])]] : [];
      return ['figure', { class: 'body-figure' }, ['img', { src, alt }], ...figcaption];
    },
    addNodeView() {
      return ({ node: initial, getPos, editor }) => {
        let node = initial;
        const dom = document.createElement('figure');
        dom.className = 'body-figure editor-figure';
        dom.contentEditable = 'false';
        const img = document.createElement('img');
        const caption = document.createElement('figcaption');
        const warning = document.createElement('p');
        warning.className = 'editor-figure__warning';
        const edit = document.createElement('button');
        edit.type = 'button';
        edit.className = 'button button--small editor-figure__edit';
        edit.textContent = 'Edit image details';
        dom.append(img, caption, warning, edit);
        const render = () => {
          const a = node.attrs as ImageAttrs;
          img.src = a.src;
          img.alt = a.alt;
          caption.textContent = [a.caption, a.credit].filter(Boolean).join(' — ');
          caption.hidden = !caption.textContent;
          warning.textContent = a.alt.trim() ? '' : 'No alt text yet: required before publishing.';
          warning.hidden = !warning.textContent;
          edit.setAttribute('aria-label', `Edit image details${a.alt ? `: ${a.alt}` : ''}`);
        };
        render();
        edit.addEventListener('click', () => {
          if (!editor.isEditable) return;
          openMedia({
            title: 'Image details',
            confirmLabel: 'Update image',
            initial: node.attrs as ImageAttrs,
            onDone: (attrs) => {
              const pos = typeof getPos === 'function' ? getPos() : undefined;
              if (typeof pos !== 'number') return;
              editor.chain().focus().command(({ tr }) => {
                tr.setNodeMarkup(pos, undefined, attrs);
                return true;
              }).run();
            },
          });
        });
        return {
          dom,
          update: (updated) => {
            if (updated.type.name !== 'image') return false;
            node = updated;
            render();
            return true;
          },
          stopEvent: (event) => event.target === edit,
          ignoreMutation: () => true,
        };
      };
    },
  });

  const initialBody: JSONContent = data.body?.content?.length ? data.body : { type: 'doc', content: [{ type: 'paragraph' }] };
  mount.replaceChildren();
  const editor: TiptapEditor = new Editor({
    element: mount,
    // The site's Content-Security-Policy allows no inline styles; editor.css has what TipTap would inject.
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        // Not in the article model (content/body.ts): left out, so they cannot be typed or pasted.
        codeBlock: false,
        strike: false,
        underline: false,
        link: {
          openOnClick: false,
          // Without autolink the link mark is not inclusive: typing after a link does not extend it.
          // A pasted URL still becomes a link (linkOnPaste), and the Link button makes one from a selection.
          autolink: false,
          linkOnPaste: true,
          defaultProtocol: 'https',
          HTMLAttributes: { target: null, rel: 'noopener', class: null },
          isAllowedUri: (url) => linkHrefOf(url) !== null,
        },
      }),
      Figure,
    ],
    content: initialBody,
    editable: canEdit,
    editorProps: {
      attributes: { class: 'editor__prose', 'aria-labelledby': 'story-body-label', 'aria-multiline': 'true', role: 'textbox', spellcheck: 'true' },
    },
  });

  // --- the toolbar --------------------------------------------------------------------------

  type Chain = ReturnType<TiptapEditor['chain']>;
  interface Tool {
    label: string;
    text: string;
    run: () => void;
    active?: () => boolean;
    enabled?: () => boolean;
  }
  const chain = (f: (c: Chain) => Chain) => () => {
    f(editor.chain().focus()).run();
  };
  const after = () => {
    const { $from } = editor.state.selection;
    return $from.depth > 0 ? $from.after(1) : editor.state.selection.to;
  };
  const groups: Tool[][] = [
    [
      { label: 'Paragraph', text: '¶', run: chain((c) => c.setParagraph()), active: () => editor.isActive('paragraph') },
      { label: 'Heading 2', text: 'H2', run: chain((c) => c.toggleHeading({ level: 2 })), active: () => editor.isActive('heading', { level: 2 }) },
      { label: 'Heading 3', text: 'H3', run: chain((c) => c.toggleHeading({ level: 3 })), active: () => editor.isActive('heading', { level: 3 }) },
    ],
    [
      { label: 'Bold', text: 'B', run: chain((c) => c.toggleBold()), active: () => editor.isActive('bold') },
      { label: 'Italic', text: 'I', run: chain((c) => c.toggleItalic()), active: () => editor.isActive('italic') },
      { label: 'Link', text: 'Link', run: () => openLink(), active: () => editor.isActive('link') },
    ],
    [
      { label: 'Quote', text: '“ ”', run: chain((c) => c.toggleBlockquote()), active: () => editor.isActive('blockquote') },
      { label: 'Bulleted list', text: '• List', run: chain((c) => c.toggleBulletList()), active: () => editor.isActive('bulletList') },
      { label: 'Numbered list', text: '1. List', run: chain((c) => c.toggleOrderedList()), active: () => editor.isActive('orderedList') },
    ],
    [
      {
        label: 'Insert image',
        text: 'Image',
        run: () => openMedia({ title: 'Insert an image', confirmLabel: 'Insert image', onDone: (attrs) => editor.chain().focus().insertContentAt(after(), { type: 'image', attrs }).run() }),
      },
      { label: 'Horizontal rule', text: '―', run: chain((c) => c.setHorizontalRule()) },
      { label: 'Embed a URL', text: 'Embed', run: () => openEmbed() },
    ],
    [
      { label: 'Undo', text: '↶', run: chain((c) => c.undo()), enabled: () => editor.can().undo() },
      { label: 'Redo', text: '↷', run: chain((c) => c.redo()), enabled: () => editor.can().redo() },
    ],
  ];
  const toolButtons: Array<{ tool: Tool; button: HTMLButtonElement }> = [];
  for (const group of groups) {
    const g = document.createElement('div');
    g.className = 'editor__toolgroup';
    g.setAttribute('role', 'group');
    for (const tool of group) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'editor__tool';
      b.textContent = tool.text;
      // The name starts with what the button shows ("H2: Heading 2"), so people who see it can say it to their speech input.
      const shown = tool.text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      b.setAttribute('aria-label', !shown || tool.label.toLowerCase().includes(shown.toLowerCase()) ? tool.label : `${shown}: ${tool.label}`);
      b.title = tool.label;
      b.tabIndex = toolButtons.length === 0 ? 0 : -1;
      if (tool.active) b.setAttribute('aria-pressed', 'false');
      // Keep the text selection in the editor when a tool is clicked.
      b.addEventListener('mousedown', (e) => e.preventDefault());
      b.addEventListener('click', () => {
        if (editor.isEditable) tool.run();
      });
      g.append(b);
      toolButtons.push({ tool, button: b });
    }
    toolbar.append(g);
  }
  // One tab stop for the toolbar; the arrow keys move along it (the ARIA toolbar pattern).
  toolbar.addEventListener('keydown', (e) => {
    const i = toolButtons.findIndex((t) => t.button === document.activeElement);
    if (i < 0) return;
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? toolButtons.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = toolButtons[(to + toolButtons.length) % toolButtons.length]!.button;
    for (const t of toolButtons) t.button.tabIndex = t.button === next ? 0 : -1;
    next.focus();
  });
  const updateToolbar = () => {
    for (const { tool, button } of toolButtons) {
      if (tool.active) button.setAttribute('aria-pressed', String(tool.active()));
      button.disabled = !editor.isEditable || (tool.enabled ? !tool.enabled() : false);
    }
  };
  toolbar.hidden = false;
  editor.on('transaction', updateToolbar);
  updateToolbar();
  editor.view.dom.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
      e.preventDefault();
      openLink();
    }
  });

  // --- the link and embed dialog ------------------------------------------------------------

  const urlDialog = document.getElementById('url-dialog') as HTMLDialogElement;
  const urlInput = document.getElementById('url-dialog-input') as HTMLInputElement;
  const urlError = document.getElementById('url-dialog-error')!;
  const urlOk = document.getElementById('url-dialog-ok') as HTMLButtonElement;
  const urlRemove = document.getElementById('url-dialog-remove') as HTMLButtonElement;
  let urlDone: ((href: string | null) => void) | null = null;

  function openUrl(opts: { title: string; okLabel: string; initial: string; removable: boolean; onDone: (href: string | null) => void }) {
    document.getElementById('url-dialog-title')!.textContent = opts.title;
    urlOk.textContent = opts.okLabel;
    urlRemove.hidden = !opts.removable;
    urlInput.value = opts.initial;
    urlError.textContent = '';
    urlInput.removeAttribute('aria-invalid');
    urlDone = opts.onDone;
    urlDialog.showModal();
    urlInput.select();
  }
  document.getElementById('url-dialog-form')!.addEventListener('submit', (e) => {
    e.preventDefault();
    const href = linkHrefOf(urlInput.value);
    if (!href) {
      urlError.textContent = urlInput.value.trim()
        ? 'That address cannot be used. Use a web address (https://…), an email address (mailto:…) or a path on this site (/…).'
        : 'Type the address first.';
      urlInput.setAttribute('aria-invalid', 'true');
      urlInput.focus();
      return;
    }
    urlDialog.close();
    urlDone?.(href);
  });
  urlRemove.addEventListener('click', () => {
    urlDialog.close();
    urlDone?.(null);
  });
  document.getElementById('url-dialog-cancel')!.addEventListener('click', () => urlDialog.close());
  urlDialog.addEventListener('close', () => editor.commands.focus());

  function openLink() {
    const current = editor.getAttributes('link').href as string | undefined;
    openUrl({
      title: current ? 'Edit link' : 'Add a link',
      okLabel: 'Apply',
      initial: current ?? '',
      removable: !!current,
      onDone: (href) => {
        const c = editor.chain().focus().extendMarkRange('link');
        if (href === null) return void c.unsetLink().run();
        if (editor.state.selection.empty && !current) {
          c.insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }).run();
        } else c.setLink({ href }).run();
      },
    });
  }

  function openEmbed() {
    openUrl({
      title: 'Embed a URL',
      okLabel: 'Embed',
      initial: '',
      removable: false,
      // The article model has no embeds: the address goes in as a paragraph of its own, linked.
      onDone: (href) => {
        if (!href) return;
        editor.chain().focus().insertContentAt(after(), { type: 'paragraph', content: [{ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] }] }).run();
      },
    });
  }

  // --- the media library dialog ---------------------------------------------------------------

  const media = {
    dialog: document.getElementById('media-dialog') as HTMLDialogElement,
    title: document.getElementById('media-dialog-title')!,
    pick: $<HTMLElement>('[data-media-step="pick"]')!,
    details: $<HTMLElement>('[data-media-step="details"]')!,
    search: document.getElementById('media-search') as HTMLInputElement,
    results: document.getElementById('media-results')!,
    more: document.getElementById('media-more') as HTMLButtonElement,
    upload: document.getElementById('media-upload') as HTMLInputElement,
    preview: document.getElementById('media-preview') as HTMLImageElement,
    alt: document.getElementById('media-alt') as HTMLTextAreaElement,
    caption: document.getElementById('media-caption') as HTMLInputElement,
    credit: document.getElementById('media-credit') as HTMLInputElement,
    message: document.getElementById('media-message')!,
    back: document.getElementById('media-back') as HTMLButtonElement,
    confirm: document.getElementById('media-confirm') as HTMLButtonElement,
    cancel: document.getElementById('media-cancel') as HTMLButtonElement,
  };
  let mediaPage = 1;
  let mediaChosen: { item: MediaItem | null; src: string } | null = null;
  let mediaDone: ((attrs: ImageAttrs) => void) | null = null;
  let searchTimer: number | undefined;

  function mediaStep(step: 'pick' | 'details') {
    media.pick.hidden = step !== 'pick';
    media.details.hidden = step !== 'details';
    media.confirm.hidden = step !== 'details';
    media.back.hidden = step !== 'details';
  }

  function thumbOf(item: MediaItem): string {
    const small = item.variants.filter((v) => v.type === 'image/webp').sort((a, b) => a.width - b.width)[0];
    return small?.url ?? item.url;
  }

  async function loadMedia(reset: boolean) {
    if (reset) {
      mediaPage = 1;
      media.results.replaceChildren();
    }
    media.message.textContent = 'Loading the library…';
    const q = media.search.value.trim();
    const res = await api<{ media: MediaItem[]; pagination: { page: number; totalPages: number } }>(
      'GET', `/api/admin/media?limit=24&page=${mediaPage}${q ? `&q=${encodeURIComponent(q)}` : ''}`,
    );
    if (!res.ok) {
      media.message.textContent = res.message;
      return;
    }
    for (const item of res.data.media) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'media-grid__item';
      b.setAttribute('aria-label', `Choose image: ${item.alt || 'no alt text yet'}`);
      const img = document.createElement('img');
      img.src = thumbOf(item);
      img.alt = '';
      img.loading = 'lazy';
      const label = document.createElement('span');
      label.textContent = item.alt || 'No alt text';
      b.append(img, label);
      b.addEventListener('click', () => chooseMedia(item));
      li.append(b);
      media.results.append(li);
    }
    const { page, totalPages } = res.data.pagination;
    media.more.hidden = page >= totalPages;
    media.message.textContent = media.results.children.length ? '' : q ? 'No image matches.' : 'The library is empty: upload an image.';
  }

  function chooseMedia(item: MediaItem) {
    mediaChosen = { item, src: item.url };
    media.preview.src = item.url;
    media.alt.value = item.alt;
    media.caption.value = item.caption ?? '';
    media.credit.value = item.credit ?? '';
    media.message.textContent = '';
    mediaStep('details');
    media.alt.focus();
  }

  function openMedia(opts: { title: string; confirmLabel: string; initial?: ImageAttrs; onDone: (attrs: ImageAttrs) => void }) {
    media.title.textContent = opts.title;
    media.confirm.textContent = opts.confirmLabel;
    media.message.textContent = '';
    media.upload.value = '';
    mediaDone = opts.onDone;
    if (opts.initial) {
      mediaChosen = { item: null, src: opts.initial.src };
      media.preview.src = opts.initial.src;
      media.alt.value = opts.initial.alt;
      media.caption.value = opts.initial.caption ?? '';
      media.credit.value = opts.initial.credit ?? '';
      mediaStep('details');
      media.back.textContent = 'Choose another image';
      media.dialog.showModal();
      media.alt.focus();
      return;
    }
    mediaChosen = null;
    media.back.textContent = 'Back to the library';
    mediaStep('pick');
    media.dialog.showModal();
    media.search.focus();
    void loadMedia(true);
  }

  media.search.addEventListener('input', () => {
    window.clearTimeout(searchTimer);
    searchTimer = window.setTimeout(() => void loadMedia(true), 300);
  });
  media.search.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') e.preventDefault();
  });
  media.more.addEventListener('click', () => {
    mediaPage++;
    void loadMedia(false);
  });
  media.upload.addEventListener('change', async () => {
    const file = media.upload.files?.[0];
    if (!file) return;
    const body = new FormData();
    body.append('file', file);
    media.message.textContent = `Uploading ${file.name}…`;
    const res = await api<{ media: MediaItem }>('POST', '/api/admin/media', body);
    media.upload.value = '';
    if (!res.ok) {
      media.message.textContent = `Not uploaded: ${res.message}`;
      return;
    }
    chooseMedia(res.data.media);
    media.message.textContent = 'Uploaded. Now describe the image.';
  });
  media.back.addEventListener('click', () => {
    mediaStep('pick');
    void loadMedia(true);
  });
  media.cancel.addEventListener('click', () => media.dialog.close());
  media.confirm.addEventListener('click', async () => {
    if (!mediaChosen) return;
    const attrs: ImageAttrs = {
      src: mediaChosen.src,
      alt: media.alt.value.trim(),
      caption: media.caption.value.trim() || null,
      credit: media.credit.value.trim() || null,
    };
    if (!attrs.alt) {
      media.message.textContent = 'Write the alt text: what the image shows, for readers who cannot see it.';
      media.alt.focus();
      return;
    }
    const item = mediaChosen.item;
    // Keep the library's own description in step when it had none (best effort: it may be someone else's upload).
    if (item && (!item.alt || (!item.caption && attrs.caption) || (!item.credit && attrs.credit))) {
      void api('PATCH', `/api/admin/media/${item.id}`, { alt: item.alt || attrs.alt, caption: item.caption ?? attrs.caption, credit: item.credit ?? attrs.credit });
    }
    media.dialog.close();
    mediaDone?.(attrs);
  });

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
