/**
 * /newsroom/tags (editors): the tags with search and pages, a form for a new
 * one, and the edit page of one tag (name, address, description, special
 * coverage, delete).
 */
import type { Tag } from '../../platform/db/types.js';
import { Pager, TableHead } from './controls.js';
import type { ComponentChildren } from 'preact';
import { CheckboxField, EditScreen, TextArea, TextField, TxForm, utcText, type FormState, type FormValues } from './taxonomy-fields.js';

export function tagFormValues(t: Tag): FormValues {
  return { name: t.name, slug: t.slug, description: t.description, specialCoverage: t.special_coverage === 1 ? 'on' : '' };
}

const SPECIAL_COVERAGE_HINT =
  'A running story. The home page shows it as a banner (its name, the description below and its latest published stories, ' +
  'linking to the tag page) for as long as it is marked and has published stories; stories with the tag show the banner too.';

function TagForm({ id, action, state, submit, editing }: { id: string; action: string; state: FormState; submit: string; editing?: Tag }) {
  const slugHint = editing ? (
    <>
      Its page is <code>/tag/{editing.slug}</code>. Change it and <strong>the old address will redirect</strong> (301) to the new one.
    </>
  ) : (
    'The address of its page (/tag/…). Leave it empty to make one from the name. Lowercase letters, digits and hyphens.'
  );
  return (
    <TxForm action={action} submit={submit}>
      <TextField form={id} name="name" label="Name" state={state} required maxLength={120} />
      <TextField form={id} name="slug" label="Slug" state={state} required={!!editing} maxLength={120} hint={slugHint} />
      <TextArea form={id} name="description" label="Description" state={state} maxLength={1000} hint="Shown on the tag's page and in its special-coverage banner (up to 1,000 characters)." />
      <CheckboxField form={id} name="specialCoverage" label="Special coverage" state={state} hint={SPECIAL_COVERAGE_HINT} />
    </TxForm>
  );
}

export interface TagsScreenProps {
  tags: Tag[];
  /** How many match the search (all pages). */
  total: number;
  page: number;
  totalPages: number;
  q: string;
  create: FormState;
}

export function tagsListPath(q: string, page = 1): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  const s = params.toString();
  return `/newsroom/tags${s ? `?${s}` : ''}`;
}

export function TagsScreen({ tags, total, page, totalPages, q, create }: TagsScreenProps) {
  return (
    <>
      <form method="get" action="/newsroom/tags" class="nr-form nr-inline tx-search" role="search" aria-label="Find tags">
        <div class="field">
          <label for="tag-search">Find a tag</label>
          <input id="tag-search" type="search" name="q" value={q} maxLength={120} />
        </div>
        <button type="submit" class="button">
          Search
        </button>
        {q ? <a href="/newsroom/tags">Show all</a> : null}
      </form>
      <p class="tx-muted" aria-live="polite">
        {total === 0 ? (q ? `No tag matches "${q}".` : 'There are no tags yet.') : `${total} ${total === 1 ? 'tag' : 'tags'}${q ? ` matching "${q}"` : ''}`}
        {totalPages > 1 ? `, page ${page} of ${totalPages}` : ''}
      </p>
      {tags.length ? (
        <table class="nr-table tx-table">
          <TableHead columns={['Tag', 'Address', 'Special coverage']} />
          <tbody>
            {tags.map((t) => (
              <tr>
                <td>
                  <a href={`/newsroom/tags/${t.id}`}>{t.name}</a>
                </td>
                <td>
                  <a href={`/tag/${t.slug}`}>/tag/{t.slug}</a>
                </td>
                <td>{t.special_coverage === 1 ? <span class="nr-badge tx-badge--special">On the home page</span> : <span class="tx-muted">No</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager page={page} totalPages={totalPages} what="tags" href={(n) => tagsListPath(q, n)} />
      <section class="nr-panel tx-new" aria-labelledby="tx-new-tag">
        <h2 id="tx-new-tag">New tag</h2>
        <TagForm id="new-tag" action="/newsroom/tags" state={create} submit="Create tag" />
      </section>
    </>
  );
}

/** `hub`: the hub-lead choices, for a special-coverage tag. */
export function TagEditScreen({ tag, form, hub }: { tag: Tag; form: FormState; hub?: HubChoices | null }) {
  return (
    <EditScreen
      kind="tag"
      list={{ href: '/newsroom/tags', label: 'All tags' }}
      publicPath={`/tag/${tag.slug}`}
      deleteNote="The stories that carry it simply lose the tag; its page stops working."
      deleteAction={`/newsroom/tags/${tag.id}/delete`}
      name={tag.name}
      confirm={`Delete the tag ${tag.name}? Its stories lose it.`}
      more={hub ? <HubLeadPanel tag={tag} choices={hub} /> : null}
    >
      <TagForm id="edit-tag" action={`/newsroom/tags/${tag.id}`} state={form} submit="Save tag" editing={tag} />
    </EditScreen>
  );
}

export interface HubChoices {
  leadId: number | null;
  stories: Array<{ id: number; headline: string; publishedAt: string }>;
}

/**
 * A special-coverage tag's page is a hub: this panel chooses the story it
 * leads with, among the recent published stories with the tag, or none (the
 * hub then starts with its live story and the latest pieces).
 */
export function HubLeadPanel({ tag, choices }: { tag: Tag; choices: HubChoices }) {
  const checked = choices.leadId === null ? 'none' : String(choices.leadId);
  const option = (value: string, label: ComponentChildren) => (
    <div class="field field--check">
      <input id={`hub-lead-${value}`} name="lead" type="radio" value={value} checked={value === checked} />
      <label for={`hub-lead-${value}`}>{label}</label>
    </div>
  );
  return (
    <section class="nr-panel tx-hub" aria-labelledby="tx-hub-lead">
      <h2 id="tx-hub-lead">Hub lead</h2>
      <p>
        <a href={`/tag/${tag.slug}`}>/tag/{tag.slug}</a> is a special-coverage hub. Choose the story it leads with; the live story running under
        the tag and the latest pieces follow.
      </p>
      {choices.stories.length ? null : <p class="tx-muted">No published story carries this tag yet: tag one first.</p>}
      <TxForm action={`/newsroom/tags/${tag.id}/hub`} submit="Save hub lead">
        <fieldset class="tx-choices">
          <legend>Lead story</legend>
          {option('none', 'No lead')}
          {choices.stories.map((s) =>
            option(
              String(s.id),
              <>
                {s.headline} <span class="tx-muted">({s.publishedAt ? utcText(s.publishedAt) : 'not published'})</span>
              </>,
            ),
          )}
        </fieldset>
      </TxForm>
    </section>
  );
}
