import { Layout } from '../../web/layout.js';
import type { Chrome } from '../../web/view-types.js';
import type { SitePage } from '../site-page.service.js';
import { breadcrumbLd, publisherLd } from './structured-data.js';

/** /about, /contact, /corrections-policy, /privacy, /terms: the organisation's pages. */
export function SitePageView({ chrome, page }: { chrome: Chrome; page: SitePage }) {
  const url = chrome.site.url + page.path;
  const type = page.slug === 'about' ? 'AboutPage' : page.slug === 'contact' ? 'ContactPage' : 'WebPage';
  return (
    <Layout
      chrome={chrome}
      meta={{
        title: page.title,
        description: page.summary || undefined,
        canonicalPath: page.path,
        structuredData: [
          { '@context': 'https://schema.org', '@type': type, '@id': url, url, name: page.title, ...(page.updatedAt ? { dateModified: page.updatedAt } : {}), publisher: publisherLd(chrome.site) },
          breadcrumbLd(chrome.site, [{ name: 'Home', path: '/' }, { name: page.name, path: page.path }]),
        ],
      }}
    >
      <article class="site-page" data-site-page={page.slug}>
        <header class="page-header">
          <h1 class="page-header__title">{page.title}</h1>
          {page.summary ? <p class="page-header__description">{page.summary}</p> : null}
        </header>
        <div class="article-body" dangerouslySetInnerHTML={{ __html: page.bodyHtml }} />
      </article>
    </Layout>
  );
}
