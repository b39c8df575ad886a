/** The feed of a page: `/feed.xml` for the home page, `/africa/atom.xml` for a section, and so on. */
export function feedPath(pagePath: string, format: 'rss' | 'atom' | 'json'): string {
  return `${pagePath === '/' ? '' : pagePath}/${format === 'rss' ? 'feed.xml' : format === 'atom' ? 'atom.xml' : 'feed.json'}`;
}

/** A site path made absolute (`/africa` → `https://news.example/africa`); other URLs as they are. */
export function absoluteUrl(siteUrl: string, url: string): string {
  return url.startsWith('/') && !url.startsWith('//') ? siteUrl + url : url;
}
