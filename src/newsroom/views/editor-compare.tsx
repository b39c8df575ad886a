/**
 * Two revisions of a story side by side: every field that changed, word by
 * word (removed words struck out on the left, added words marked on the
 * right), and the body as text, paragraph by paragraph, with long unchanged
 * stretches folded away. The differences are worked out with `diff`.
 */
import { diffArrays, diffWords, type Change } from 'diff';
import type { BlockNode, BodyDoc, InlineNode } from '../../content/body.js';
import { exactTime } from '../../web/relative-time.js';
import { editorPaths, When } from './editor.js';

/** A revision as the comparison shows it: its fields as text. */
export interface ComparedRevision {
  id: number;
  createdAt: string;
  author: string | null;
  note: string | null;
  fields: Array<{ label: string; value: string }>;
  body: BodyDoc;
}

export interface FieldChange {
  label: string;
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
  for (const field of a.fields) {
    const other = b.fields.find((f) => f.label === field.label)?.value ?? '';
    if (field.value === other) unchanged.push(field.label);
    else changed.push({ label: field.label, changes: diffWords(field.value, other) });
  }
  const body = compareBodies(a.body, b.body);
  return { changed, unchanged, body, bodyChanged: body.some((l) => l.kind !== 'same' && l.kind !== 'folded') };
}

/** One side of a word diff: the common words and this side's own, marked. */
function Side({ changes, side }: { changes: Change[]; side: 'old' | 'new' }) {
  const shown = changes.filter((c) => (side === 'old' ? !c.added : !c.removed));
  if (!shown.some((c) => c.value.trim())) return <span class="diff__empty">(empty)</span>;
  return (
    <>
      {shown.map((c) => (c.removed ? <del>{c.value}</del> : c.added ? <ins>{c.value}</ins> : c.value))}
    </>
  );
}

function Unified({ changes }: { changes: Change[] }) {
  return <>{changes.map((c) => (c.removed ? <del>{c.value}</del> : c.added ? <ins>{c.value}</ins> : c.value))}</>;
}

function RevisionLabel({ r, now }: { r: ComparedRevision; now: Date }) {
  return (
    <>
      Revision {r.id}, saved <time dateTime={r.createdAt}>{exactTime(r.createdAt)}</time> (<When iso={r.createdAt} now={now} />) by {r.author ?? 'an API token'}
      {r.note ? ` (${r.note})` : ''}
    </>
  );
}

export interface RevisionComparePageProps {
  storyId: number;
  headline: string;
  a: ComparedRevision;
  b: ComparedRevision;
  comparison: RevisionComparison;
  now: Date;
}

export function RevisionComparePage({ storyId, headline, a, b, comparison, now }: RevisionComparePageProps) {
  const { changed, unchanged, body, bodyChanged } = comparison;
  return (
    <div class="diff-page">
      <p>
        <a href={editorPaths.editor(storyId)}>Back to “{headline}”</a>
      </p>
      <dl class="diff-page__revisions">
        <dt>From</dt>
        <dd>
          <RevisionLabel r={a} now={now} />
        </dd>
        <dt>To</dt>
        <dd>
          <RevisionLabel r={b} now={now} />
        </dd>
      </dl>

      <section class="nr-panel" aria-labelledby="diff-fields-heading">
        <h2 id="diff-fields-heading">Fields</h2>
        {changed.length ? (
          <table class="nr-table diff-table">
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Revision {a.id}</th>
                <th scope="col">Revision {b.id}</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((f) => (
                <tr data-diff-field={f.label}>
                  <th scope="row">{f.label}</th>
                  <td class="diff diff--old">
                    <Side changes={f.changes} side="old" />
                  </td>
                  <td class="diff diff--new">
                    <Side changes={f.changes} side="new" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>No field besides the body changed.</p>
        )}
        {unchanged.length ? <p class="editor__hint">Unchanged: {unchanged.join(', ')}.</p> : null}
      </section>

      <section class="nr-panel" aria-labelledby="diff-body-heading">
        <h2 id="diff-body-heading">Body</h2>
        {bodyChanged ? (
          <ol class="diff-body" role="list">
            {body.map((line) =>
              line.kind === 'folded' ? (
                <li class="diff-body__folded">
                  … {line.count} unchanged {line.count === 1 ? 'paragraph' : 'paragraphs'} …
                </li>
              ) : line.kind === 'same' ? (
                <li class="diff-body__same">{line.text}</li>
              ) : line.kind === 'changed' ? (
                <li class="diff-body__changed diff">
                  <span class="visually-hidden">Changed: </span>
                  <Unified changes={line.changes} />
                </li>
              ) : line.kind === 'added' ? (
                <li class="diff-body__added diff">
                  <span class="visually-hidden">Added: </span>
                  <ins>{line.text}</ins>
                </li>
              ) : (
                <li class="diff-body__removed diff">
                  <span class="visually-hidden">Removed: </span>
                  <del>{line.text}</del>
                </li>
              ),
            )}
          </ol>
        ) : (
          <p>The body is the same in both.</p>
        )}
      </section>
    </div>
  );
}
