/**
 * Form fields and page frames of the newsroom's management screens (sections, tags, authors,
 * breaking news, settings). Plain HTML forms: each field has a visible label,
 * keeps what was typed when the page comes back with an error, and is marked
 * aria-invalid when the error is about it (the message itself is the page's
 * role=alert).
 */
import type { ComponentChildren } from 'preact';
import { PostButton, type PostButtonProps } from './controls.js';

/** What a form holds, as typed (strings, the way the browser sends them). */
export type FormValues = Record<string, string>;

/** The form's state on the page: its values, and which field the page's error is about. */
export interface FormState {
  values: FormValues;
  /** The field the error names, if any. */
  invalid?: string | null;
}

interface FieldBase {
  /** The form's id prefix, so two forms on a page never share ids. */
  form: string;
  name: string;
  label: string;
  state: FormState;
  hint?: ComponentChildren;
  required?: boolean;
}

const idOf = (form: string, name: string) => `${form}-${name}`;

function Hint({ id, hint }: { id: string; hint?: ComponentChildren }) {
  if (!hint) return null;
  return (
    <p class="field__hint" id={`${id}-hint`}>
      {hint}
    </p>
  );
}

function describedBy(id: string, hint: ComponentChildren | undefined): string | undefined {
  return hint ? `${id}-hint` : undefined;
}

export function TextField({ form, name, label, state, hint, required, maxLength, type = 'text', placeholder }: FieldBase & {
  maxLength?: number;
  type?: 'text' | 'number' | 'datetime-local' | 'search';
  placeholder?: string;
}) {
  const id = idOf(form, name);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type as 'text'}
        value={state.values[name] ?? ''}
        required={required}
        maxLength={type === 'text' ? maxLength : undefined}
        placeholder={placeholder}
        step={type === 'number' ? 'any' : undefined}
        aria-invalid={state.invalid === name ? 'true' : undefined}
        aria-describedby={describedBy(id, hint)}
      />
      <Hint id={id} hint={hint} />
    </div>
  );
}

export function TextArea({ form, name, label, state, hint, required, maxLength, rows = 3 }: FieldBase & { maxLength?: number; rows?: number }) {
  const id = idOf(form, name);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        required={required}
        maxLength={maxLength}
        aria-invalid={state.invalid === name ? 'true' : undefined}
        aria-describedby={describedBy(id, hint)}
      >
        {state.values[name] ?? ''}
      </textarea>
      <Hint id={id} hint={hint} />
    </div>
  );
}

export function SelectField({ form, name, label, state, hint, options }: FieldBase & { options: Array<{ value: string; label: string }> }) {
  const id = idOf(form, name);
  const selected = state.values[name] ?? '';
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={state.invalid === name ? 'true' : undefined} aria-describedby={describedBy(id, hint)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === selected}>
            {o.label}
          </option>
        ))}
      </select>
      <Hint id={id} hint={hint} />
    </div>
  );
}

/** A checkbox; checked when the form's value for it is "on" (what a browser sends). */
export function CheckboxField({ form, name, label, state, hint, value = 'on', checked }: FieldBase & { value?: string; checked?: boolean }) {
  const id = idOf(form, value === 'on' ? name : `${name}-${value}`);
  return (
    <div class="field field--check">
      <input
        id={id}
        name={name}
        type="checkbox"
        value={value}
        checked={checked ?? state.values[name] === value}
        aria-invalid={state.invalid === name ? 'true' : undefined}
        aria-describedby={describedBy(id, hint)}
      />
      <label for={id}>{label}</label>
      <Hint id={id} hint={hint} />
    </div>
  );
}

/** A one-button form (delete, clear, move): plain POST, with an optional confirmation the newsroom script asks for. */
export function ButtonForm(props: Omit<PostButtonProps, 'class'>) {
  return <PostButton class="tx-button-form" {...props} />;
}

/** A management form: its fields, then the button that saves them. */
export function TxForm({ action, submit, children }: { action: string; submit: string; children: ComponentChildren }) {
  return (
    <form method="post" action={action} class="nr-form tx-form">
      {children}
      <button type="submit" class="button button--primary">
        {submit}
      </button>
    </form>
  );
}

export interface EditScreenProps {
  /** "section", "tag", "author": names the panels' headings. */
  kind: string;
  /** The list of them, and what it is called ("All tags"). */
  list: { href: string; label: string };
  /** Its page on the site. */
  publicPath: string;
  /** The edit form. */
  children: ComponentChildren;
  /** What deleting it does, and when it cannot be done. */
  deleteNote: string;
  deleteAction: string;
  /** Its name, for the delete button. */
  name: string;
  confirm: string;
  /** Panels of its own between the form and deleting it (a tag's hub lead). */
  more?: ComponentChildren;
}

/** The edit page of one section, tag or author: the way back, the form, and deleting it. */
export function EditScreen({ kind, list, publicPath, children, deleteNote, deleteAction, name, confirm, more }: EditScreenProps) {
  return (
    <>
      <p>
        <a href={list.href}>← {list.label}</a> · <a href={publicPath}>View {publicPath} on the site</a>
      </p>
      <section class="nr-panel" aria-labelledby={`tx-edit-${kind}`}>
        <h2 id={`tx-edit-${kind}`}>Edit</h2>
        {children}
      </section>
      {more}
      <section class="nr-panel tx-danger" aria-labelledby={`tx-delete-${kind}`}>
        <h2 id={`tx-delete-${kind}`}>Delete</h2>
        <p>{deleteNote}</p>
        <ButtonForm action={deleteAction} label={`Delete ${name}`} danger confirm={confirm} />
      </section>
    </>
  );
}

/** "2026-11-29 14:05 UTC": how the newsroom states a time, with its zone. */
export function utcText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The value of a datetime-local field for a time, in UTC ("2026-11-29T14:05"). */
export function utcInputValue(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 16);
}
