/**
 * Two revisions of a story compared: every field that changed, word by word,
 * and the body as text, paragraph by paragraph, with long unchanged stretches
 * folded away. The differences are worked out with `diff`.
 *
 * Shared by the newsroom's compare page (views/editor-compare.tsx) and the
 * admin API (GET /api/admin/articles/:id/revisions/compare); no I/O here.
 */
import { diffArrays, diffWords, type Change } from 'diff';
import type { BlockNode, BodyDoc, InlineNode } from './body.js';
import type { StorySnapshot } from './story.model.js';
import type { RevisionView } from './story.service.js';

/** The fields compared, in the order shown: API key and label. */
export const COMPARED_FIELDS = [
  ['headline', 'Headline'],
  ['standfirst', 'Standfirst'],
  ['section', 'Section'],
  ['tags', 'Tags'],
  ['authors', 'Authors'],
  ['credit', 'Credit line'],
  ['heroUrl', 'Hero image'],
  ['heroAlt', 'Hero alt text'],
  ['heroCaption', 'Hero caption'],
  ['heroCredit', 'Hero credit'],
  ['slug', 'Slug'],
  ['seoTitle', 'SEO title'],
  ['seoDescription', 'SEO description'],
  ['commentsMode', 'Comments'],
  ['language', 'Language'],
] as const;

export type ComparedField = (typeof COMPARED_FIELDS)[number][0];

/** A revision as the comparison sees it: its fields as text. */
export interface ComparedRevision {
  id: number;
  createdAt: string;
  author: string | null;
  note: string | null;
  fields: Array<{ field: ComparedField; label: string; value: string }>;
  body: BodyDoc;
}

export interface FieldChange {
  field: ComparedField;
  label: string;
  before: string;
  after: string;
  changes: Change[];
}

export type BodyLine =
  | { kind: 'same'; text: string }
  | { kind: 'folded'; count: number }
  | { kind: 'removed' | 'added'; text: string }
  | { kind: 'changed'; changes: Change[] };

export interface RevisionComparison {
  changed: FieldChange[];
  unchanged: string[];
  body: BodyLine[];
  bodyChanged: boolean;
}

/**
 * A story's own text fields as strings, '' where there is none: what the
 * editor's form shows and what a comparison compares (the section, tags,
 * authors and comment mode each say in their own way).
 */
export function snapshotTexts(s: StorySnapshot) {
  return {
    headline: s.headline,
    standfirst: s.standfirst,
    credit: s.credit ?? '',
    heroUrl: s.hero?.url ?? '',
    heroAlt: s.hero?.alt ?? '',
    heroCaption: s.hero?.caption ?? '',
    heroCredit: s.hero?.credit ?? '',
    slug: s.slug,
    seoTitle: s.seoTitle ?? '',
    seoDescription: s.seoDescription ?? '',
    language: s.language,
  };
}

/** A saved revision's fields as text, the way an editor reads them. */
export function comparedOf(v: RevisionView): ComparedRevision {
  const s = v.snapshot;
  const values: Record<ComparedField, string> = {
    ...snapshotTexts(s),
    section: v.section?.name ?? '(a deleted section)',
    tags: v.tags.map((t) => t.name).join(', '),
    authors: v.authors.map((a) => a.name).join(', '),
    commentsMode: s.commentsMode ?? 'site default',
  };
  return {
    id: v.row.id,
    createdAt: v.row.created_at,
    author: v.row.author_name,
    note: v.row.note,
    body: s.body,
    fields: COMPARED_FIELDS.map(([field, label]) => ({ field, label, value: values[field] })),
  };
}

/**
 * Which two revisions to compare, older first. Without a choice: the latest
 * change (the newest revision against the one before); with one revision, it
 * against itself. `newestFirst` is the story's revision ids, newest first.
 * Undefined when the story has no revisions at all.
 */
export function revisionPair(newestFirst: number[], a?: number, b?: number): [older: number, newer: number] | undefined {
  const second = b ?? newestFirst[0];
  const first = a ?? newestFirst[1] ?? second;
  if (first === undefined || second === undefined) return undefined;
  return first <= second ? [first, second] : [second, first];
}

function inlineText(nodes: InlineNode[] | undefined): string {
  return (nodes ?? [])
    .map((n) => {
      if (n.type === 'hardBreak') return ' / ';
      const link = n.marks?.find((m) => m.type === 'link');
      return link && link.type === 'link' ? `[${n.text}](${link.attrs.href})` : n.text;
    })
    .join('');
}

function blockLines(block: BlockNode, prefix: string, out: string[]): void {
  switch (block.type) {
    case 'paragraph': {
      const text = inlineText(block.content);
      if (text.trim()) out.push(prefix + text);
      break;
    }
    case 'heading':
      out.push(`${prefix}${'#'.repeat(block.attrs?.level ?? 2)} ${inlineText(block.content)}`);
      break;
    case 'blockquote':
      for (const b of block.content ?? []) blockLines(b, `${prefix}> `, out);
      break;
    case 'bulletList':
    case 'orderedList':
      (block.content ?? []).forEach((item, i) => {
        const marker = block.type === 'bulletList' ? '• ' : `${i + 1}. `;
        const lines: string[] = [];
        for (const b of item.content ?? []) blockLines(b, '', lines);
        lines.forEach((line, j) => out.push(prefix + (j === 0 ? marker : '   ') + line));
      });
      break;
    case 'image': {
      const a = block.attrs;
      const parts = [`Image ${a.src}`, `alt: ${a.alt || '(none)'}`, a.caption ? `caption: ${a.caption}` : '', a.credit ? `credit: ${a.credit}` : ''];
      out.push(`${prefix}[${parts.filter(Boolean).join(' | ')}]`);
      break;
    }
    case 'horizontalRule':
      out.push(`${prefix}———`);
      break;
    default:
      break;
  }
}

/** The body as lines of text: one per paragraph, heading, list item, image. */
export function bodyLines(doc: BodyDoc): string[] {
  const out: string[] = [];
  for (const b of doc.content ?? []) blockLines(b, '', out);
  return out;
}

/** Unchanged paragraphs kept around a change; longer unchanged stretches are folded. */
const CONTEXT = 1;

function foldSame(lines: BodyLine[]): BodyLine[] {
  const out: BodyLine[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.kind !== 'same') {
      out.push(lines[i++]!);
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]!.kind === 'same') j++;
    const run = lines.slice(i, j);
    const keepBefore = i === 0 ? 0 : CONTEXT;
    const keepAfter = j === lines.length ? 0 : CONTEXT;
    if (run.length > keepBefore + keepAfter + 1) {
      out.push(...run.slice(0, keepBefore), { kind: 'folded', count: run.length - keepBefore - keepAfter }, ...run.slice(run.length - keepAfter));
    } else out.push(...run);
    i = j;
  }
  return out;
}

/** The body's lines compared: paired removed and added paragraphs are compared word by word. */
export function compareBodies(a: BodyDoc, b: BodyDoc): BodyLine[] {
  const parts = diffArrays(bodyLines(a), bodyLines(b));
  const lines: BodyLine[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      const n = Math.min(part.value.length, next.value.length);
      for (let k = 0; k < n; k++) lines.push({ kind: 'changed', changes: diffWords(part.value[k]!, next.value[k]!) });
      for (const text of part.value.slice(n)) lines.push({ kind: 'removed', text });
      for (const text of next.value.slice(n)) lines.push({ kind: 'added', text });
      i++;
    } else if (part.removed) for (const text of part.value) lines.push({ kind: 'removed', text });
    else if (part.added) for (const text of part.value) lines.push({ kind: 'added', text });
    else for (const text of part.value) lines.push({ kind: 'same', text });
  }
  return foldSame(lines);
}

export function compareRevisions(a: ComparedRevision, b: ComparedRevision): RevisionComparison {
  const changed: FieldChange[] = [];
  const unchanged: string[] = [];
  for (const { field, label, value } of a.fields) {
    const other = b.fields.find((f) => f.field === field)?.value ?? '';
    if (value === other) unchanged.push(label);
    else changed.push({ field, label, before: value, after: other, changes: diffWords(value, other) });
  }
  const body = compareBodies(a.body, b.body);
  return { changed, unchanged, body, bodyChanged: body.some((l) => l.kind !== 'same' && l.kind !== 'folded') };
}
