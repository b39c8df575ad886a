/**
 * The story editor: every field of a story as a plain form control, the body
 * as a rich-text editor (mounted by src/client/newsroom/editor.ts on
 * `[data-editor-body]`), the workflow buttons the policy allows, and the
 * story's revisions. Without JavaScript the form still saves every field but
 * the body, and each workflow button posts the form (saving it first).
 *
 * Regions marked `data-editor-refresh` are re-read from the server after a
 * save or a workflow move, so the status, the buttons and the revisions stay
 * true without reloading the editor.
 */
import type { ArticleStatus } from '../../platform/db/types.js';
import type { BodyDoc } from '../../content/body.js';
import { exactTime, relativeTime } from '../../web/relative-time.js';
import { jsonForScript } from '../../web/layout.js';
import { TableHead } from './controls.js';
import { BodyDialogs, BodyField } from './body-editor.js';
import type { EditorFields, TagOption } from './editor-form.js';
import { CORRECTION_KINDS, CORRECTION_LABELS, correctionDate, type CorrectionKind } from '../../content/content.model.js';

export interface EditorStory {
  id: number;
  status: ArticleStatus;
  /** Where the story lives on the site. */
  path: string;
  /** The public URL while published. */
  publicUrl: string | null;
  /** The slug as saved: the form sends the slug only when it differs. */
  savedSlug: string;
  /** The slug follows the headline until the story is first published. */
  neverPublished: boolean;
  createdAt: string;
  createdBy: string | null;
  modifiedAt: string;
  modifiedBy: string | null;
  publishedAt: string | null;
  scheduledAt: string | null;
  updatedAt: string | null;
  /** The corrections log, oldest first: kept forever, the wording of each can be fixed. */
  corrections: Array<{ id: number; kind: CorrectionKind; note: string; at: string; editedAt: string | null }>;
  /** The latest revision: saves send it back, so a colleague's later save is never silently undone. */
  revision: number | null;
}

/** What this staff member may do to this story now (policy and workflow both agree). */
export interface EditorAllowed {
  edit: boolean;
  submit: boolean;
  publish: boolean;
  schedule: boolean;
  unpublish: boolean;
  delete: boolean;
  correct: boolean;
  restore: boolean;
  revisions: boolean;
}

export interface EditorRevision {
  id: number;
  createdAt: string;
  author: string | null;
  note: string | null;
  headline: string;
}

export interface EditorOptions {
  sections: Array<{ slug: string; name: string; parent: string | null }>;
  tags: TagOption[];
  authors: Array<{ slug: string; name: string }>;
  /** Whether tags typed that do not exist yet will be created (editors), or refused. */
  mayCreateTags: boolean;
}

export interface StoryEditorProps {
  /** null for a story not saved yet. */
  story: EditorStory | null;
  fields: EditorFields;
  body: BodyDoc;
  /** The body as the site renders it, shown until the editor mounts (and without JavaScript). */
  bodyHtml: string;
  options: EditorOptions;
  allowed: EditorAllowed;
  revisions: EditorRevision[];
  /** What went wrong with the last form post, shown by the buttons. */
  error?: string | null;
  now: Date;
}

export const STATUS_NAMES: Record<ArticleStatus, string> = {
  draft: 'Draft',
  review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

const LANGUAGES: Array<[string, string]> = [
  ['en', 'English'], ['fr', 'French'], ['es', 'Spanish'], ['pt', 'Portuguese'], ['ar', 'Arabic'], ['sw', 'Swahili'], ['de', 'German'],
  ['it', 'Italian'], ['zh', 'Chinese'], ['ru', 'Russian'], ['ha', 'Hausa'], ['am', 'Amharic'],
];

export const editorPaths = {
  editor: (id: number) => `/newsroom/stories/${id}`,
  newStory: () => '/newsroom/stories/new',
  preview: (id: number) => `/newsroom/stories/${id}/preview`,
  compare: (id: number, a?: number, b?: number) =>
    `/newsroom/stories/${id}/revisions/compare${a !== undefined && b !== undefined ? `?a=${a}&b=${b}` : ''}`,
  restore: (id: number, rev: number) => `/newsroom/stories/${id}/revisions/${rev}/restore`,
  correction: (id: number, cid: number) => `/newsroom/stories/${id}/corrections/${cid}`,
};

/** A time as "5 minutes ago" (refreshed by the newsroom script) with the exact time on hover. */
export function When({ iso, now }: { iso: string; now: Date }) {
  return (
    <time dateTime={iso} title={exactTime(iso)} data-relative="">
      {relativeTime(iso, now)}
    </time>
  );
}

/** `2026-12-01T09:30` in UTC, for a datetime-local control (the script shows it in the browser's zone). */
function localInputValue(iso: string | null): string {
  return iso ? new Date(iso).toISOString().slice(0, 16) : '';
}

function StoryState({ story, now }: { story: EditorStory | null; now: Date }) {
  if (!story) {
    return (
      <div id="editor-state" data-editor-refresh="" class="editor__state">
        <p>
          <span class="nr-badge">New</span> Not saved yet.
        </p>
      </div>
    );
  }
  return (
    <div id="editor-state" data-editor-refresh="" class="editor__state" data-status={story.status} data-saved-slug={story.savedSlug}>
      <p>
        <span class={`nr-badge nr-badge--${story.status}`} data-story-status={story.status}>
          {STATUS_NAMES[story.status]}
        </span>
        {story.status === 'scheduled' && story.scheduledAt ? (
          <>
            {' '}for <time dateTime={story.scheduledAt}>{exactTime(story.scheduledAt)}</time>
          </>
        ) : null}
      </p>
      <p class="editor__meta">
        Last changed {story.modifiedBy ? <>by {story.modifiedBy} </> : null}
        <When iso={story.modifiedAt} now={now} />
      </p>
      <p class="editor__meta">
        Created {story.createdBy ? <>by {story.createdBy} </> : null}
        <When iso={story.createdAt} now={now} />
      </p>
      {story.publishedAt ? (
        <p class="editor__meta">
          First published <time dateTime={story.publishedAt}>{exactTime(story.publishedAt)}</time>
          {story.updatedAt ? (
            <>
              , updated <When iso={story.updatedAt} now={now} />
            </>
          ) : null}
        </p>
      ) : null}
      {story.publicUrl ? (
        <p>
          <a href={story.publicUrl} class="editor__public-link" target="_blank" rel="noopener">
            View on the site
          </a>
        </p>
      ) : null}
    </div>
  );
}

function WorkflowActions({ story, allowed }: { story: EditorStory | null; allowed: EditorAllowed }) {
  const canSave = story ? allowed.edit : true;
  return (
    <div id="editor-actions" data-editor-refresh="" class="editor__actions">
      <div class="editor__buttons">
        {canSave ? (
          <button type="submit" name="intent" value="save" class="button button--primary" data-editor-action="save">
            Save
          </button>
        ) : null}
        {story ? (
          <a href={editorPaths.preview(story.id)} class="button" target="_blank" rel="noopener" data-editor-preview="">
            Preview
          </a>
        ) : null}
        {/* Live coverage is for those who may publish or unpublish it (editors and admins, as the policy's live.manage). */}
        {story && (allowed.publish || allowed.unpublish || allowed.correct) ? (
          <a href={`/newsroom/stories/${story.id}/live`} class="button">
            Live coverage
          </a>
        ) : null}
        {story && allowed.submit ? (
          <button type="submit" name="intent" value="submit" class="button" data-editor-action="submit">
            Submit for review
          </button>
        ) : null}
        {story && allowed.publish ? (
          <button type="submit" name="intent" value="publish" class="button" data-editor-action="publish">
            Publish now
          </button>
        ) : null}
      </div>
      {story && allowed.schedule ? (
        <div class="editor__schedule">
          <label for="story-schedule-at">Publish at</label>
          <div class="nr-inline">
            <input
              type="datetime-local"
              id="story-schedule-at"
              name="at"
              step={1}
              value={localInputValue(story.scheduledAt)}
              data-utc={story.scheduledAt ?? ''}
              aria-describedby="story-schedule-tz"
            />
            <button type="submit" name="intent" value="schedule" class="button" data-editor-action="schedule">
              Schedule
            </button>
          </div>
          <p id="story-schedule-tz" class="editor__hint" data-schedule-tz="">
            Time zone: UTC
          </p>
        </div>
      ) : null}
      {story && (allowed.unpublish || allowed.delete) ? (
        <div class="editor__buttons">
          {allowed.unpublish ? (
            <button type="submit" name="intent" value="unpublish" class="button" data-editor-action="unpublish">
              {story.status === 'scheduled' ? 'Cancel schedule' : 'Unpublish'}
            </button>
          ) : null}
          {allowed.delete ? (
            <button type="submit" name="intent" value="delete" class="button button--danger" data-editor-action="delete" formnovalidate>
              Delete
            </button>
          ) : null}
        </div>
      ) : null}
      {story && (allowed.correct || story.corrections.length) ? (
        <div class="editor__correction">
          {story.corrections.length ? (
            <>
              <h3 class="editor__subhead">Corrections shown to readers</h3>
              <ol class="editor__corrections" data-corrections-log="">
                {story.corrections.map((c) => (
                  <li class="editor__correction-entry" data-correction-id={String(c.id)}>
                    <p>
                      <strong>
                        {CORRECTION_LABELS[c.kind]}, <time dateTime={c.at} title={exactTime(c.at)}>{correctionDate(c.at)}</time>
                      </strong>
                      {c.editedAt ? <span class="editor__hint"> (wording edited <time dateTime={c.editedAt}>{exactTime(c.editedAt)}</time>)</span> : null}
                    </p>
                    {allowed.correct ? (
                      <details>
                        <summary>
                          <span class="editor__correction-note">{c.note}</span>
                        </summary>
                        <label for={`correction-${c.id}`}>Fix the wording (the date stays; the change is audited)</label>
                        <textarea id={`correction-${c.id}`} name={`correction-${c.id}`} rows={3} maxLength={2000} value={c.note}></textarea>
                        <button
                          type="submit"
                          name="intent"
                          value="correction-edit"
                          formaction={editorPaths.correction(story.id, c.id)}
                          formnovalidate
                          class="button button--small"
                          data-editor-action="correction-edit"
                          data-correction-id={String(c.id)}
                        >
                          Save wording
                        </button>
                      </details>
                    ) : (
                      <blockquote>{c.note}</blockquote>
                    )}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          {allowed.correct ? (
            <>
              <label for="story-correction-kind">Add to the corrections log</label>
              <select id="story-correction-kind" name="correctionKind">
                {CORRECTION_KINDS.map((k) => (
                  <option value={k}>{CORRECTION_LABELS[k]}</option>
                ))}
              </select>
              <label for="story-correction" class="visually-hidden">
                Note
              </label>
              <textarea id="story-correction" name="note" rows={3} maxLength={2000} aria-describedby="story-correction-hint"></textarea>
              <p id="story-correction-hint" class="editor__hint">
                Shown on the story with its date ("Correction, 3 Dec 2026: …") and on /corrections; marks it "Updated". Entries are kept for the record: they
                cannot be deleted.
              </p>
              <button type="submit" name="intent" value="correction" class="button" data-editor-action="correction">
                Add correction
              </button>
            </>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Revisions({ story, revisions, allowed, now }: { story: EditorStory; revisions: EditorRevision[]; allowed: EditorAllowed; now: Date }) {
  return (
    <section id="editor-revisions" data-editor-refresh="" class="nr-panel editor__revisions" aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">Revisions</h2>
      {revisions.length < 2 ? <p class="editor__hint">Every save that changes something is kept here. Pick two to compare them.</p> : null}
      <form method="get" action={editorPaths.compare(story.id)} id="revisions-compare">
        <table class="nr-table editor__revision-table">
          <TableHead columns={['From', 'To', 'Saved', 'By', 'Headline']} actions="Actions" />
          <tbody>
            {revisions.map((r, i) => (
              <tr data-revision-id={String(r.id)}>
                <td>
                  <input type="radio" name="a" value={String(r.id)} checked={i === 1 || (revisions.length === 1 && i === 0)} aria-label={`Compare from revision ${r.id}`} />
                </td>
                <td>
                  <input type="radio" name="b" value={String(r.id)} checked={i === 0} aria-label={`Compare to revision ${r.id}`} />
                </td>
                <td>
                  <When iso={r.createdAt} now={now} />
                  {i === 0 ? <span class="nr-badge editor__current">current</span> : null}
                </td>
                <td>{r.author ?? 'API token'}</td>
                <td>
                  {r.headline}
                  {r.note ? <span class="editor__hint"> ({r.note})</span> : null}
                </td>
                <td>
                  {allowed.restore && i > 0 ? (
                    <button type="submit" form={`restore-${r.id}`} class="button button--small" data-editor-restore={String(r.id)}>
                      Restore
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {revisions.length > 1 ? (
          <button type="submit" class="button">
            Compare
          </button>
        ) : null}
      </form>
      {allowed.restore
        ? revisions.slice(1).map((r) => <form method="post" action={editorPaths.restore(story.id, r.id)} id={`restore-${r.id}`} class="editor__restore-form"></form>)
        : null}
    </section>
  );
}


export function StoryEditor(props: StoryEditorProps) {
  const { story, fields, options, allowed, revisions, now } = props;
  const readOnly = story !== null && !allowed.edit;
  const data = { body: props.body, tags: options.tags, mayCreateTags: options.mayCreateTags };
  const tagsHint = options.mayCreateTags ? 'Separate tags with commas; new ones are created.' : 'Separate tags with commas; pick existing tags (an editor creates new ones).';
  return (
    <div
      class="editor"
      id="story-editor"
      data-story-editor=""
      data-story-id={story ? String(story.id) : ''}
      data-status={story?.status ?? 'new'}
      data-saved-slug={story?.savedSlug ?? ''}
      data-revision={story ? String(story.revision ?? 0) : ''}
      data-never-published={story && !story.neverPublished ? 'false' : 'true'}
      data-can-edit={readOnly ? 'false' : 'true'}
    >
      <script type="application/json" id="story-editor-data" dangerouslySetInnerHTML={{ __html: jsonForScript(data) }} />
      {readOnly ? (
        <p class="nr-alert nr-alert--notice">
          {story!.status === 'published' || story!.status === 'scheduled'
            ? 'This story has left the drafts: only an editor may change it now.'
            : 'You may read this story but not change it.'}
        </p>
      ) : null}
      <form id="story-form" class="nr-form editor__form" method="post" action={story ? editorPaths.editor(story.id) : editorPaths.newStory()}>
        {story ? <input type="hidden" name="baseRevision" value={String(story.revision ?? 0)} /> : null}
        <fieldset class="editor__fieldset" disabled={readOnly}>
          <legend class="visually-hidden">The story</legend>
          <div class="editor__grid">
            <div class="editor__main">
              <div class="nr-field">
                <label for="story-headline">Headline</label>
                <input type="text" id="story-headline" name="headline" class="editor__headline" value={fields.headline} maxLength={300} required />
              </div>
              <div class="nr-field">
                <label for="story-standfirst">Standfirst</label>
                <textarea id="story-standfirst" name="standfirst" rows={3} maxLength={1000} class="editor__standfirst" value={fields.standfirst}></textarea>
              </div>
              <div class="nr-field editor__body-field">
                <BodyField id="story-body" bodyHtml={props.bodyHtml} />
              </div>
            </div>

            <div class="editor__side">
              <section class="nr-panel editor__publish" aria-labelledby="editor-publish-heading">
                <h2 id="editor-publish-heading">Publishing</h2>
                <StoryState story={story} now={now} />
                <p id="editor-status" class="editor__status" role="status" aria-live="polite"></p>
                <div id="editor-errors" class="nr-alert nr-alert--error editor__errors" role="alert" hidden={!props.error}>
                  {props.error ?? ''}
                </div>
                <WorkflowActions story={story} allowed={allowed} />
              </section>

              <section class="nr-panel" aria-labelledby="editor-filing-heading">
                <h2 id="editor-filing-heading">Filing</h2>
                <div class="nr-field">
                  <label for="story-section">Section</label>
                  <select id="story-section" name="section" required>
                    {!fields.section ? <option value="">Choose a section</option> : null}
                    {options.sections.map((s) => (
                      <option value={s.slug} selected={s.slug === fields.section}>
                        {s.parent ? `${s.parent} › ${s.name}` : s.name}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="nr-field">
                  <label for="story-tags">Tags</label>
                  <input type="text" id="story-tags" name="tags" value={fields.tags} list="story-tag-names" aria-describedby="story-tags-hint" autocomplete="off" />
                  <datalist id="story-tag-names">
                    {options.tags.map((t) => (
                      <option value={t.name} />
                    ))}
                  </datalist>
                  <p id="story-tags-hint" class="editor__hint">
                    {tagsHint}
                  </p>
                  <div class="editor__chips" data-tag-chips="" hidden></div>
                  <label for="story-tag-pick" class="visually-hidden">
                    Add an existing tag
                  </label>
                  <select id="story-tag-pick" data-tag-pick="" hidden>
                    <option value="">Add an existing tag…</option>
                    {options.tags.map((t) => (
                      <option value={t.name}>{t.name}</option>
                    ))}
                  </select>
                </div>
                <div class="nr-field">
                  <label for="story-authors">Authors</label>
                  <select id="story-authors" name="authors" multiple size={Math.min(6, Math.max(3, options.authors.length))} aria-describedby="story-authors-hint">
                    {options.authors.map((a) => (
                      <option value={a.slug} selected={fields.authors.includes(a.slug)}>
                        {a.name}
                      </option>
                    ))}
                  </select>
                  <p id="story-authors-hint" class="editor__hint">
                    The byline. Hold Ctrl (⌘ on a Mac) to pick several.
                  </p>
                </div>
                <div class="nr-field">
                  <label for="story-credit">Credit line</label>
                  <input type="text" id="story-credit" name="credit" value={fields.credit} maxLength={200} placeholder="Staff, Agencies" aria-describedby="story-credit-hint" />
                  <p id="story-credit-hint" class="editor__hint">
                    Shown as "By …" after any authors.
                  </p>
                </div>
              </section>

              <section class="nr-panel editor__hero" aria-labelledby="editor-hero-heading" data-hero="">
                <h2 id="editor-hero-heading">Hero image</h2>
                <img class="editor__hero-preview" data-hero-preview="" src={fields.heroUrl || undefined} alt="" hidden={!fields.heroUrl} />
                <div class="editor__buttons" data-hero-buttons="" hidden>
                  <button type="button" class="button button--small" data-hero-choose="">
                    Choose from the library or upload
                  </button>
                  <button type="button" class="button button--small" data-hero-remove="">
                    Remove hero image
                  </button>
                </div>
                <div class="nr-field">
                  <label for="story-hero-url">Image address</label>
                  <input type="text" id="story-hero-url" name="heroUrl" value={fields.heroUrl} maxLength={2000} placeholder="/media/uploads/… or https://…" />
                </div>
                <div class="nr-field">
                  <label for="story-hero-alt">Alt text</label>
                  <textarea id="story-hero-alt" name="heroAlt" rows={2} maxLength={500} aria-describedby="story-hero-alt-hint" value={fields.heroAlt}></textarea>
                  <p id="story-hero-alt-hint" class="editor__hint">
                    What the image shows, for readers who cannot see it. Required before publishing.
                  </p>
                </div>
                <div class="nr-field">
                  <label for="story-hero-caption">Caption</label>
                  <input type="text" id="story-hero-caption" name="heroCaption" value={fields.heroCaption} maxLength={1000} />
                </div>
                <div class="nr-field">
                  <label for="story-hero-credit">Image credit</label>
                  <input type="text" id="story-hero-credit" name="heroCredit" value={fields.heroCredit} maxLength={200} />
                </div>
              </section>

              <section class="nr-panel" aria-labelledby="editor-web-heading">
                <h2 id="editor-web-heading">Address and search</h2>
                <div class="nr-field">
                  <label for="story-slug">Slug</label>
                  <input
                    type="text"
                    id="story-slug"
                    name="slug"
                    value={fields.slug}
                    maxLength={120}
                    pattern="[a-z0-9]+(-[a-z0-9]+)*"
                    aria-describedby="story-slug-hint"
                  />
                  <p id="story-slug-hint" class="editor__hint">
                    {story && !story.neverPublished
                      ? 'Changing it moves the story; the old address redirects.'
                      : 'Follows the headline until the story is first published, unless you change it.'}
                  </p>
                </div>
                <div class="nr-field">
                  <label for="story-seo-title">SEO title</label>
                  <input type="text" id="story-seo-title" name="seoTitle" value={fields.seoTitle} maxLength={200} aria-describedby="story-seo-hint" />
                </div>
                <div class="nr-field">
                  <label for="story-seo-description">SEO description</label>
                  <textarea id="story-seo-description" name="seoDescription" rows={3} maxLength={500} aria-describedby="story-seo-hint" value={fields.seoDescription}></textarea>
                  <p id="story-seo-hint" class="editor__hint">
                    For search engines and link previews; the headline and standfirst when left empty.
                  </p>
                </div>
              </section>

              <section class="nr-panel" aria-labelledby="editor-options-heading">
                <h2 id="editor-options-heading">Comments and language</h2>
                <div class="nr-field">
                  <label for="story-comments">Comments</label>
                  <select id="story-comments" name="commentsMode">
                    {[
                      ['', 'Site default'],
                      ['open', 'Open'],
                      ['premoderated', 'Pre-moderated'],
                      ['closed', 'Closed'],
                    ].map(([value, label]) => (
                      <option value={value} selected={fields.commentsMode === value}>
                        {label}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="nr-field">
                  <label for="story-language">Language</label>
                  <input
                    type="text"
                    id="story-language"
                    name="language"
                    value={fields.language}
                    list="story-languages"
                    maxLength={12}
                    pattern="[a-z]{2,3}(-[A-Za-z0-9]{2,8})?"
                    aria-describedby="story-language-hint"
                  />
                  <datalist id="story-languages">
                    {LANGUAGES.map(([code, name]) => (
                      <option value={code}>{name}</option>
                    ))}
                  </datalist>
                  <p id="story-language-hint" class="editor__hint">
                    A language code such as en, fr or pt-BR.
                  </p>
                </div>
              </section>
            </div>
          </div>
        </fieldset>
      </form>

      {story && allowed.revisions ? <Revisions story={story} revisions={revisions} allowed={allowed} now={now} /> : null}
      <BodyDialogs />
    </div>
  );
}
