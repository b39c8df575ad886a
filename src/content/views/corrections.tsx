import { Pagination, pageHref } from '../../web/components.js';
import { Layout } from '../../web/layout.js';
import { exactTime } from '../../web/relative-time.js';
import type { Chrome } from '../../web/view-types.js';
import { CORRECTION_LABELS, correctionAnchor, correctionDate, paths, type Page, type SiteCorrection } from '../content.model.js';
import { breadcrumbLd } from './structured-data.js';

/** /corrections: the site's corrections, clarifications and updates, newest first, each linking to its story. */
export function CorrectionsPage({ chrome, corrections }: { chrome: Chrome; corrections: Page<SiteCorrection> }) {
  const { page, totalPages, items } = corrections;
  const path = paths.corrections();
  const title = page > 1 ? `Corrections: page ${page}` : 'Corrections';
  return (
    <Layout
      chrome={chrome}
      meta={{
        title,
        description: `Corrections, clarifications and updates to stories published by ${chrome.site.name}, newest first.`,
        canonicalPath: pageHref(path, page),
        structuredData: [breadcrumbLd(chrome.site, [{ name: 'Home', path: '/' }, { name: 'Corrections', path }])],
      }}
    >
      <header class="page-header">
        <p class="page-header__kicker">For the record</p>
        <h1 class="page-header__title">Corrections</h1>
        <p class="page-header__description">
          When we get something wrong we say so on the story, with the date, and list it here. Read our <a href="/corrections-policy">corrections policy</a>.
          Follow them by <a href={paths.feed(path, 'rss')}>RSS</a> or <a href={paths.feed(path, 'atom')}>Atom</a>.
        </p>
      </header>
      {items.length === 0 ? (
        <p class="empty-state">No corrections yet.</p>
      ) : (
        <ol class="corrections-page" role="list">
          {items.map((c) => (
            <li class="corrections-page__item" data-correction-id={String(c.id)}>
              <h2 class="corrections-page__story">
                <a href={`${c.article.path}#${correctionAnchor(c.id)}`}>{c.article.headline}</a>
              </h2>
              <p class="corrections-page__note">
                <strong>
                  {CORRECTION_LABELS[c.kind]}, <time dateTime={c.at} title={exactTime(c.at)}>{correctionDate(c.at)}</time>:
                </strong>{' '}
                {c.note}
              </p>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} totalPages={totalPages} basePath={path} words={{ prev: 'Newer', next: 'Older', what: 'corrections' }} />
    </Layout>
  );
}
