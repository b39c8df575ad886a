/**
 * Pieces the newsroom's screens share: a one-button POST form that may ask
 * first, a GET filter form and its fields, a table's column headings, and
 * the pager. Plain HTML that works without JavaScript; the newsroom script
 * only asks the `data-confirm` question (src/client/newsroom/confirm.ts).
 */
import type { ComponentChildren } from 'preact';
import { Pagination } from '../../web/components.js';

export interface Option {
  value: string;
  label: string;
}

/** Hidden inputs carrying `fields` (e.g. where to come back to after the action). */
export function HiddenFields({ fields }: { fields: Record<string, string> }) {
  return (
    <>
      {Object.entries(fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

export interface PostButtonProps {
  action: string;
  /** The button's visible label. */
  label: ComponentChildren;
  /** Read after the label by screen readers only: what the button acts on ("the token wire desk"). */
  what?: string;
  fields?: Record<string, string>;
  /** Asked before the form is sent (with JavaScript). */
  confirm?: string;
  danger?: boolean;
  small?: boolean;
  /** The form's class. */
  class?: string;
  /** A fuller name for screen readers when the visible label is short ("Up"). */
  accessibleLabel?: string;
  describedBy?: string;
}

/** A form with one button (delete, revoke, disable, move): a plain POST of `fields` to `action`. */
export function PostButton({ action, label, what, fields = {}, confirm, danger, small, class: cls, accessibleLabel, describedBy }: PostButtonProps) {
  const buttonClass = ['button', small ? 'button--small' : '', danger ? 'button--danger' : ''].filter(Boolean).join(' ');
  return (
    <form method="post" action={action} class={cls} data-confirm={confirm}>
      <HiddenFields fields={fields} />
      <button type="submit" class={buttonClass} aria-label={accessibleLabel} aria-describedby={describedBy}>
        {label}
        {what ? <span class="visually-hidden"> {what}</span> : null}
      </button>
    </form>
  );
}

/** A submit button in a row of fields. */
export function SubmitField({ label, class: cls = 'button' }: { label: string; class?: string }) {
  return (
    <div class="nr-field">
      <button type="submit" class={cls}>
        {label}
      </button>
    </div>
  );
}

/** A labelled select; the option whose value is `value` is chosen. */
export function LabeledSelect({ id, name, label, value, options }: { id: string; name: string; label: string; value: string | undefined; options: readonly Option[] }) {
  return (
    <div class="nr-field">
      <label for={id}>{label}</label>
      <select id={id} name={name}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled search box for the text a list is filtered by (`q`). */
export function SearchField({ id, label, value, class: cls }: { id: string; label: string; value: string; class?: string }) {
  return (
    <div class={cls ? `nr-field ${cls}` : 'nr-field'}>
      <label for={id}>{label}</label>
      <input id={id} type="search" name="q" value={value} maxLength={200} />
    </div>
  );
}

export interface FilterFormProps {
  /** The list's address: the form GETs it, and "clear" links to it. */
  action: string;
  class: string;
  /** The search landmark's name. */
  label: string;
  submit: string;
  submitClass?: string;
  /** The link back to everything, while a filter is on. */
  clear: { text: string; class?: string } | null;
  /** The fields. */
  children: ComponentChildren;
  /** After the clear link (e.g. how many match). */
  footer?: ComponentChildren;
}

/** A list's filters: a plain GET form, so every filtered view has its own address. */
export function FilterForm({ action, class: cls, label, submit, submitClass, clear, children, footer }: FilterFormProps) {
  return (
    <form method="get" action={action} class={`nr-form nr-inline ${cls}`} role="search" aria-label={label}>
      {children}
      <SubmitField label={submit} class={submitClass} />
      {clear ? (
        <p class={clear.class}>
          <a href={action}>{clear.text}</a>
        </p>
      ) : null}
      {footer}
    </form>
  );
}

/**
 * A table's column headings; `actions` names a last column of buttons for
 * screen readers only.
 */
export function TableHead({ columns, actions }: { columns: ComponentChildren[]; actions?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((c) => (
          <th scope="col">{c}</th>
        ))}
        {actions ? (
          <th scope="col">
            <span class="visually-hidden">{actions}</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

/** Previous and next pages of a newsroom list ("Pages of stories"). */
export function Pager({ page, totalPages, what, href }: { page: number; totalPages: number; what: string; href: (page: number) => string }) {
  return <Pagination page={page} totalPages={totalPages} href={href} words={{ prev: 'Previous', next: 'Next', what }} label={`Pages of ${what}`} />;
}
