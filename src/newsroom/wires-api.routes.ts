/**
 * The admin API of the wire desk, under /api/admin/wires: providers (admins
 * manage them; staff read their status), the queue of wire items with their
 * versions (contributors, editors, admins), and the quarantine (editors and
 * admins retry or discard). Registered by admin-api.routes.ts, whose hooks
 * check every route's policy action first.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { AUTH_ERRORS, errors, IdParams } from './newsroom.schemas.js';
import { as, Deleted, staffOf } from './admin-api.js';
import {
  CreateProviderBody, PollResultJson, ProviderCreatedJson, ProviderEnvelope, ProviderListJson, QuarantineJson, QuarantineListJson, QuarantineListQuery,
  RetryJson, UpdateProviderBody, WireItemDetailJson, WireItemListJson, WireItemListQuery,
  ItemDiffJson, ItemDiffQuery, WireGroupDetailJson, WireGroupListJson, WireGroupListQuery,
} from '../wires/wire.schemas.js';
import { presentItem, presentProvider, presentQuarantine, presentVersion, presentContribution, presentGroup } from '../wires/wire.presenters.js';

const TAGS = ['wires'];

function encodeCursor(updatedAt: string, id: number): string {
  return Buffer.from(`${updatedAt}|${id}`, 'utf8').toString('base64url');
}
function decodeCursor(cursor: string): { updatedAt: string; id: number } {
  const [updatedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!updatedAt || !id || !/^\d+$/.test(id) || Number.isNaN(Date.parse(updatedAt))) throw new ValidationError('`before` is not a cursor this API gave out.');
  return { updatedAt, id: Number(id) };
}

export const wiresApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { wires, wirePoller, now } = deps;

  async function providerId(name: string | undefined): Promise<number | undefined> {
    if (!name) return undefined;
    const p = await wires.providerByName(name);
    if (!p) throw new NotFoundError(`There is no wire provider "${name}".`);
    return p.id;
  }
  async function providersById() {
    return new Map((await wires.providers()).map((p) => [p.id, p]));
  }

  // --- providers --------------------------------------------------------------

  app.get('/api/admin/wires/providers', {
    config: as('wire.read'),
    schema: { tags: TAGS, summary: 'Wire providers and their status', response: { 200: ProviderListJson, ...AUTH_ERRORS } },
  }, async () => ({ providers: (await wires.providers()).map(presentProvider) }));

  app.post('/api/admin/wires/providers', {
    config: as('wire.manage'),
    schema: {
      tags: TAGS, summary: 'Add a wire provider (admins)', description: 'A push provider\'s secret is in this answer only.',
      body: CreateProviderBody, response: { 201: ProviderCreatedJson, ...errors(400, 409), ...AUTH_ERRORS },
    },
  }, async (req, reply) => {
    const { provider, secret } = await wires.createProvider(req.body, staffOf(req));
    reply.code(201);
    return { provider: presentProvider({ ...provider, itemsLastHour: 0 }), secret };
  });

  app.get('/api/admin/wires/providers/:id', {
    config: as('wire.read'),
    schema: { tags: TAGS, summary: 'One wire provider and its status', params: IdParams, response: { 200: ProviderEnvelope, ...errors(404), ...AUTH_ERRORS } },
  }, async (req) => ({ provider: presentProvider(await wires.providerStatus(req.params.id)) }));

  app.patch('/api/admin/wires/providers/:id', {
    config: as('wire.manage'),
    schema: { tags: TAGS, summary: 'Change a wire provider (admins)', params: IdParams, body: UpdateProviderBody, response: { 200: ProviderEnvelope, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => {
    await wires.updateProvider(req.params.id, req.body, staffOf(req));
    return { provider: presentProvider(await wires.providerStatus(req.params.id)) };
  });

  app.delete('/api/admin/wires/providers/:id', {
    config: as('wire.manage'),
    schema: { tags: TAGS, summary: 'Remove a wire provider with its items (admins)', params: IdParams, response: { 204: Deleted, ...errors(404), ...AUTH_ERRORS } },
  }, async (req, reply) => {
    await wires.removeProvider(req.params.id, staffOf(req));
    return reply.code(204).send(null);
  });

  app.post('/api/admin/wires/providers/:id/poll', {
    config: as('wire.manage'),
    schema: { tags: TAGS, summary: 'Poll an http provider or scan a folder now (admins)', params: IdParams, response: { 200: PollResultJson, ...errors(404), ...AUTH_ERRORS } },
  }, async (req) => wirePoller.pollNow(await wires.provider(req.params.id)));

  // --- items --------------------------------------------------------------------

  app.get('/api/admin/wires/items', {
    config: as('wire.read'),
    schema: { tags: TAGS, summary: 'The wire queue, newest first', querystring: WireItemListQuery, response: { 200: WireItemListJson, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 50;
    const at = now();
    const rows = await wires.items({
      ...(q.provider ? { providerId: await providerId(q.provider) } : {}),
      ...(q.urgency !== undefined ? { urgency: q.urgency } : {}),
      ...(q.language ? { language: q.language } : {}),
      ...(q.subject ? { subject: q.subject } : {}),
      ...(q.q ? { q: q.q } : {}),
      ...(q.embargoed ? { embargoedAt: at.toISOString() } : {}),
      ...(q.killed !== undefined ? { killed: q.killed } : {}),
      ...(q.group !== undefined ? { groupId: q.group } : {}),
      ...(q.before ? { before: decodeCursor(q.before) } : {}),
      ...(q.since ? { changedSince: new Date(q.since).toISOString() } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const providers = await providersById();
    const last = page[page.length - 1];
    return { items: page.map((i) => presentItem(i, providers.get(i.provider_id), at)), next: rows.length > limit && last ? encodeCursor(last.updated_at, last.id) : null };
  });

  app.get('/api/admin/wires/items/:id', {
    config: as('wire.read'),
    schema: { tags: TAGS, summary: 'A wire item with all its versions', params: IdParams, response: { 200: WireItemDetailJson, ...errors(404), ...AUTH_ERRORS } },
  }, async (req) => {
    const { item, versions } = await wires.item(req.params.id);
    const providers = await providersById();
    return { item: presentItem(item, providers.get(item.provider_id), now()), versions: versions.map(presentVersion) };
  });

  // --- quarantine -----------------------------------------------------------------

  app.get('/api/admin/wires/quarantine', {
    config: as('wire.quarantine'),
    schema: { tags: TAGS, summary: 'What could not be read, with its raw payload (editors, admins)', querystring: QuarantineListQuery, response: { 200: QuarantineListJson, ...errors(400, 404), ...AUTH_ERRORS } },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 50;
    const rows = await wires.quarantineList({
      ...(q.status ? { status: q.status } : {}),
      ...(q.provider ? { providerId: await providerId(q.provider) } : {}),
      ...(q.before ? { beforeId: q.before } : {}),
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const providers = await providersById();
    return { entries: page.map((e) => presentQuarantine(e, providers.get(e.provider_id))), next: rows.length > limit ? page[page.length - 1]!.id : null };
  });

  app.post('/api/admin/wires/quarantine/:id/retry', {
    config: as('wire.quarantine'),
    schema: { tags: TAGS, summary: 'Read a quarantined payload again (editors, admins)', params: IdParams, response: { 200: RetryJson, ...errors(404, 409), ...AUTH_ERRORS } },
  }, async (req) => wires.retryQuarantined(req.params.id, staffOf(req)));

  app.post('/api/admin/wires/quarantine/:id/discard', {
    config: as('wire.quarantine'),
    schema: { tags: TAGS, summary: 'Discard a quarantined payload (editors, admins)', params: IdParams, response: { 200: QuarantineJson, ...errors(404, 409), ...AUTH_ERRORS } },
  }, async (req) => {
    await wires.discardQuarantined(req.params.id, staffOf(req));
    const entry = (await wires.quarantineEntry(req.params.id))!;
    return presentQuarantine(entry, (await providersById()).get(entry.provider_id));
  });

  // --- wire stories (groups) and diffs ------------------------------------------

  app.get('/api/admin/wires/groups', {
    config: as('wire.read'),
    schema: {
      tags: TAGS, summary: 'Wire stories: items about one event across agencies and versions, newest activity first',
      querystring: WireGroupListQuery, response: { 200: WireGroupListJson, ...errors(400), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const limit = q.limit ?? 30;
    const cursor = q.before ? decodeCursor(q.before) : undefined;
    const rows = await wires.grouping.list({ ...(q.minItems ? { minItems: q.minItems } : {}), ...(cursor ? { before: { at: cursor.updatedAt, id: cursor.id } } : {}), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const providers = await providersById();
    const at = now();
    const last = page[page.length - 1]?.group;
    return { groups: page.map((g) => presentGroup(g, providers, at)), next: rows.length > limit && last ? encodeCursor(last.last_seen_at, last.id) : null };
  });

  app.get('/api/admin/wires/groups/:id', {
    config: as('wire.read'),
    schema: {
      tags: TAGS, summary: 'A wire story with its items, and what each agency\'s version adds to the others',
      params: IdParams, response: { 200: WireGroupDetailJson, ...errors(404), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const { group, items, contributions } = await wires.grouping.group(req.params.id);
    const providers = await providersById();
    const providerOf = new Map(items.map((i) => [i.id, i.provider_id]));
    return {
      group: presentGroup({ group, items }, providers, now()),
      contributions: contributions.map((c) => presentContribution(c, providerOf.get(c.id)!, providers.get(providerOf.get(c.id)!))),
    };
  });

  app.get('/api/admin/wires/items/:id/diff', {
    config: as('wire.read'),
    schema: {
      tags: TAGS, summary: 'What changed between two versions of a wire item',
      description: 'Versions are numbered by `seq` (1, 2, 3… as stored). Without `to`, the current version; without `from`, the one before `to`.',
      params: IdParams, querystring: ItemDiffQuery, response: { 200: ItemDiffJson, ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => {
    const { itemId, from, to, diff } = await wires.grouping.itemDiff(req.params.id, req.query);
    return { itemId, from, to, ...diff };
  });
};
