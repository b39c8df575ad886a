/**
 * /newsroom/tags (editors): the tags with search and pages, a form for a new
 * one, and the edit page of one tag (name, address, description, special
 * coverage, delete).
 */
import type { Tag } from '../../platform/db/types.js';
import { Pagination } from '../../web/components.js';
import { ButtonForm, CheckboxField, TextArea, TextField, type FormState, type FormValues } from './taxonomy-fields.js';

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
    <form method="post" action={action} class="nr-form tx-form">
      <TextField form={id} name="name" label="Name" state={state} required maxLength={120} />
      <TextField form={id} name="slug" label="Slug" state={state} required={!!editing} maxLength={120} hint={slugHint} />
      <TextArea form={id} name="description" label="Description" state={state} maxLength={1000} hint="Shown on the tag's page and in its special-coverage banner (up to 1,000 characters)." />
      <CheckboxField form={id} name="specialCoverage" label="Special coverage" state={state} hint={SPECIAL_COVERAGE_HINT} />
      <button type="submit" class="button button--primary">
        {submit}
      </button>
    </form>
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
      <form method="get" action="/newsroom/tags" class="nr-form nr-inline tx-search" role="search">
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
          <thead>
            <tr>
              <th scope="col">Tag</th>
              <th scope="col">Address</th>
              <th scope="col">Special coverage</th>
            </tr>
          </thead>
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
      <Pagination page={page} totalPages={totalPages} label="Pages of tags" href={(n) => tagsListPath(q, n)} words={{ prev: 'Previous', next: 'Next', what: 'tags' }} />
      <section class="nr-panel tx-new" aria-labelledby="tx-new-tag">
        <h2 id="tx-new-tag">New tag</h2>
        <TagForm id="new-tag" action="/newsroom/tags" state={create} submit="Create tag" />
      </section>
    </>
  );
}

export function TagEditScreen({ tag, form }: { tag: Tag; form: FormState }) {
  return (
    <>
      <p>
        <a href="/newsroom/tags">← All tags</a> · <a href={`/tag/${tag.slug}`}>View /tag/{tag.slug} on the site</a>
      </p>
      <section class="nr-panel" aria-labelledby="tx-edit-tag">
        <h2 id="tx-edit-tag">Edit</h2>
        <TagForm id="edit-tag" action={`/newsroom/tags/${tag.id}`} state={form} submit="Save tag" editing={tag} />
      </section>
      <section class="nr-panel tx-danger" aria-labelledby="tx-delete-tag">
        <h2 id="tx-delete-tag">Delete</h2>
        <p>The stories that carry it simply lose the tag; its page stops working.</p>
        <ButtonForm action={`/newsroom/tags/${tag.id}/delete`} label={`Delete ${tag.name}`} danger confirm={`Delete the tag ${tag.name}? Its stories lose it.`} />
      </section>
    </>
  );
}
