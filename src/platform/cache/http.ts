import zlib from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagOf, type CachedPage, type PageCache } from './page-cache.js';

export interface CacheableResponse {
  status?: number;
  contentType: string;
  body: string;
  keys: string[];
  sMaxAge?: number;
  /** For redirects (301): where to. */
  location?: string;
}

/** Default lifetime a shared cache (CDN, reverse proxy) may keep a public response. */
export const DEFAULT_S_MAXAGE = 60;

export function toCachedPage(r: CacheableResponse): CachedPage {
  return {
    status: r.status ?? 200,
    contentType: r.contentType,
    body: r.body,
    etag: etagOf(r.body),
    keys: r.keys,
    sMaxAge: r.sMaxAge ?? DEFAULT_S_MAXAGE,
    ...(r.location ? { location: r.location } : {}),
  };
}

/**
 * The cache key of a public GET: its path plus the query parameters its schema
 * kept (unknown ones were removed by validation), sorted, so `?utm_source=x`
 * cannot fill the cache with copies of one page. A parameter at its schema's
 * default is left out, so `/africa` and `/africa?page=1` are one page, stored
 * under `/africa`: the URL readers follow is its own key, which the cache-hit
 * path (hit-path.ts) can find before routing. A route without a query schema
 * reads no query: its key is the path alone.
 */
export function cacheKeyOf(req: FastifyRequest): string {
  const path = req.url.split('?')[0]!;
  const schema = req.routeOptions.schema?.querystring as { properties?: Record<string, { default?: unknown }> } | undefined;
  if (!schema) return path;
  const query = req.query && typeof req.query === 'object' ? (req.query as Record<string, unknown>) : {};
  const params = Object.keys(query)
    .filter((k) => query[k] !== undefined && query[k] !== schema.properties?.[k]?.default)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`);
  return params.length ? `${path}?${params.join('&')}` : path;
}

/** The Cache-Control of a public response a shared cache may keep for `sMaxAge` seconds. */
export function cacheControlOf(page: CachedPage): string {
  return `public, max-age=15, s-maxage=${page.sMaxAge}, stale-while-revalidate=${page.sMaxAge * 2}`;
}

/** The encoding a page is sent in for this Accept-Encoding: none for bodies too small to gain from it. */
export function encodingFor(page: CachedPage, acceptEncoding: string | string[] | undefined): 'br' | 'gzip' | null {
  return page.body.length >= 1024 ? preferredEncoding(acceptEncoding) : null;
}

/** The page's bytes in `encoding`, compressed once per cached page, not once per request: a spike costs one compression. */
export function bodyIn(page: CachedPage, encoding: 'br' | 'gzip' | null): Buffer {
  if (encoding === 'br') return (page.br ??= zlib.brotliCompressSync(page.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }));
  if (encoding === 'gzip') return (page.gzip ??= zlib.gzipSync(page.body, { level: 6 }));
  return (page.raw ??= Buffer.from(page.body, 'utf8'));
}

/** Sends a cacheable public response with ETag, Cache-Control and surrogate keys (Surrogate-Key, and xkey for Varnish), answering 304 when it can. */
export function sendPage(req: FastifyRequest, reply: FastifyReply, page: CachedPage): FastifyReply {
  reply
    .header('ETag', page.etag)
    .header('Cache-Control', cacheControlOf(page))
    .header('Surrogate-Key', page.keys.join(' '))
    .header('xkey', page.keys.join(' ')) // vmod_xkey's name for the same keys (Varnish purges by them)
    .header('Vary', 'Accept-Encoding');
  if (page.status === 200 && ifNoneMatch(req.headers['if-none-match'], page.etag)) {
    return reply.code(304).send();
  }
  if (page.location) reply.header('Location', page.location);
  reply.code(page.status).type(page.contentType);
  const encoding = encodingFor(page, req.headers['accept-encoding']);
  if (encoding) reply.header('Content-Encoding', encoding);
  return reply.send(bodyIn(page, encoding));
}

/** Answers of preferredEncoding by header: browsers send a handful of spellings, parsed once each. */
const encodingByHeader = new Map<string, 'br' | 'gzip' | null>();
const ENCODINGS_REMEMBERED = 64;

/** br if the client takes it, else gzip, else none (an encoding with q=0 is refused). */
export function preferredEncoding(header: string | string[] | undefined): 'br' | 'gzip' | null {
  const value = Array.isArray(header) ? header.join(',') : header ?? '';
  const known = encodingByHeader.get(value);
  if (known !== undefined) return known;
  const chosen = parseAcceptEncoding(value);
  // Bounded: odd headers from odd clients cannot grow it.
  if (encodingByHeader.size >= ENCODINGS_REMEMBERED) encodingByHeader.clear();
  encodingByHeader.set(value, chosen);
  return chosen;
}

function parseAcceptEncoding(value: string): 'br' | 'gzip' | null {
  const accepted = new Set<string>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) === 0)) accepted.add(name);
  }
  if (accepted.has('br')) return 'br';
  if (accepted.has('gzip')) return 'gzip';
  return null;
}

export function ifNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/** Renders through the page cache and sends. */
export async function serveCached(
  req: FastifyRequest,
  reply: FastifyReply,
  cache: PageCache,
  render: () => Promise<CacheableResponse>,
): Promise<FastifyReply> {
  const page = await cache.getOrRender(cacheKeyOf(req), async () => toCachedPage(await render()));
  return sendPage(req, reply, page);
}
