/**
 * The wire desk in the browser: the queue at /newsroom/wires (a GET filter
 * form; new items appear without a reload through src/client/newsroom/wires.ts,
 * which polls the admin API's item list), one item with every version and
 * the diff between them, the groups, "Use this" (a POST that makes a draft
 * and opens it in the editor), the quarantine (retry, discard) and the
 * providers (status for the desk; add, remove and the kill setting for
 * admins). Plain forms; nothing here needs JavaScript.
 */
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError } from '../platform/errors.js';
import { Id } from '../platform/input.js';
import { renderBody, readStoredBody } from '../content/body.js';
import { can } from '../accounts/staff.policy.js';
import { diffVersions } from '../wires/grouping/diff.js';
import { bodyText } from '../content/body.js';
import { presentItem } from '../wires/wire.presenters.js';
import type { WireItem } from '../wires/wire.model.js';
import { IdParams } from './newsroom.schemas.js';
import { seeOther, sendNewsroomPage, staffPage } from './staff-page.js';
import {
  ProvidersPage, QuarantinePage, WireGroupPage, WireGroupsPage, WireItemPage, WireQueue, type ItemVersionView, type QueueFilters, type QueueItem,
} from './views/wires.js';

const QUEUE_PAGE = 50;

/** The queue's query, read leniently (a GET form's "any" is an empty string). */
const QueueQuery = Type.Object({
  provider: Type.Optional(Type.String({ maxLength: 63 })),
  urgency: Type.Optional(Type.String({ maxLength: 1 })),
  language: Type.Optional(Type.String({ maxLength: 35 })),
  subject: Type.Optional(Type.String({ maxLength: 200 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  embargoed: Type.Optional(Type.String({ maxLength: 5 })),
  killed: Type.Optional(Type.String({ maxLength: 5 })),
  before: Type.Optional(Type.String({ maxLength: 80 })),
  done: Type.Optional(Type.String({ maxLength: 40 })),
});
type QueueQuery = Static<typeof QueueQuery>;

const UseForm = Type.Object({ items: Type.Array(Id, { minItems: 1, maxItems: 20 }) });
const ProviderForm = Type.Object({
  name: Type.String({ maxLength: 63 }),
  credit: Type.String({ maxLength: 200 }),
  format: Type.String({ maxLength: 20 }),
  transport: Type.String({ maxLength: 10 }),
  url: Type.Optional(Type.String({ maxLength: 2000 })),
});
const SettingsForm = Type.Object({ killUnpublish: Type.Optional(Type.String({ maxLength: 5 })) });

const on = (v: string | undefined) => v === '1' || v === 'on' || v === 'true';

function filtersOf(q: QueueQuery): QueueFilters {
  return {
    provider: q.provider?.trim() ?? '',
    urgency: /^[1-9]$/.test(q.urgency ?? '') ? q.urgency! : '',
    language: q.language?.trim() ?? '',
    subject: q.subject?.trim() ?? '',
    q: q.q?.trim() ?? '',
    embargoed: on(q.embargoed),
    killed: on(q.killed),
  };
}

/** The admin API's list with these filters (what the desk's script polls). */
function pollUrlOf(f: QueueFilters): string {
  const p = new URLSearchParams();
  if (f.provider) p.set('provider', f.provider);
  if (f.urgency) p.set('urgency', f.urgency);
  if (f.language) p.set('language', f.language);
  if (f.subject) p.set('subject', f.subject);
  if (f.q) p.set('q', f.q);
  if (f.embargoed) p.set('embargoed', 'true');
  if (f.killed) p.set('killed', 'true');
  p.set('limit', '100');
  return `/api/admin/wires/items?${p.toString()}`;
}

function queueHref(f: QueueFilters, before: string | null): string {
  const p = new URLSearchParams();
  for (const k of ['provider', 'urgency', 'language', 'subject', 'q'] as const) if (f[k]) p.set(k, f[k]);
  if (f.embargoed) p.set('embargoed', '1');
  if (f.killed) p.set('killed', '1');
  if (before) p.set('before', before);
  const qs = p.toString();
  return qs ? `/newsroom/wires?${qs}` : '/newsroom/wires';
}

function beforeOf(cursor: string | undefined): { updatedAt: string; id: number } | undefined {
  const m = /^(.+)\|(\d+)$/.exec(cursor ?? '');
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { updatedAt: m[1]!, id: Number(m[2]) };
}

const NOTICES: Record<string, string> = {
  retried: 'Read again and stored.',
  'retry-failed': 'Still unreadable: the reason is updated below.',
  discarded: 'Discarded.',
  removed: 'Provider removed.',
  settings: 'Setting saved.',
};

export const wiresPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { wires, desk, now } = deps;

  async function providersById() {
    return new Map((await wires.providers()).map((p) => [p.id, p]));
  }

  app.get('/newsroom/wires', { schema: { querystring: QueueQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.read');
    if (!page) return reply;
    const filters = filtersOf(req.query);
    const providers = await wires.providers();
    const provider = filters.provider ? providers.find((p) => p.name === filters.provider) : undefined;
    const at = now();
    const rows = filters.provider && !provider ? [] : await wires.items({
      ...(provider ? { providerId: provider.id } : {}),
      ...(filters.urgency ? { urgency: Number(filters.urgency) } : {}),
      ...(filters.language ? { language: filters.language } : {}),
      ...(filters.subject ? { subject: filters.subject } : {}),
      ...(filters.q ? { q: filters.q } : {}),
      ...(filters.embargoed ? { embargoedAt: at.toISOString() } : {}),
      ...(filters.killed ? { killed: true } : {}),
      ...(beforeOf(req.query.before) ? { before: beforeOf(req.query.before)! } : {}),
      limit: QUEUE_PAGE + 1,
    });
    const byId = new Map(providers.map((p) => [p.id, p]));
    const items: QueueItem[] = rows.slice(0, QUEUE_PAGE).map((i) => presentItem(i, byId.get(i.provider_id), at));
    const last = items[items.length - 1];
    const newest = rows[0]?.updated_at ?? at.toISOString();
    return sendNewsroomPage(reply, page, {
      title: 'Wire desk',
      screen: 'wires',
      wide: true,
      notice: req.query.done ? NOTICES[req.query.done] ?? null : null,
      children: (
        <WireQueue
          filters={filters}
          providers={providers.map((p) => ({ value: p.name, label: p.display_name }))}
          items={items}
          olderHref={rows.length > QUEUE_PAGE && last ? queueHref(filters, `${last.updatedAt}|${last.id}`) : null}
          pollUrl={pollUrlOf(filters)}
          since={req.query.before ? '' : newest}
          mayUse={can(page.staff, 'article.create') === true}
          mayQuarantine={can(page.staff, 'wire.quarantine') === true}
          now={at}
        />
      ),
    });
  });

  app.get('/newsroom/wires/items/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.read');
    if (!page) return reply;
    const { item, versions } = await wires.item(req.params.id);
    const providers = await providersById();
    const at = now();
    const parsed = versions.map((v) => ({ v, w: JSON.parse(v.item) as WireItem }));
    const text = (w: WireItem) => ({ headline: w.headline, text: [w.summary ?? '', bodyText(readStoredBody(w.body))].filter(Boolean).join('\n') });
    const views: ItemVersionView[] = parsed.map(({ v, w }, i) => ({
      seq: v.seq, version: v.version, versionTime: v.version_time, receivedAt: v.received_at,
      headline: w.headline, bodyHtml: renderBody(readStoredBody(w.body)), summary: w.summary, byline: w.byline, dateline: w.dateline, creditLine: w.creditLine,
      subjects: w.subjects.map((s) => [s.name, s.code].filter(Boolean).join(' ')), language: w.language, urgency: w.urgency, embargoUntil: w.embargoUntil,
      pubStatus: w.pubStatus, signal: w.signal, diff: i > 0 ? diffVersions(text(parsed[i - 1]!.w), text(w)) : null,
    }));
    const storyIds = await desk.storiesOfItem(item.id);
    const stories = (await Promise.all(storyIds.map((id) => deps.stories.get(page.staff, id).then((s) => ({ id, headline: s.row.headline })).catch(() => null))))
      .filter((s): s is { id: number; headline: string } => s !== null);
    return sendNewsroomPage(reply, page, {
      title: item.headline,
      screen: 'wires',
      wide: true,
      children: <WireItemPage item={presentItem(item, providers.get(item.provider_id), at)} versions={views} stories={stories} mayUse={can(page.staff, 'article.create') === true} now={at} />,
    });
  });

  app.get('/newsroom/wires/groups', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.read');
    if (!page) return reply;
    const at = now();
    const groups = await deps.wireGroups.listGroups({ limit: 50 });
    const providers = await providersById();
    const views = await Promise.all(groups.map(async (g) => {
      const items = await wires.itemsByIds(g.itemIds);
      return { id: g.id, headline: items[0]?.headline ?? '', items: items.map((i) => presentItem(i, providers.get(i.provider_id), at)) };
    }));
    return sendNewsroomPage(reply, page, {
      title: 'Wire stories',
      screen: 'wires',
      wide: true,
      children: <WireGroupsPage groups={views.filter((g) => g.items.length)} mayUse={can(page.staff, 'article.create') === true} mayQuarantine={can(page.staff, 'wire.quarantine') === true} now={at} />,
    });
  });

  app.get('/newsroom/wires/groups/:id', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.read');
    if (!page) return reply;
    const at = now();
    const { group, items: rows, contributions } = await wires.grouping.group(req.params.id);
    const providers = await providersById();
    const items = (await wires.itemsByIds(rows.map((r) => r.id))).map((i) => presentItem(i, providers.get(i.provider_id), at));
    return sendNewsroomPage(reply, page, {
      title: group.headline,
      screen: 'wires',
      wide: true,
      children: <WireGroupPage group={{ id: String(group.id), headline: group.headline, items }} items={items} contributions={contributions} mayUse={can(page.staff, 'article.create') === true} mayQuarantine={can(page.staff, 'wire.quarantine') === true} now={at} />,
    });
  });

  app.post('/newsroom/wires/use', { schema: { body: UseForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.create');
    if (!page) return reply;
    const story = await desk.use(page.staff, req.body.items);
    return seeOther(reply, `/newsroom/stories/${story.row.id}`, 'wire');
  });

  // --- quarantine ---------------------------------------------------------------------

  app.get('/newsroom/wires/quarantine', { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }) } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.quarantine');
    if (!page) return reply;
    const [entries, providers] = await Promise.all([wires.quarantineList({ status: 'open', limit: 100 }), providersById()]);
    return sendNewsroomPage(reply, page, {
      title: 'Wire quarantine',
      screen: 'wires',
      wide: true,
      notice: req.query.done ? NOTICES[req.query.done] ?? null : null,
      children: (
        <QuarantinePage
          entries={entries.map((e) => ({ id: e.id, provider: providers.get(e.provider_id)?.display_name ?? '', guid: e.guid, reason: e.reason, raw: e.raw, receivedAt: e.received_at }))}
          now={now()}
        />
      ),
    });
  });

  app.post('/newsroom/wires/quarantine/:id/retry', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.quarantine');
    if (!page) return reply;
    const r = await wires.retryQuarantined(req.params.id, page.staff);
    return seeOther(reply, '/newsroom/wires/quarantine', r.resolved ? 'retried' : 'retry-failed');
  });

  app.post('/newsroom/wires/quarantine/:id/discard', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.quarantine');
    if (!page) return reply;
    await wires.discardQuarantined(req.params.id, page.staff);
    return seeOther(reply, '/newsroom/wires/quarantine', 'discarded');
  });

  // --- providers ----------------------------------------------------------------------

  async function sendProviders(reply: Parameters<typeof sendNewsroomPage>[0], page: NonNullable<Awaited<ReturnType<typeof staffPage>>>, opts: { notice?: string | null; error?: string | null; secret?: { name: string; secret: string } | null; status?: number } = {}) {
    const providers = await wires.providers();
    return sendNewsroomPage(reply, page, {
      title: 'Wire providers',
      screen: 'wires',
      wide: true,
      notice: opts.notice ?? null,
      error: opts.error ?? null,
      children: (
        <ProvidersPage
          providers={providers.map((p) => ({
            id: p.id, name: p.name, displayName: p.display_name, credit: p.credit, format: p.format, transport: p.transport, url: p.url, enabled: !!p.enabled,
            lastSuccessAt: p.last_success_at, lastError: p.last_error_code ? { at: p.last_error_at, code: p.last_error_code, message: p.last_error_message ?? '' } : null, itemsLastHour: p.itemsLastHour,
          }))}
          mayManage={can(page.staff, 'wire.manage') === true}
          mayQuarantine={can(page.staff, 'wire.quarantine') === true}
          killUnpublish={await desk.killUnpublish()}
          secret={opts.secret ?? null}
          now={now()}
        />
      ),
    }, opts.status);
  }

  app.get('/newsroom/wires/providers', { schema: { querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }) } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.read');
    if (!page) return reply;
    return sendProviders(reply, page, { notice: req.query.done ? NOTICES[req.query.done] ?? null : null });
  });

  app.post('/newsroom/wires/providers', { schema: { body: ProviderForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.manage');
    if (!page) return reply;
    const b = req.body;
    try {
      const { provider, secret } = await wires.createProvider({
        name: b.name, credit: b.credit, format: b.format as never, transport: b.transport as never, url: b.url?.trim() || null,
      }, page.staff);
      return sendProviders(reply, page, { notice: `Added ${provider.display_name}.`, secret: secret ? { name: provider.name, secret } : null });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return sendProviders(reply, page, { error: err.message, status: err.status });
    }
  });

  app.post('/newsroom/wires/providers/:id/remove', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.manage');
    if (!page) return reply;
    await wires.removeProvider(req.params.id, page.staff);
    return seeOther(reply, '/newsroom/wires/providers', 'removed');
  });

  app.post('/newsroom/wires/settings', { schema: { body: SettingsForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'wire.manage');
    if (!page) return reply;
    await desk.setKillUnpublish(page.staff, on(req.body?.killUnpublish));
    return seeOther(reply, '/newsroom/wires/providers', 'settings');
  });

  // A story's wire updates seen (the editor's "Mark as seen").
  app.post('/newsroom/stories/:id/wire-seen', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.edit');
    if (!page) return reply;
    await desk.markSeen(page.staff, req.params.id);
    return seeOther(reply, `/newsroom/stories/${req.params.id}`, 'wire-seen');
  });
};


