import type { ComponentChildren } from 'preact';
import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';

export interface Field {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'hidden';
  value?: string;
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
}

export interface FormSpec {
  action: string;
  submit: string;
  fields: Field[];
  /** A dangerous action gets a red button. */
  danger?: boolean;
}

export interface FormPageProps {
  chrome: Chrome;
  title: string;
  path: string;
  intro?: ComponentChildren;
  /** An error to show above the form (role=alert). */
  error?: string | null;
  /** A confirmation to show above the form (role=status). */
  notice?: string | null;
  forms: Array<FormSpec & { heading?: string }>;
  footer?: ComponentChildren;
}

export function Form({ spec, idPrefix }: { spec: FormSpec; idPrefix: string }) {
  return (
    <form class="account-form" method="post" action={spec.action}>
      {spec.fields.map((f) => {
        const id = `${idPrefix}-${f.name}`;
        if (f.type === 'hidden') return <input type="hidden" name={f.name} value={f.value ?? ''} />;
        return (
          <div class="field">
            <label for={id}>{f.label}</label>
            <input
              id={id}
              name={f.name}
              type={(f.type ?? 'text') as 'text'}
              value={f.value ?? ''}
              autocomplete={f.autocomplete}
              required={f.required ?? true}
              minLength={f.minLength}
              maxLength={f.maxLength}
              aria-describedby={f.hint ? `${id}-hint` : undefined}
            />
            {f.hint ? (
              <p class="field__hint" id={`${id}-hint`}>
                {f.hint}
              </p>
            ) : null}
          </div>
        );
      })}
      <button type="submit" class={spec.danger ? 'button button--danger' : 'button'}>
        {spec.submit}
      </button>
    </form>
  );
}

/** Sign-in, sign-up, reset and account pages: a heading, messages and one or more forms. */
export function FormPage(props: FormPageProps) {
  const { chrome, title, path, intro, error, notice, forms, footer } = props;
  return (
    <Layout chrome={chrome} meta={{ title, canonicalPath: path, noindex: true }}>
      <section class="account-page" aria-labelledby="account-title">
        <h1 id="account-title" class="account-page__title">
          {title}
        </h1>
        {intro ? <div class="account-page__intro">{intro}</div> : null}
        {error ? (
          <p class="account-page__error" role="alert">
            {error}
          </p>
        ) : null}
        {notice ? (
          <p class="account-page__notice" role="status">
            {notice}
          </p>
        ) : null}
        {forms.map((f, i) => (
          <section class="account-page__section" aria-labelledby={f.heading ? `form-${i}-heading` : undefined}>
            {f.heading ? (
              <h2 id={`form-${i}-heading`} class="account-page__heading">
                {f.heading}
              </h2>
            ) : null}
            <Form spec={f} idPrefix={`form-${i}`} />
          </section>
        ))}
        {footer ? <div class="account-page__footer">{footer}</div> : null}
      </section>
    </Layout>
  );
}
