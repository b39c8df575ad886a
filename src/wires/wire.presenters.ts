/** What the wire desk's API says about providers, items and the quarantine: every field listed. */
import type { GroupWithItems } from './grouping/grouping.service.js';
import type { Contribution } from './grouping/diff.js';
import type { ProviderStatus, WireItemRow, WireItemVersionRow, WireProviderRow, WireQuarantineRow } from './wire.service.js';

export function presentProvider(p: ProviderStatus) {
  return {
    id: p.id,
    name: p.name,
    displayName: p.display_name,
    credit: p.credit,
    format: p.format,
    transport: p.transport,
    url: p.url,
    intervalSeconds: p.interval_seconds,
    enabled: !!p.enabled,
    pushPath: p.transport === 'push' ? `/api/wires/${p.name}` : null,
    status: {
      lastSuccessAt: p.last_success_at,
      lastErrorAt: p.last_error_at,
      lastError: p.last_error_code ? { code: p.last_error_code, message: p.last_error_message ?? '' } : null,
      consecutiveFailures: p.consecutive_failures,
      nextPollAt: p.transport === 'push' || !p.enabled ? null : p.next_poll_at,
      itemsLastHour: p.itemsLastHour,
    },
    createdAt: p.created_at,
  };
}

export function presentItem(i: WireItemRow, provider: WireProviderRow | undefined, at: Date) {
  return {
    id: i.id,
    provider: { id: i.provider_id, name: provider?.name ?? '', credit: provider?.credit ?? '' },
    guid: i.guid,
    version: i.version,
    versions: i.current_seq,
    versionTime: i.version_time,
    headline: i.headline,
    language: i.language,
    urgency: i.urgency,
    embargoUntil: i.embargo_at,
    embargoed: !!i.embargo_at && i.embargo_at > at.toISOString(),
    pubStatus: i.pubstatus as 'usable' | 'withheld' | 'canceled',
    killed: i.pubstatus !== 'usable',
    signal: i.signal as 'update' | 'correction' | 'kill' | null,
    receivedAt: i.received_at,
    updatedAt: i.updated_at,
    group: i.group_id,
  };
}

export function presentVersion(v: WireItemVersionRow) {
  return { seq: v.seq, version: v.version, versionTime: v.version_time, receivedAt: v.received_at, item: JSON.parse(v.item) as unknown, raw: v.raw };
}

export function presentQuarantine(q: WireQuarantineRow, provider: WireProviderRow | undefined) {
  return {
    id: q.id,
    provider: { id: q.provider_id, name: provider?.name ?? '' },
    guid: q.guid,
    reason: q.reason,
    raw: q.raw,
    contentType: q.content_type,
    status: q.status,
    receivedAt: q.received_at,
    resolvedAt: q.resolved_at,
  };
}

/** A wire story with its items and the providers telling it. */
export function presentGroup({ group, items }: GroupWithItems, providers: Map<number, WireProviderRow>, at: Date) {
  const providerIds = [...new Set(items.map((i) => i.provider_id))];
  return {
    id: group.id,
    headline: group.headline,
    firstSeenAt: group.first_seen_at,
    lastSeenAt: group.last_seen_at,
    itemCount: group.item_count,
    providerCount: group.provider_count,
    providers: providerIds.map((id) => ({ id, name: providers.get(id)?.name ?? '', credit: providers.get(id)?.credit ?? '' })),
    items: items.map((i) => presentItem(i, providers.get(i.provider_id), at)),
  };
}

export function presentContribution(c: Contribution<number>, providerId: number, provider: WireProviderRow | undefined) {
  return { itemId: c.id, provider: { id: providerId, name: provider?.name ?? '', credit: provider?.credit ?? '' }, adds: c.adds, sentences: c.sentences };
}
