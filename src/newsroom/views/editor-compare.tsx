/**
 * Two revisions of a story side by side: every field that changed, word by
 * word (removed words struck out on the left, added words marked on the
 * right), and the body as text, paragraph by paragraph, with long unchanged
 * stretches folded away. What changed is worked out in ../revision-compare.ts.
 */
import type { Change } from 'diff';
import type { ComparedRevision, RevisionComparison } from '../../content/revision.model.js';
import { exactTime } from '../../web/relative-time.js';
import { TableHead } from './controls.js';
import { editorPaths, When } from './editor.js';

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
            <TableHead columns={['Field', `Revision ${a.id}`, `Revision ${b.id}`]} />
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
