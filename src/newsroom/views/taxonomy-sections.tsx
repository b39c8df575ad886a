/**
 * /newsroom/sections (admins): the sections as the navigation shows them, a
 * tree of top-level sections and their subsections, with buttons that move
 * one up or down (each posts the whole new order), a form for a new one, and
 * the edit page of one section (rename, new address, parent, delete).
 */
import type { Section } from '../../platform/db/types.js';
import { ButtonForm, EditScreen, SelectField, TextArea, TextField, TxForm, type FormState, type FormValues } from './taxonomy-fields.js';

export interface SectionBranch {
  section: Section;
  children: Section[];
}

/**
 * The sections as the site's navigation arranges them: top-level ones in
 * order, each with its subsections in order. A section whose parent is gone
 * is shown at the top level rather than lost.
 */
export function sectionTree(sections: Section[]): SectionBranch[] {
  const byPosition = [...sections].sort((a, b) => a.position - b.position || a.id - b.id);
  const ids = new Set(byPosition.map((s) => s.id));
  const top = byPosition.filter((s) => s.parent_id === null || !ids.has(s.parent_id));
  return top.map((section) => ({ section, children: byPosition.filter((c) => c.parent_id === section.id) }));
}

const flatten = (tree: SectionBranch[]): number[] => tree.flatMap((b) => [b.section.id, ...b.children.map((c) => c.id)]);

/**
 * Every section id in the order wanted after moving one section a step up
 * (-1) or down (+1) among its siblings; null when it cannot move that way.
 */
export function orderAfterMove(tree: SectionBranch[], id: number, step: -1 | 1): number[] | null {
  const swap = <T,>(list: T[], i: number): T[] | null => {
    const j = i + step;
    if (i < 0 || j < 0 || j >= list.length) return null;
    const copy = [...list];
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    return copy;
  };
  const topIndex = tree.findIndex((b) => b.section.id === id);
  if (topIndex >= 0) {
    const moved = swap(tree, topIndex);
    return moved ? flatten(moved) : null;
  }
  for (const [i, branch] of tree.entries()) {
    const childIndex = branch.children.findIndex((c) => c.id === id);
    if (childIndex < 0) continue;
    const children = swap(branch.children, childIndex);
    if (!children) return null;
    const copy = [...tree];
    copy[i] = { section: branch.section, children };
    return flatten(copy);
  }
  return null;
}

/** The values of a section's form, from the section as saved. */
export function sectionFormValues(s: Section, all: Section[]): FormValues {
  const parent = s.parent_id !== null ? all.find((p) => p.id === s.parent_id) : undefined;
  return { name: s.name, slug: s.slug, parent: parent?.slug ?? '', description: s.description, icon: s.icon };
}

function MoveButtons({ tree, section }: { tree: SectionBranch[]; section: Section }) {
  const up = orderAfterMove(tree, section.id, -1);
  const down = orderAfterMove(tree, section.id, 1);
  return (
    <div class="tx-move">
      {up ? (
        <ButtonForm action="/newsroom/sections/order" fields={{ ids: up.join(','), moved: String(section.id) }} label="↑ Up" small accessibleLabel={`Move ${section.name} up`} />
      ) : null}
      {down ? (
        <ButtonForm action="/newsroom/sections/order" fields={{ ids: down.join(','), moved: String(section.id) }} label="↓ Down" small accessibleLabel={`Move ${section.name} down`} />
      ) : null}
    </div>
  );
}

function SectionLine({ tree, section }: { tree: SectionBranch[]; section: Section }) {
  return (
    <div class="tx-tree__line">
      <span class="tx-tree__name">
        <a href={`/newsroom/sections/${section.id}`}>{section.name}</a>
        <span class="tx-muted">
          {' '}
          at <a href={`/${section.slug}`}>/{section.slug}</a>
        </span>
      </span>
      <MoveButtons tree={tree} section={section} />
    </div>
  );
}

interface SectionFormProps {
  id: string;
  action: string;
  state: FormState;
  /** Sections that may be the parent (top-level ones, not the section itself). */
  parents: Section[];
  icons: string[];
  submit: string;
  /** The section being edited. */
  editing?: Section;
  /** It has subsections, so it must stay at the top level. */
  hasChildren?: boolean;
}

function SectionForm({ id, action, state, parents, icons, submit, editing, hasChildren }: SectionFormProps) {
  const slugHint = editing ? (
    <>
      Its address is <code>/{editing.slug}</code>. Change it and the section, and every story in it, moves to the new address;{' '}
      <strong>
        the old addresses (<code>/{editing.slug}</code> and its stories) will redirect
      </strong>{' '}
      (301) to the new ones. Lowercase letters, digits and hyphens.
    </>
  ) : (
    'The address (e.g. "middle-east" gives /middle-east). Leave it empty to make one from the name. Lowercase letters, digits and hyphens.'
  );
  return (
    <TxForm action={action} submit={submit}>
      <TextField form={id} name="name" label="Name" state={state} required maxLength={80} />
      <TextField form={id} name="slug" label="Slug" state={state} required={!!editing} maxLength={120} hint={slugHint} />
      {hasChildren ? (
        <p class="field__hint">It has subsections, so it stays at the top level of the navigation.</p>
      ) : (
        <SelectField
          form={id}
          name="parent"
          label="Parent"
          state={state}
          options={[{ value: '', label: 'None: a top-level section' }, ...parents.map((p) => ({ value: p.slug, label: p.name }))]}
          hint="A subsection (Africa) sits under its parent (World) in the navigation, and the parent's page lists its stories too."
        />
      )}
      <SelectField form={id} name="icon" label="Icon" state={state} options={icons.map((i) => ({ value: i, label: i }))} />
      <TextArea form={id} name="description" label="Description" state={state} maxLength={500} hint="Shown on the section's page (up to 500 characters)." />
    </TxForm>
  );
}

export interface SectionsScreenProps {
  sections: Section[];
  /** The new-section form. */
  create: FormState;
  icons: string[];
}

export function SectionsScreen({ sections, create, icons }: SectionsScreenProps) {
  const tree = sectionTree(sections);
  return (
    <>
      <section class="nr-panel" aria-labelledby="tx-sections-order">
        <h2 id="tx-sections-order">Navigation order</h2>
        <p class="tx-muted">
          The site's navigation shows the sections in this order, each with its subsections. Up and Down move a section among its neighbours.
        </p>
        {tree.length ? (
          <ol class="tx-tree">
            {tree.map((b) => (
              <li>
                <SectionLine tree={tree} section={b.section} />
                {b.children.length ? (
                  <ol class="tx-tree tx-tree--children" aria-label={`Subsections of ${b.section.name}`}>
                    {b.children.map((c) => (
                      <li>
                        <SectionLine tree={tree} section={c} />
                      </li>
                    ))}
                  </ol>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p>There are no sections yet.</p>
        )}
      </section>
      <section class="nr-panel" aria-labelledby="tx-new-section">
        <h2 id="tx-new-section">New section</h2>
        <SectionForm
          id="new-section"
          action="/newsroom/sections"
          state={create}
          parents={tree.map((b) => b.section)}
          icons={icons}
          submit="Create section"
        />
      </section>
    </>
  );
}

export interface SectionEditScreenProps {
  section: Section;
  sections: Section[];
  form: FormState;
  icons: string[];
}

export function SectionEditScreen({ section, sections, form, icons }: SectionEditScreenProps) {
  const tree = sectionTree(sections);
  const hasChildren = sections.some((s) => s.parent_id === section.id);
  return (
    <EditScreen
      kind="section"
      list={{ href: '/newsroom/sections', label: 'All sections' }}
      publicPath={`/${section.slug}`}
      deleteNote="Only a section without stories and without subsections can be deleted: move its stories to another section first. Its address then stops working."
      deleteAction={`/newsroom/sections/${section.id}/delete`}
      name={section.name}
      confirm={`Delete the section ${section.name}?`}
    >
      <SectionForm
        id="edit-section"
        action={`/newsroom/sections/${section.id}`}
        state={form}
        parents={tree.map((b) => b.section).filter((s) => s.id !== section.id)}
        icons={icons}
        submit="Save section"
        editing={section}
        hasChildren={hasChildren}
      />
    </EditScreen>
  );
}
