/** The feed of a page: `/feed.xml` for the home page, `/africa/atom.xml` for a section, and so on. */
export function feedPath(pagePath: string, format: 'rss' | 'atom' | 'json'): string {
  return `${pagePath === '/' ? '' : pagePath}/${format === 'rss' ? 'feed.xml' : format === 'atom' ? 'atom.xml' : 'feed.json'}`;
}

/** A site path made absolute (`/africa` → `https://news.example/africa`); other URLs as they are. */
export function absoluteUrl(siteUrl: string, url: string): string {
  return isSitePath(url) ? siteUrl + url : url;
}

/** Whitespace (any), backslashes and control characters: none of them belongs in a link we write. */
const NOT_IN_A_PATH = /[\s\\\u0000-\u001f\u007f-\u009f]/;
/** Nor in an absolute URL (where a space is merely encoded). */
const NOT_IN_A_URL = /[\\\u0000-\u001f\u007f-\u009f]/;

/**
 * A path on this site: starts with one `/` (not `//host`), and holds no
 * backslash, whitespace or control character anywhere. Browsers read `/\host`
 * and `/<tab>/host` as `//host`, another site; this refuses them.
 */
export function isSitePath(s: unknown): s is string {
  return typeof s === 'string' && s.startsWith('/') && !s.startsWith('//') && !NOT_IN_A_PATH.test(s);
}

/**
 * The one check for a URL from outside (a body link, a hero image, an author
 * photo, the breaking strip's link): a site path as it is, or an absolute
 * http(s) URL (with `mailto: true`, a mailto: address too) as `URL` writes it;
 * anything else is null and must not become an href or a src.
 */
export function safeUrl(raw: unknown, { mailto = false }: { mailto?: boolean } = {}): string | null {
  if (typeof raw !== 'string' || raw.length > 2000) return null;
  const s = raw.trim();
  if (isSitePath(s)) return s;
  if (!/^(https?|mailto):/i.test(s) || NOT_IN_A_URL.test(s)) return null;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return null;
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname ? url.href : null;
  if (mailto && url.protocol === 'mailto:') return url.href;
  return null;
}
