import { Layout } from '../layout.js';
import { Icon } from '../icons.js';
import type { Chrome, ErrorPageProps } from '../view-types.js';

/** A readable error in the site's look. Never shows internals: only what the route chose to say. */
export function ErrorPage(props: ErrorPageProps & { chrome: Chrome }) {
  const { chrome, status, title, message } = props;
  return (
    <Layout chrome={chrome} meta={{ title, description: message, canonicalPath: '/', noindex: true }}>
      <section class="error-page" aria-labelledby="error-title">
        <p class="error-page__status">
          <span class="visually-hidden">Error </span>
          {status}
        </p>
        <h1 id="error-title" class="error-page__title">
          {title}
        </h1>
        <p class="error-page__message">{message}</p>
        <p>
          <a class="button" href="/">
            Go to the home page
          </a>
        </p>
        {chrome.sections.length ? (
          <nav class="error-page__sections" aria-labelledby="error-sections">
            <h2 id="error-sections" class="block-heading">
              Or browse a section
            </h2>
            <ul class="chip-nav__list" role="list">
              {chrome.sections.map((s) => (
                <li>
                  <a class="chip" href={s.path}>
                    <Icon name={s.icon} size={16} />
                    <span>{s.name}</span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </section>
    </Layout>
  );
}
