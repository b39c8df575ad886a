import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery protection without tokens (pages are cached and
 * shared, so they cannot carry a per-reader token). A browser names where a
 * request comes from in `Sec-Fetch-Site` and `Origin`; a state-changing request
 * from another site is refused. A request with neither header does not come
 * from a browser page, so it cannot ride a reader's cookie. Requests
 * authenticated by a bearer token carry no ambient credentials and pass.
 */
export function isCrossSiteRequest(req: FastifyRequest, siteOrigin: string): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  if (typeof req.headers.authorization === 'string' && /^Bearer /i.test(req.headers.authorization) && !req.headers.cookie) return false;
  const fetchSite = req.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = req.headers.origin;
  if (typeof origin === 'string') return origin === 'null' || origin !== siteOrigin;
  return false;
}

export function csrfGuard(siteUrl: string) {
  const siteOrigin = new URL(siteUrl).origin;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!isCrossSiteRequest(req, siteOrigin)) return;
    req.log.warn({ origin: req.headers.origin, fetchSite: req.headers['sec-fetch-site'] }, 'cross-site request refused');
    const message = 'This request came from another site and was refused. Nothing was changed.';
    if (req.url.startsWith('/api/')) return reply.code(403).send({ error: { code: 'cross_site_request', message } });
    return reply.code(403).type('text/plain; charset=utf-8').send(message);
  };
}
