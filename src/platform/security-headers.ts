import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * The security headers of every response, computed once at start.
 *
 * They are what @fastify/helmet 13 (helmet 8) sent with the options Dispatch
 * gave it (its defaults, plus our Content-Security-Policy, Cross-Origin-
 * Resource-Policy `cross-origin`, no Cross-Origin-Embedder-Policy, and HSTS
 * and `upgrade-insecure-requests` on an https site). Helmet rebuilt its twelve
 * middlewares and re-parsed the policy on every request, a sixth of a cache
 * hit; a fixed list costs nothing. security-headers.test.ts checks the list
 * against helmet's own output, so the two cannot drift apart unnoticed.
 */
export function securityHeaders(siteUrl: string): ReadonlyArray<readonly [name: string, value: string]> {
  const https = siteUrl.startsWith('https:');
  const directives = [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' https: data:",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "img-src 'self' data: https:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self'",
    ...(https ? ['upgrade-insecure-requests'] : []),
    "connect-src 'self'",
  ];
  return [
    ['content-security-policy', directives.join(';')],
    // Pages are cached and shared; cross-origin isolation (COEP) would block embeds of our images.
    ['cross-origin-opener-policy', 'same-origin'],
    // Feed readers and other sites may show our images and read the public API.
    ['cross-origin-resource-policy', 'cross-origin'],
    ['origin-agent-cluster', '?1'],
    ['referrer-policy', 'strict-origin-when-cross-origin'],
    ...(https ? [['strict-transport-security', 'max-age=31536000; includeSubDomains'] as const] : []),
    ['x-content-type-options', 'nosniff'],
    ['x-dns-prefetch-control', 'off'],
    ['x-download-options', 'noopen'],
    ['x-frame-options', 'SAMEORIGIN'],
    ['x-permitted-cross-domain-policies', 'none'],
    ['x-xss-protection', '0'],
  ];
}

/** An onRequest hook giving every response the security headers (a route or an error page may still override one). */
export function securityHeadersHook(headers: ReadonlyArray<readonly [string, string]>) {
  return function addSecurityHeaders(_req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    for (const [name, value] of headers) reply.header(name, value);
    done();
  };
}
