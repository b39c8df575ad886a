/**
 * An embed by URL, made safe: instead of running a third party's script
 * (oEmbed, iframes), the page is fetched once through the safe fetcher when
 * the post is saved, and its title, description and site name are kept as a
 * plain link card. A page that cannot be fetched (refused, slow, not HTML)
 * still gives a card naming its host; the reader's browser never talks to
 * the embedded site until the reader follows the link.
 */
import { dispatchUserAgent, safeFetch } from '../platform/safe-fetch.js';

export interface LinkCard {
  title: string;
  description: string | null;
  site: string;
}

export type LinkCardReader = (url: string) => Promise<LinkCard>;

const MAX_HTML_BYTES = 512 * 1024;
const TIMEOUT_MS = 4000;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };
function decode(s: string): string {
  return s
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_m, e: string) => ENTITIES[e]!)
    .replace(/&#(\d{1,6});/g, (_m, n: string) => { const c = Number(n); return c > 31 && c < 0x110000 ? String.fromCodePoint(c) : ''; })
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `<meta property|name="…" content="…">` in either attribute order. */
function meta(head: string, name: string): string | null {
  const re = new RegExp(`<meta\\b[^>]*?(?:property|name)\\s*=\\s*["']${name}["'][^>]*>`, 'i');
  const tag = re.exec(head)?.[0];
  const content = tag && /\bcontent\s*=\s*("([^"]*)"|'([^']*)')/i.exec(tag);
  const value = content ? decode(content[2] ?? content[3] ?? '') : '';
  return value || null;
}

/** The card a page's head describes (og: tags first, then <title>). */
export function linkCardOf(html: string, url: string): LinkCard {
  const head = html.slice(0, 200_000);
  const host = new URL(url).hostname.replace(/^www\./, '');
  const title = meta(head, 'og:title') ?? (decode(/<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(head)?.[1] ?? '') || null);
  return {
    title: (title ?? host).slice(0, 300),
    description: (meta(head, 'og:description') ?? meta(head, 'description'))?.slice(0, 500) ?? null,
    site: (meta(head, 'og:site_name') ?? host).slice(0, 120),
  };
}

/** Reads link cards through the safe fetcher; never throws (a refused page is a card naming its host). */
export function createLinkCardReader({ siteUrl, allowHosts }: { siteUrl: string; allowHosts?: readonly string[] }): LinkCardReader {
  return async (url) => {
    const host = new URL(url).hostname.replace(/^www\./, '');
    try {
      const res = await safeFetch(url, {
        timeoutMs: TIMEOUT_MS, maxBytes: MAX_HTML_BYTES, userAgent: dispatchUserAgent(siteUrl), allowHosts,
        headers: { accept: 'text/html,application/xhtml+xml' },
      });
      const type = String(res.headers['content-type'] ?? '');
      if (res.status !== 200 || !/html/i.test(type)) return { title: host, description: null, site: host };
      return linkCardOf(res.body.toString('utf8'), res.finalUrl);
    } catch {
      return { title: host, description: null, site: host };
    }
  };
}
