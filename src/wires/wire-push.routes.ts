/**
 * The push endpoint: `POST /api/wires/{provider}` with the agency's document
 * as the body (any XML or JSON content type, read as raw bytes, up to 5 MB).
 *
 * Signed: `X-Dispatch-Timestamp` (unix seconds, within 5 minutes of our
 * clock) and `X-Dispatch-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<body>" under the provider's secret>`, compared in constant
 * time. A signature already accepted within the window is refused as a
 * replay (the seen signatures live in the database, so every process knows
 * them). It is recorded once its items are stored: a push whose ingest broke
 * off half-way (the process was killed) can be sent again as it was, and
 * exactly-once storage makes the second delivery harmless.
 *
 * Unsigned, wrongly signed, stale or replayed pushes are refused (401, 409)
 * before anything is read or stored.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { ErrorJson } from '../content/content.schemas.js';
import { IngestCountsJson } from './wire.schemas.js';

export const PUSH_MAX_BYTES = 5 * 1024 * 1024;
/** How far a push's timestamp may be from our clock, either way. */
export const PUSH_WINDOW_SECONDS = 300;

/** The signature header value for `body` sent at `timestamp` (what an agency computes; the tests use it too). */
export function signPush(secret: string, timestamp: number | string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

const refused = (status: number, code: string, message: string) => new AppError(status, code, message);

export const wirePushRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { wires, now } = deps;
  // Only this plugin's route reads bodies as raw bytes, whatever their type (XML, JSON, ninjs…).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: PUSH_MAX_BYTES }, (_req, body, done) => done(null, body));

  app.post('/api/wires/:provider', {
    bodyLimit: PUSH_MAX_BYTES,
    schema: {
      tags: ['wires'],
      summary: 'Push agency copy (signed)',
      description: 'The body is one wire document (RSS/Atom, ninjs, NewsML-G2 or NITF) as raw bytes. Sign it with the provider\'s secret: '
        + '`X-Dispatch-Signature: sha256=<hex HMAC-SHA256 of "<X-Dispatch-Timestamp>.<body>">`; the timestamp is unix seconds within 5 minutes of now. '
        + 'A signature is accepted once. Items already stored are counted as duplicates, so a failed push may be sent again as it was.',
      params: Type.Object({ provider: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }) }),
      headers: Type.Object({
        'x-dispatch-signature': Type.Optional(Type.String({ description: 'sha256=<hex>' })),
        'x-dispatch-timestamp': Type.Optional(Type.String({ description: 'unix seconds' })),
      }),
      response: { 200: IngestCountsJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson, 413: ErrorJson },
    },
  }, async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    const provider = await wires.providerByName(req.params.provider);
    if (!provider || provider.transport !== 'push' || !provider.push_secret) throw new NotFoundError(`There is no push provider "${req.params.provider}".`);
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

    const signature = req.headers['x-dispatch-signature'];
    const timestamp = req.headers['x-dispatch-timestamp'];
    if (!signature || !timestamp) throw refused(401, 'signature_required', 'Sign the push: send X-Dispatch-Timestamp and X-Dispatch-Signature (sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">). Nothing was stored.');
    if (!/^\d{1,12}$/.test(timestamp)) throw refused(401, 'bad_timestamp', 'X-Dispatch-Timestamp must be unix seconds. Nothing was stored.');
    const skew = Math.abs(now().getTime() / 1000 - Number(timestamp));
    if (skew > PUSH_WINDOW_SECONDS) throw refused(401, 'stale_timestamp', `X-Dispatch-Timestamp is ${Math.round(skew)} s away from our clock (at most ${PUSH_WINDOW_SECONDS}). Nothing was stored.`);
    const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
    const expected = Buffer.from(signPush(provider.push_secret, timestamp, body), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused(401, 'bad_signature', 'The signature does not match this body and timestamp under the provider\'s secret. Nothing was stored.');
    if (!provider.enabled) throw refused(403, 'provider_disabled', `The provider "${provider.name}" is disabled. Nothing was stored.`);

    const signatureHash = createHash('sha256').update(expected).digest('hex');
    if (await wires.signatureSeen(signatureHash)) throw refused(409, 'replayed', 'This signed push was received before; sign it again with a new timestamp to send it again. Nothing was stored.');
    const counts = await wires.ingest(provider, body, req.headers['content-type'] ?? null);
    await wires.rememberSignature(provider, signatureHash);
    return counts;
  });
};
