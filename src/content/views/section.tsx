import { Pagination, StoryCard, pageHref, toneClass } from '../../web/components.js';
import { Icon } from '../../web/icons.js';
import { Layout } from '../../web/layout.js';
import type { Chrome, SectionPageProps } from '../../web/view-types.js';

export function SectionPage(props: SectionPageProps & { chrome: Chrome }) {
  const { chrome, section, articles } = props;
  const { page, totalPages, items } = articles;
  const title = page > 1 ? `${section.name}: page ${page}` : section.name;
  return (
    <Layout
      chrome={chrome}
      meta={{
        title,
        description: section.description || `The latest ${section.name} news from ${chrome.site.name}.`,
        canonicalPath: pageHref(section.path, page),
        activeSection: section.slug,
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
