import { Pagination, pageHref } from '../../web/components.js';
import { StoryCard } from './story-parts.js';
import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';
import type { TagPageProps } from './page-props.js';
import { breadcrumbLd, collectionPageLd } from './structured-data.js';
import { HubTop } from './hub.js';

export function TagPage(props: TagPageProps & { chrome: Chrome }) {
  const { chrome, tag, articles, hub } = props;
  const { page, totalPages } = articles;
  // The hub's lead is not listed again among the latest pieces.
  const items = hub?.lead ? articles.items.filter((a) => a.id !== hub.lead!.id) : articles.items;
  const title = page > 1 ? `${tag.name}: page ${page}` : tag.name;
  const description = tag.description || `Stories about ${tag.name} from ${chrome.site.name}.`;
  return (
    <Layout
      chrome={chrome}
      meta={{
        title,
        description,
        canonicalPath: pageHref(tag.path, page),
        feed: { title: tag.name, path: tag.path },
        structuredData: [
          collectionPageLd(chrome.site, { name: title, description, path: pageHref(tag.path, page) }, items, (page - 1) * articles.pageSize + 1),
          breadcrumbLd(chrome.site, [{ name: 'Home', path: '/' }, { name: tag.name, path: tag.path }]),
        ],
      }}
    >
      <header class={`page-header${tag.specialCoverage ? ' page-header--special' : ''}`}>
        {tag.specialCoverage ? <p class="special-coverage__label">Special coverage</p> : <p class="page-header__kicker">Topic</p>}
        <h1 class="page-header__title">{tag.name}</h1>
        {tag.description ? <p class="page-header__description">{tag.description}</p> : null}
      </header>
      {hub ? <HubTop hub={hub} now={chrome.now} /> : null}
      {hub && items.length ? <h2 class="block-heading">Latest</h2> : null}
      {items.length === 0 ? (
        <p class="empty-state">No stories with this tag yet.</p>
      ) : (
        <ul class="card-grid story-list" role="list">
          {items.map((a) => (
            <li>
              <StoryCard article={a} now={chrome.now} variant="standard" headingLevel={2} />
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} totalPages={totalPages} basePath={tag.path} />
    </Layout>
  );
}
