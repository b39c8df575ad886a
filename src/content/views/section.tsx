import { Pagination, pageHref } from '../../web/components.js';
import { StoryCard, toneClass } from './story-parts.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import type { Chrome, PagePreview } from '../../web/view-types.js';
import type { SectionPageProps } from './page-props.js';
import { breadcrumbLd, collectionPageLd } from './structured-data.js';

export function SectionPage(props: SectionPageProps & { chrome: Chrome; preview?: PagePreview }) {
  const { chrome, section, articles } = props;
  const { page, totalPages, items } = articles;
  const title = page > 1 ? `${section.name}: page ${page}` : section.name;
  const description = section.description || `The latest ${section.name} news from ${chrome.site.name}.`;
  const crumbs = [
    { name: 'Home', path: '/' },
    ...(section.parent ? [{ name: section.parent.name, path: section.parent.path }] : []),
    { name: section.name, path: section.path },
  ];
  return (
    <Layout
      chrome={chrome}
      preview={props.preview}
      meta={{
        title,
        description,
        canonicalPath: pageHref(section.path, page),
        activeSection: section.slug,
        feed: { title: section.name, path: section.path },
        structuredData: [
          collectionPageLd(chrome.site, { name: title, description, path: pageHref(section.path, page) }, items, (page - 1) * articles.pageSize + 1),
          breadcrumbLd(chrome.site, crumbs),
        ],
      }}
    >
      <header class={`page-header ${toneClass(section)}`}>
        {section.parent ? (
          <p class="page-header__kicker">
            <a href={section.parent.path}>
              <span class="visually-hidden">Part of </span>
              {section.parent.name}
            </a>
          </p>
        ) : null}
        <h1 class="page-header__title">
          <Icon name={section.icon} size={30} />
          <span>{section.name}</span>
        </h1>
        {section.description ? <p class="page-header__description">{section.description}</p> : null}
        {section.children.length ? (
          <nav class="chip-nav" aria-label={`${section.name} subsections`}>
            <ul role="list">
              {section.children.map((c) => (
                <li>
                  <a class="chip" href={c.path}>
                    {c.name}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>

      {items.length === 0 ? (
        <p class="empty-state">No stories in this section yet.</p>
      ) : (
        <ul class="card-grid story-list" role="list">
          {items.map((a, i) => (
            <li class={i === 0 && page === 1 ? 'card-grid__lead' : undefined}>
              <StoryCard
                article={a}
                now={chrome.now}
                variant={i === 0 && page === 1 ? 'lead' : 'standard'}
                headingLevel={2}
                showSection={a.section.slug !== section.slug}
              />
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} totalPages={totalPages} basePath={section.path} />
    </Layout>
  );
}
