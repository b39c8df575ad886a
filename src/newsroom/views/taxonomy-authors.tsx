/**
 * /newsroom/authors (editors): the byline authors, a form for a new one, and
 * the edit page of one author (name, address, bio, delete).
 */
import type { Author } from '../../platform/db/types.js';
import { TableHead } from './controls.js';
import { EditScreen, TextArea, TextField, TxForm, type FormState, type FormValues } from './taxonomy-fields.js';

export function authorFormValues(a: Author): FormValues {
  return { name: a.name, slug: a.slug, bio: a.bio };
}

function AuthorForm({ id, action, state, submit, editing }: { id: string; action: string; state: FormState; submit: string; editing?: Author }) {
  const slugHint = editing ? (
    <>
      Their page is <code>/author/{editing.slug}</code>. Change it and <strong>the old address will redirect</strong> (301) to the new one.
    </>
  ) : (
    'The address of their page (/author/…). Leave it empty to make one from the name. Lowercase letters, digits and hyphens.'
  );
  return (
    <TxForm action={action} submit={submit}>
      <TextField form={id} name="name" label="Name" state={state} required maxLength={120} hint="As the byline shows it." />
      <TextField form={id} name="slug" label="Slug" state={state} required={!!editing} maxLength={120} hint={slugHint} />
      <TextArea form={id} name="bio" label="Bio" state={state} maxLength={2000} rows={4} hint="Shown on their author page (up to 2,000 characters)." />
    </TxForm>
  );
}

export function AuthorsScreen({ authors, create }: { authors: Author[]; create: FormState }) {
  return (
    <>
      <p class="tx-muted">
        {authors.length === 0 ? 'There are no authors yet.' : `${authors.length} ${authors.length === 1 ? 'author' : 'authors'}, by name.`}
      </p>
      {authors.length ? (
        <table class="nr-table tx-table">
          <TableHead columns={['Author', 'Address', 'Bio']} />
          <tbody>
            {authors.map((a) => (
              <tr>
                <td>
                  <a href={`/newsroom/authors/${a.id}`}>{a.name}</a>
                </td>
                <td>
                  <a href={`/author/${a.slug}`}>/author/{a.slug}</a>
                </td>
                <td class="tx-excerpt">{a.bio ? (a.bio.length > 120 ? `${a.bio.slice(0, 117)}…` : a.bio) : <span class="tx-muted">None</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <section class="nr-panel tx-new" aria-labelledby="tx-new-author">
        <h2 id="tx-new-author">New author</h2>
        <AuthorForm id="new-author" action="/newsroom/authors" state={create} submit="Create author" />
      </section>
    </>
  );
}

export function AuthorEditScreen({ author, form }: { author: Author; form: FormState }) {
  return (
    <EditScreen
      kind="author"
      list={{ href: '/newsroom/authors', label: 'All authors' }}
      publicPath={`/author/${author.slug}`}
      deleteNote="Only an author without bylines can be deleted: stories keep who wrote them. Their page then stops working."
      deleteAction={`/newsroom/authors/${author.id}/delete`}
      name={author.name}
      confirm={`Delete the author ${author.name}?`}
    >
      <AuthorForm id="edit-author" action={`/newsroom/authors/${author.id}`} state={form} submit="Save author" editing={author} />
    </EditScreen>
  );
}
