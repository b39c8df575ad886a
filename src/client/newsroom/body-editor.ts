/**
 * The newsroom's rich-text body (see src/newsroom/views/body-editor.tsx),
 * shared by the story editor and the site's pages: TipTap on
 * `[data-editor-body]`, limited to what content/body.ts renders, with its
 * toolbar, the link and embed dialog and the media library (pick or upload an
 * image). `toBodyDoc(editor.getJSON())` is the body to save, the same
 * document for a story and a page.
 */
import type { Editor as TiptapEditor, JSONContent } from '@tiptap/core';
import { linkHrefOf } from '../../newsroom/views/editor-form.js';
import { api } from './api.js';

interface MediaItem {
  id: number;
  url: string;
  alt: string;
  caption: string | null;
  credit: string | null;
  variants: Array<{ url: string; width: number; type: string }>;
}

export interface ImageAttrs {
  src: string;
  alt: string;
  caption: string | null;
  credit: string | null;
}

export const $ = <T extends Element = HTMLElement>(selector: string, root: ParentNode = document): T | null => root.querySelector<T>(selector);

export interface BodyEditorOptions {
  /** The editing area (`[data-editor-body]`), its content replaced by the editor. */
  mount: HTMLElement;
  /** `[data-editor-toolbar]`, filled with the tools and shown. */
  toolbar: HTMLElement;
  body: JSONContent | undefined;
  editable: boolean;
  /** The id of the body's label. */
  labelId: string;
}

export interface BodyEditor {
  editor: TiptapEditor;
  /** The media library dialog, for other images than the body's (a story's hero). */
  openMedia(opts: { title: string; confirmLabel: string; initial?: ImageAttrs; onDone: (attrs: ImageAttrs) => void }): void;
  /** Brings the toolbar's pressed and disabled states up to date (after the editor became read-only, say). */
  updateToolbar(): void;
}

export async function mountBodyEditor(opts: BodyEditorOptions): Promise<BodyEditor> {
  const { mount, toolbar } = opts;
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

  const initialBody: JSONContent = opts.body?.content?.length ? opts.body : { type: 'doc', content: [{ type: 'paragraph' }] };
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
    editable: opts.editable,
    editorProps: {
      attributes: { class: 'editor__prose', 'aria-labelledby': opts.labelId, 'aria-multiline': 'true', role: 'textbox', spellcheck: 'true' },
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


  return { editor, openMedia, updateToolbar };
}
