import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { CachedPage, PageCache } from './page-cache.js';
import { bodyIn, cacheControlOf, encodingFor, ifNoneMatch } from './http.js';

const ANSWERED = Symbol('answeredFromPageCache');

/** Whether the cache-hit path answered this request (its completion is logged at debug, not info). */
export function answeredByHitPath(req: FastifyRequest): boolean {
  return (req.raw as { [ANSWERED]?: true })[ANSWERED] === true;
}

export interface HitPathOptions {
  cache: PageCache;
  /** Sent with every response (platform/security-headers.ts). */
  securityHeaders: ReadonlyArray<readonly [string, string]>;
  /** While draining, responses carry `Connection: close`: those go the usual way. */
  draining: () => boolean;
}

/**
 * The cache-hit path: the app's first onRequest hook answers a GET or HEAD
 * whose URL has a fresh page in the page cache, before body parsing, cookies,
 * sessions, CSRF and the route's handler, with a response head built once per
 * cached page. Anything else (a miss, a stale copy, a purged URL) carries on to
 * the route, whose serveCached keeps the render coalescing and the stale-while-
 * revalidate behaviour.
 *
 * The URL is looked up as it came: a page is stored under its cache key
 * (cacheKeyOf: the path plus the query parameters its route's schema kept,
 * sorted), so a request whose URL is exactly a stored key is a request for
 * that page. A URL with anything else in its query (`?utm_source=x`, an
 * unsorted or differently spelt query) is not found here and the route
 * validates it and finds the page under its real key.
 *
 * Nothing of the reader's is read or sent: the page is the same for everyone
 * (only serveCached stores pages, and no staff or personal route uses it), and
 * the response carries no Set-Cookie whatever cookies or credentials came in.
 */
export function cacheHitHook({ cache, securityHeaders, draining }: HitPathOptions) {
  const security = securityHeaders.flatMap(([name, value]) => [name, value]);
  return function answerFromPageCache(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const method = req.raw.method;
    if ((method !== 'GET' && method !== 'HEAD') || draining()) return done();
    const page = cache.peek(req.url);
    if (!page || page.status !== 200) return done();

    const res = reply.hijack().raw;
    (req.raw as { [ANSWERED]?: true })[ANSWERED] = true;
    if (ifNoneMatch(req.headers['if-none-match'], page.etag)) {
      res.writeHead(304, withRequestId((page.heads ??= {}).notModified ??= headOf(page, security, null, null), req.id));
      res.end();
      return;
    }
    const encoding = encodingFor(page, req.headers['accept-encoding']);
    const body = bodyIn(page, encoding);
    const heads = (page.heads ??= {});
    const head = (heads[encoding ?? 'identity'] ??= headOf(page, security, encoding, body.length));
    res.writeHead(200, withRequestId(head, req.id));
    // HEAD: the same head (Content-Length included), no body.
    if (method === 'HEAD') res.end();
    else res.end(body);
  };
}

/** A response head as Node's writeHead takes it (name, value, name, value…), less X-Request-Id. */
function headOf(page: CachedPage, security: string[], encoding: 'br' | 'gzip' | null, length: number | null): string[] {
  const head = [...security, 'etag', page.etag, 'cache-control', cacheControlOf(page), 'surrogate-key', page.keys.join(' '), 'xkey', page.keys.join(' '), 'vary', 'Accept-Encoding'];
  // A 304 carries the validators and caching headers only, as sendPage's does.
  if (length === null) return head;
  head.push('content-type', page.contentType);
  if (encoding) head.push('content-encoding', encoding);
  head.push('content-length', String(length));
  return head;
}

function withRequestId(head: string[], id: string): string[] {
  const out = head.slice();
  out.push('x-request-id', id);
  return out;
}
