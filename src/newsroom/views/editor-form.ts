/**
 * The story editor's form, as plain data: what its controls hold, and how
 * that becomes a request to the admin API. Shared by the server (the form
 * POST that works without JavaScript) and the browser (which sends the same
 * fields as JSON), so both read the form the same way. No I/O, no imports
 * that would weigh on the newsroom bundle.
 */
import { slugify } from '../../content/content.model.js';
import type { BodyDoc, BlockNode, InlineNode, ListItem, Mark } from '../../content/body.js';
import type { UpdateStoryBody } from '../newsroom.schemas.js';
import { isSitePath, safeUrl } from '../../web/urls.js';

/** The story's form controls, by name, as strings (the authors select is a list). */
export interface EditorFields {
  headline: string;
  standfirst: string;
  section: string;
  /** Tag names (or slugs), separated by commas. */
  tags: string;
  authors: string[];
  credit: string;
  heroUrl: string;
  heroAlt: string;
  heroCaption: string;
  heroCredit: string;
  slug: string;
  seoTitle: string;
  seoDescription: string;
  /** '' is the site's default. */
  commentsMode: string;
  language: string;
}

export const EMPTY_FIELDS: EditorFields = {
  headline: '', standfirst: '', section: '', tags: '', authors: [], credit: '', heroUrl: '', heroAlt: '', heroCaption: '', heroCredit: '',
  slug: '', seoTitle: '', seoDescription: '', commentsMode: '', language: 'en',
};

export interface TagOption {
  slug: string;
  name: string;
}

const COMMENTS_MODES = new Set(['open', 'closed', 'premoderated']);

/** The tags of a comma list as slugs: an existing tag by its name or slug, anything else as a new tag's slug. */
export function tagSlugsOf(list: string, known: readonly TagOption[]): string[] {
  const out: string[] = [];
  for (const raw of list.split(',')) {
    const text = raw.trim();
    if (!text) continue;
    const lower = text.toLowerCase();
    const hit = known.find((t) => t.name.toLowerCase() === lower || t.slug === lower);
    const slug = hit ? hit.slug : slugify(text);
    if (slug && !out.includes(slug)) out.push(slug);
  }
  return out;
}

/** Names for a list of tag slugs, as the comma list shows them. */
export function tagListOf(slugs: readonly string[], known: readonly TagOption[]): string {
  return slugs.map((s) => known.find((t) => t.slug === s)?.name ?? s).join(', ');
}

const orNull = (s: string): string | null => s.trim() || null;

/**
 * The admin API's request for the form: every field, and the slug only when
 * it was set by hand (changed from `savedSlug`, the slug as saved, or saved
 * unlike `savedHeadline`'s), so that otherwise it keeps following the
 * headline until the story is first published. Both are null for a new
 * story. The body is not a form field; the caller adds it.
 */
export function storyInputOf(f: EditorFields, ctx: { knownTags: readonly TagOption[]; savedSlug: string | null; savedHeadline: string | null }): UpdateStoryBody {
  const input: UpdateStoryBody = {
    headline: f.headline.trim(),
    standfirst: f.standfirst.trim(),
    tags: tagSlugsOf(f.tags, ctx.knownTags),
    authors: [...new Set(f.authors.filter(Boolean))],
    credit: orNull(f.credit),
    hero: f.heroUrl.trim()
      ? { url: f.heroUrl.trim(), alt: f.heroAlt.trim(), caption: orNull(f.heroCaption), credit: orNull(f.heroCredit) }
      : null,
    seoTitle: orNull(f.seoTitle),
    seoDescription: orNull(f.seoDescription),
    commentsMode: COMMENTS_MODES.has(f.commentsMode) ? (f.commentsMode as 'open' | 'closed' | 'premoderated') : null,
    language: f.language.trim() || 'en',
  };
  if (f.section) input.section = f.section;
  const slug = f.slug.trim();
  const byHand = ctx.savedSlug !== null && ctx.savedHeadline !== null && ctx.savedSlug !== slugify(ctx.savedHeadline);
  if (slug && (slug !== ctx.savedSlug || byHand)) input.slug = slug;
  return input;
}

/** What is missing before the form can be saved at all, in the editor's words (empty when it can). */
export function saveProblems(f: EditorFields): string[] {
  const problems: string[] = [];
  if (!f.headline.trim()) problems.push('Write a headline.');
  if (!f.section) problems.push('Choose a section.');
  return problems;
}

/**
 * A link as typed by an editor, made into an href the site will keep: http(s),
 * mailto and paths on this site; "example.com/x" becomes https://example.com/x.
 * Anything else (javascript:, data:, …) is refused with null.
 */
export function linkHrefOf(raw: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  if (text.startsWith('/')) return isSitePath(text) ? text : null;
  // "example.com/x" is meant as a web address.
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : /^[^\s/\\]+\.[^\s/\\]+/.test(text) ? `https://${text}` : null;
  return candidate ? safeUrl(candidate, { mailto: true }) : null;
}

// --- the body: the editor's document, reduced to what content/body.ts keeps ---------------------

type Json = { type?: unknown; text?: unknown; attrs?: Record<string, unknown> | null; marks?: unknown; content?: unknown };

const asNodes = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]).filter((n) => n && typeof n === 'object') : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

function marksOf(v: unknown): Mark[] {
  const out: Mark[] = [];
  for (const m of asNodes(v)) {
    if (m.type === 'bold' || m.type === 'italic' || m.type === 'code') out.push({ type: m.type });
    else if (m.type === 'link') {
      const href = linkHrefOf(String(m.attrs?.href ?? ''));
      if (href) out.push({ type: 'link', attrs: { href } });
    }
  }
  return out;
}

function inlineOf(v: unknown): InlineNode[] {
  const out: InlineNode[] = [];
  for (const n of asNodes(v)) {
    if (n.type === 'hardBreak') out.push({ type: 'hardBreak' });
    else if (n.type === 'text' && typeof n.text === 'string' && n.text) {
      const marks = marksOf(n.marks);
      out.push(marks.length ? { type: 'text', text: n.text, marks } : { type: 'text', text: n.text });
    }
  }
  return out;
}

function withContent<T extends { type: string }>(node: T, content: InlineNode[]): T & { content?: InlineNode[] } {
  return content.length ? { ...node, content } : node;
}

function blocksOf(v: unknown): BlockNode[] {
  const out: BlockNode[] = [];
  for (const n of asNodes(v)) {
    switch (n.type) {
      case 'paragraph':
        out.push(withContent({ type: 'paragraph' as const }, inlineOf(n.content)));
        break;
      case 'heading': {
        const level = Number(n.attrs?.level);
        out.push(withContent({ type: 'heading' as const, attrs: { level: (level === 3 || level === 4 ? level : 2) as 2 | 3 | 4 } }, inlineOf(n.content)));
        break;
      }
      case 'blockquote':
        out.push({ type: 'blockquote', content: blocksOf(n.content) });
        break;
      case 'bulletList':
        out.push({ type: 'bulletList', content: itemsOf(n.content) });
        break;
      case 'orderedList': {
        const start = Number(n.attrs?.start ?? 1);
        out.push({ type: 'orderedList', ...(Number.isInteger(start) && start !== 1 ? { attrs: { start } } : {}), content: itemsOf(n.content) });
        break;
      }
      case 'image': {
        const src = str(n.attrs?.src);
        if (!src) break;
        out.push({
          type: 'image',
          attrs: { src, alt: typeof n.attrs?.alt === 'string' ? n.attrs.alt : '', caption: str(n.attrs?.caption), credit: str(n.attrs?.credit) },
        });
        break;
      }
      case 'horizontalRule':
        out.push({ type: 'horizontalRule' });
        break;
      default:
        // Anything body.ts would not render is not saved either.
        break;
    }
  }
  return out;
}

function itemsOf(v: unknown): ListItem[] {
  return asNodes(v)
    .filter((n) => n.type === 'listItem')
    .map((n) => ({ type: 'listItem' as const, content: blocksOf(n.content) }));
}

/**
 * The editor's JSON as the body document body.ts stores: only its nodes,
 * marks and attributes, and without the empty paragraphs the editor keeps
 * between blocks (readers never see them), so that saving an unchanged
 * story writes nothing.
 */
export function toBodyDoc(json: unknown): BodyDoc {
  const content = blocksOf((json as Json | null)?.content).filter((b) => !(b.type === 'paragraph' && !b.content));
  return { type: 'doc', content };
}
