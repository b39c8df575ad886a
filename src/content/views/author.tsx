import { Pagination, pageHref } from '../../web/components.js';
import { StoryCard } from './story-parts.js';
import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';
import type { AuthorPageProps } from './page-props.js';
import { absoluteUrl, breadcrumbLd, collectionPageLd } from './structured-data.js';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase())
    .slice(0, 2)
    .join('');
}

export function AuthorPage(props: AuthorPageProps & { chrome: Chrome }) {
  const { chrome, author, articles } = props;
  const { page, totalPages, items } = articles;
  const bio = author.bio.trim();
  const title = page > 1 ? `${author.name}: page ${page}` : author.name;
  const description = bio || `Stories by ${author.name} for ${chrome.site.name}.`;
  const person = {
    '@type': 'Person',
    name: author.name,
    description: bio || undefined,
    url: chrome.site.url + author.path,
    ...(author.photoUrl ? { image: absoluteUrl(chrome.site.url, author.photoUrl) } : {}),
  };
  return (
    <Layout
      chrome={chrome}
      meta={{
        title,
        description,
        canonicalPath: pageHref(author.path, page),
        ...(author.photoUrl ? { image: { url: author.photoUrl, alt: author.name } } : {}),
        feed: { title: author.name, path: author.path },
        // A profile (its main entity is the person) that is also the collection of their stories.
        structuredData: [
          collectionPageLd(chrome.site, { name: title, description, path: pageHref(author.path, page), types: ['ProfilePage', 'CollectionPage'], about: person }, items),
          breadcrumbLd(chrome.site, [{ name: 'Home', path: '/' }, { name: author.name, path: author.path }]),
        ],
      }}
    >
      <header class="author-header">
        {author.photoUrl ? (
          <img class="author-header__photo" src={author.photoUrl} alt={author.name} width={160} height={160} />
        ) : (
          <span class="author-header__photo author-header__initials" aria-hidden="true">
            {initials(author.name)}
          </span>
        )}
        <div>
          <p class="page-header__kicker">Author</p>
          <h1 class="page-header__title">{author.name}</h1>
          {bio ? <p class="page-header__description">{bio}</p> : null}
        </div>
      </header>
      <section aria-labelledby="author-stories">
        <h2 id="author-stories" class="block-heading">
          Stories by {author.name}
        </h2>
        {items.length === 0 ? (
          <p class="empty-state">No stories by {author.name} yet.</p>
        ) : (
          <ul class="card-grid story-list" role="list">
            {items.map((a) => (
              <li>
                <StoryCard article={a} now={chrome.now} variant="standard" headingLevel={3} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <Pagination page={page} totalPages={totalPages} basePath={author.path} />
    </Layout>
  );
}
