import Fastify from 'fastify';
import helmet from '@fastify/helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders, securityHeadersHook } from './security-headers.js';

/** The options Dispatch gave @fastify/helmet before its headers were computed once (src/app.ts until December 2026). */
function helmetOptions(siteUrl: string) {
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        upgradeInsecureRequests: siteUrl.startsWith('https:') ? [] : null,
      },
    },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    hsts: siteUrl.startsWith('https:'),
  };
}

async function headersOf(register: (app: ReturnType<typeof Fastify>) => Promise<void>): Promise<Record<string, unknown>> {
  const app = Fastify();
  await register(app);
  app.get('/', async () => 'ok');
  const res = await app.inject({ url: '/' });
  await app.close();
  const { date: _date, connection: _connection, 'content-length': _length, 'content-type': _type, ...rest } = res.headers;
  return rest;
}

describe('security headers', () => {
  for (const siteUrl of ['http://127.0.0.1:3000', 'https://news.example']) {
    it(`are exactly what helmet sent with Dispatch's options (${siteUrl})`, async () => {
      const byHelmet = await headersOf(async (app) => void (await app.register(helmet, helmetOptions(siteUrl))));
      const computedOnce = await headersOf(async (app) => void app.addHook('onRequest', securityHeadersHook(securityHeaders(siteUrl))));
      expect(computedOnce).toEqual(byHelmet);
      expect(Object.keys(computedOnce).length).toBe(siteUrl.startsWith('https:') ? 12 : 11);
    });
  }
});
