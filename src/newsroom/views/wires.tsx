/**
 * The wire desk's screens: the queue (/newsroom/wires, live), one item with
 * every version and the diff between them, the groups, the quarantine, the
 * providers; and the wire panel on a story made from wire copy (kill alert,
 * embargo, "update available" with the diff). They receive everything they
 * show; no I/O. Every state is said in words, never by colour alone.
 */
import type { ComponentChildren } from 'preact';
import type { Contribution, VersionDiff, WordPart } from '../../wires/grouping/diff.js';
import { exactTime } from '../../web/relative-time.js';
import { RelTime } from '../../web/components.js';
import { SearchField, SubmitField } from './controls.js';
import { embargoBadge, killBadge, queueTime, signalBadge, urgencyLabel, versionsLabel } from './wire-labels.js';

/** A queue row: what the admin API's item list says (so the desk's script can add rows from it). */
export interface QueueItem {
  id: number;
  provider: { id: number; name: string; credit: string };
  versions: number;
  headline: string;
  language: string | null;
  urgency: number | null;
  embargoUntil: string | null;
  embargoed: boolean;
  pubStatus: 'usable' | 'withheld' | 'canceled';
  killed: boolean;
  signal: 'update' | 'correction' | 'kill' | null;
  receivedAt: string;
  updatedAt: string;
}

export interface QueueFilters {
  provider: string;
  urgency: string;
  language: string;
  subject: string;
  q: string;
  embargoed: boolean;
  killed: boolean;
}

export function hasQueueFilters(f: QueueFilters): boolean {
  return !!(f.provider || f.urgency || f.language || f.subject || f.q || f.embargoed || f.killed);
}

export function WireNav({ current, mayQuarantine }: { current: 'queue' | 'groups' | 'quarantine' | 'providers'; mayQuarantine: boolean }) {
  const links: Array<[typeof current, string, string]> = [
    ['queue', '/newsroom/wires', 'Queue'],
    ['groups', '/newsroom/wires/groups', 'Wire stories (groups)'],
    ...(mayQuarantine ? [['quarantine', '/newsroom/wires/quarantine', 'Quarantine'] as [typeof current, string, string]] : []),
    ['providers', '/newsroom/wires/providers', 'Providers'],
  ];
  return (
    <nav class="nr-wire-nav" aria-label="Wire desk">
      <ul>
        {links.map(([key, href, label]) => (
          <li>
            <a href={href} aria-current={key === current ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function ItemBadges({ item, now }: { item: Pick<QueueItem, 'embargoUntil' | 'embargoed' | 'pubStatus' | 'signal'>; now: Date }) {
  const kill = killBadge(item.pubStatus);
  const signal = signalBadge(item.signal);
  return (
    <>
      {kill ? <strong class="nr-badge nr-badge--killed">{kill}</strong> : null}
      {item.embargoed && item.embargoUntil ? (
        <span class="nr-badge nr-badge--embargo">
          <time dateTime={item.embargoUntil}>{embargoBadge(item.embargoUntil, now)}</time>
        </span>
      ) : null}
      {signal ? <span class="nr-badge nr-badge--signal">{signal}</span> : null}
    </>
  );
}

/** One row of the queue; src/client/newsroom/wires.ts builds the same markup for rows that arrive live. */
export function QueueRow({ item, now, mayUse }: { item: QueueItem; now: Date; mayUse: boolean }) {
  return (
    <tr data-wire-id={String(item.id)} class={item.pubStatus === 'canceled' ? 'is-killed' : undefined}>
      <td class="nr-wires__pick">
        {mayUse ? (
          <input type="checkbox" name="items" value={String(item.id)} form="wire-use-many" aria-label={`Select: ${item.headline}`} />
        ) : null}
      </td>
      <td class="nr-wires__time">
        <time dateTime={item.updatedAt} title={exactTime(item.updatedAt)}>
          {queueTime(item.updatedAt, now)}
        </time>
      </td>
      <td class="nr-wires__provider">{item.provider.credit}</td>
      <td class="nr-wires__urgency">{urgencyLabel(item.urgency)}</td>
      <td class="nr-wires__headline">
        <a href={`/newsroom/wires/items/${item.id}`}>{item.headline}</a> <ItemBadges item={item} now={now} />
      </td>
      <td class="nr-wires__versions">{versionsLabel(item.versions)}</td>
      <td class="nr-wires__use">
        {mayUse ? (
          <form method="post" action="/newsroom/wires/use">
            <input type="hidden" name="items" value={String(item.id)} />
            <button type="submit" class="button button--small">
              Use this<span class="visually-hidden">: {item.headline}</span>
            </button>
          </form>
        ) : null}
      </td>
    </tr>
  );
}

export interface WireQueueProps {
  filters: QueueFilters;
  providers: Array<{ value: string; label: string }>;
  items: QueueItem[];
  /** The link to older items, or null. */
  olderHref: string | null;
  /** The admin API's list URL with these filters, which the desk's script polls for new items. */
  pollUrl: string;
  /** The newest change shown (the script asks for items changed since). */
  since: string;
  mayUse: boolean;
  /** May work the quarantine (the link to it). */
  mayQuarantine: boolean;
  now: Date;
}

function Check({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <div class="nr-field nr-wires__check">
      <label>
        <input type="checkbox" name={name} value="1" checked={checked} /> {label}
      </label>
    </div>
  );
}

export function WireQueue({ filters, providers, items, olderHref, pollUrl, since, mayUse, mayQuarantine, now }: WireQueueProps) {
  return (
    <div class="nr-wires">
      <WireNav current="queue" mayQuarantine={mayQuarantine} />
      <form method="get" action="/newsroom/wires" class="nr-form nr-panel nr-wires__filters" role="search" aria-label="Filter the wire">
        <div class="nr-inline">
          <SearchField id="wire-filter-q" label="Headline contains" value={filters.q} />
          <div class="nr-field">
            <label for="wire-filter-provider">Provider</label>
            <select id="wire-filter-provider" name="provider">
              <option value="">All providers</option>
              {providers.map((p) => (
                <option value={p.value} selected={p.value === filters.provider}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
          <div class="nr-field">
            <label for="wire-filter-urgency">Urgency</label>
            <select id="wire-filter-urgency" name="urgency">
              <option value="">Any</option>
              {[1, 2, 3, 4, 5, 6, 7, 8].map((u) => (
                <option value={String(u)} selected={String(u) === filters.urgency}>
                  {`${u} or more urgent`}
                </option>
              ))}
            </select>
          </div>
          <div class="nr-field">
            <label for="wire-filter-language">Language</label>
            <input id="wire-filter-language" name="language" value={filters.language} size={6} placeholder="en" />
          </div>
          <div class="nr-field">
            <label for="wire-filter-subject">Subject</label>
            <input id="wire-filter-subject" name="subject" value={filters.subject} size={16} placeholder="sport or medtop:15000000" />
          </div>
          <Check name="embargoed" label="Embargoed" checked={filters.embargoed} />
          <Check name="killed" label="Killed or withheld" checked={filters.killed} />
          <SubmitField label="Show items" class="button button--small" />
        </div>
        {hasQueueFilters(filters) ? (
          <p class="nr-stories__clear">
            <a href="/newsroom/wires">Clear filters</a>
          </p>
        ) : null}
      </form>
      {mayUse ? (
        <form id="wire-use-many" method="post" action="/newsroom/wires/use" class="nr-wires__many">
          <button type="submit" class="button button--small">
            Use selected together
          </button>{' '}
          <span class="nr-muted">Tick the items about one event; the first ticked leads.</span>
        </form>
      ) : null}
      <p class="nr-wires__live nr-muted" data-wire-live="" role="status" aria-live="polite">
        {'Newest first. '}
        <span data-wire-live-text="">New items appear here as they arrive.</span>
      </p>
      <table class="nr-table nr-wires__table" data-wire-queue="" data-poll-url={pollUrl} data-since={since} data-may-use={mayUse ? '1' : '0'}>
        <caption class="visually-hidden">Wire items, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span class="visually-hidden">Select</span>
            </th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Provider</th>
            <th scope="col">Urgency</th>
            <th scope="col">Headline</th>
            <th scope="col">Versions</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <QueueRow item={item} now={now} mayUse={mayUse} />
          ))}
        </tbody>
      </table>
      {items.length === 0 ? <p class="nr-empty" data-wire-empty="">{hasQueueFilters(filters) ? 'No wire items match these filters.' : 'No wire items yet.'}</p> : null}
      {olderHref ? (
        <p>
          <a href={olderHref}>Older items</a>
        </p>
      ) : null}
    </div>
  );
}

// --- the diff -----------------------------------------------------------------

function Parts({ parts }: { parts: WordPart[] }) {
  return (
    <>
      {parts.map((p) =>
        p.kind === 'added' ? (
          <ins>
            <span class="visually-hidden">[added: </span>
            {p.text}
            <span class="visually-hidden">]</span>
          </ins>
        ) : p.kind === 'removed' ? (
          <del>
            <span class="visually-hidden">[removed: </span>
            {p.text}
            <span class="visually-hidden">]</span>
          </del>
        ) : (
          <span>{p.text}</span>
        ),
      )}
    </>
  );
}

/** A diff of two versions: added text underlined and marked "+", removed struck through and marked "−", each also named for screen readers. */
export function DiffView({ diff, label }: { diff: VersionDiff; label: string }) {
  const { counts } = diff;
  return (
    <section class="nr-diff" aria-label={label}>
      <p class="nr-diff__counts">
        {`${counts.added} sentence${counts.added === 1 ? '' : 's'} added, ${counts.removed} removed, ${counts.changed} changed`}
      </p>
      {diff.headline ? (
        <p class="nr-diff__headline">
          <strong>Headline: </strong>
          <Parts parts={diff.headline} />
        </p>
      ) : null}
      <ol class="nr-diff__segments">
        {diff.segments.map((s) =>
          s.kind === 'same' ? (
            <li class="nr-diff__same">{s.text}</li>
          ) : s.kind === 'added' ? (
            <li class="nr-diff__added">
              <span class="nr-diff__mark" aria-hidden="true">+</span>
              <ins>
                <span class="visually-hidden">Added: </span>
                {s.text}
              </ins>
            </li>
          ) : s.kind === 'removed' ? (
            <li class="nr-diff__removed">
              <span class="nr-diff__mark" aria-hidden="true">−</span>
              <del>
                <span class="visually-hidden">Removed: </span>
                {s.text}
              </del>
            </li>
          ) : (
            <li class="nr-diff__changed">
              <span class="nr-diff__mark" aria-hidden="true">~</span>
              <span class="visually-hidden">Changed: </span>
              {'parts' in s ? <Parts parts={s.parts} /> : null}
            </li>
          ),
        )}
      </ol>
    </section>
  );
}

// --- one item -----------------------------------------------------------------

export interface ItemVersionView {
  seq: number;
  version: number;
  versionTime: string | null;
  receivedAt: string;
  headline: string;
  bodyHtml: string;
  summary: string | null;
  byline: string | null;
  dateline: string | null;
  creditLine: string | null;
  subjects: string[];
  language: string | null;
  urgency: number | null;
  embargoUntil: string | null;
  pubStatus: string;
  signal: string | null;
  /** The diff from the version before (null for the first). */
  diff: VersionDiff | null;
}

export interface WireItemPageProps {
  item: QueueItem;
  versions: ItemVersionView[];
  /** Stories made from this item. */
  stories: Array<{ id: number; headline: string }>;
  mayUse: boolean;
  now: Date;
}

function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function WireItemPage({ item, versions, stories, mayUse, now }: WireItemPageProps) {
  const newestFirst = [...versions].reverse();
  const kill = killBadge(item.pubStatus);
  return (
    <div class="nr-wire-item">
      <p>
        <a href="/newsroom/wires">← Back to the queue</a>
      </p>
      {kill ? (
        <p class="nr-alert nr-alert--error" role="alert">
          <strong>{kill}.</strong> {item.provider.credit} has {item.pubStatus === 'canceled' ? 'killed this item' : 'withheld this item'}: do not publish its copy.
        </p>
      ) : null}
      <p>
        <strong>{item.provider.credit}</strong> · {versionsLabel(item.versions)} · <ItemBadges item={item} now={now} />
      </p>
      {mayUse ? (
        <form method="post" action="/newsroom/wires/use">
          <input type="hidden" name="items" value={String(item.id)} />
          <button type="submit" class="button">
            Use this
          </button>
        </form>
      ) : null}
      {stories.length ? (
        <p>
          {'Stories made from it: '}
          {stories.map((s, i) => (
            <>
              {i ? ', ' : ''}
              <a href={`/newsroom/stories/${s.id}`}>{s.headline}</a>
            </>
          ))}
        </p>
      ) : null}
      {newestFirst.map((v) => (
        <article class="nr-panel nr-wire-version" id={`v${v.seq}`}>
          <h2>
            {`Version ${v.seq}`}
            {v.seq === item.versions ? ' (current)' : ''}
            {signalBadge(v.signal) ? <span class="nr-badge nr-badge--signal">{signalBadge(v.signal)}</span> : null}
          </h2>
          <dl class="nr-wire-fields">
            <Field label="Headline">{v.headline}</Field>
            <Field label="Byline">{v.byline ?? '–'}</Field>
            <Field label="Dateline">{v.dateline ?? '–'}</Field>
            <Field label="Credit">{v.creditLine ?? '–'}</Field>
            <Field label="Subjects">{v.subjects.length ? v.subjects.join(', ') : '–'}</Field>
            <Field label="Language">{v.language ?? '–'}</Field>
            <Field label="Urgency">{urgencyLabel(v.urgency)}</Field>
            <Field label="Embargo">{v.embargoUntil ? <time dateTime={v.embargoUntil}>{exactTime(v.embargoUntil)}</time> : 'None'}</Field>
            <Field label="Status">{v.pubStatus}</Field>
            <Field label="Signal">{v.signal ?? '–'}</Field>
            <Field label="Agency version">{`${v.version}${v.versionTime ? ` of ${exactTime(v.versionTime)}` : ''}`}</Field>
            <Field label="Received">
              <RelTime iso={v.receivedAt} now={now} />
            </Field>
          </dl>
          {v.diff ? (
            <details class="nr-wire-version__diff" open={v.seq === item.versions}>
              <summary>{`What changed from version ${v.seq - 1}`}</summary>
              <DiffView diff={v.diff} label={`Changes from version ${v.seq - 1} to ${v.seq}`} />
            </details>
          ) : null}
          {v.summary ? <p class="nr-wire-version__summary">{v.summary}</p> : null}
          <div class="nr-wire-version__body article-body" dangerouslySetInnerHTML={{ __html: v.bodyHtml }} />
        </article>
      ))}
    </div>
  );
}

// --- groups -------------------------------------------------------------------

export interface GroupView {
  id: string;
  headline: string;
  items: QueueItem[];
}

export function WireGroupsPage({ groups, mayUse, mayQuarantine, now }: { groups: GroupView[]; mayUse: boolean; mayQuarantine: boolean; now: Date }) {
  return (
    <div class="nr-wires">
      <WireNav current="groups" mayQuarantine={mayQuarantine} />
      {groups.length === 0 ? <p class="nr-empty">No wire stories yet.</p> : null}
      {groups.map((g) => (
        <section class="nr-panel nr-wire-group" aria-label={g.headline}>
          <h2>{g.headline}</h2>
          <p class="nr-muted">
            {`${g.items.length} item${g.items.length === 1 ? '' : 's'} from ${[...new Set(g.items.map((i) => i.provider.credit))].join(', ')}`}
            {g.items.length > 1 ? (
              <>
                {' · '}
                <a href={`/newsroom/wires/groups/${g.id}`}>What each version adds</a>
              </>
            ) : null}
          </p>
          <ul>
            {g.items.map((i) => (
              <li>
                <strong>{i.provider.credit}</strong>: <a href={`/newsroom/wires/items/${i.id}`}>{i.headline}</a> <ItemBadges item={i} now={now} />
              </li>
            ))}
          </ul>
          {mayUse ? (
            <form method="post" action="/newsroom/wires/use">
              {g.items.map((i) => (
                <input type="hidden" name="items" value={String(i.id)} />
              ))}
              <button type="submit" class="button button--small">
                {g.items.length > 1 ? 'Use this wire story (all items)' : 'Use this'}
              </button>
            </form>
          ) : null}
        </section>
      ))}
    </div>
  );
}

/**
 * One wire story: each agency's version as its sentences, the words no other
 * version has marked (underlined and named for screen readers, not colour
 * alone), and the sentences that are mostly new listed as what it adds.
 */
export function WireGroupPage({ group, items, contributions, mayUse, mayQuarantine, now }: { group: GroupView; items: QueueItem[]; contributions: Array<Contribution<number>>; mayUse: boolean; mayQuarantine: boolean; now: Date }) {
  const byId = new Map(items.map((i) => [i.id, i]));
  return (
    <div class="nr-wires">
      <WireNav current="groups" mayQuarantine={mayQuarantine} />
      <h2>{group.headline}</h2>
      <p class="nr-muted">{`${items.length} item${items.length === 1 ? '' : 's'} from ${[...new Set(items.map((i) => i.provider.credit))].join(', ')}. Words only one version has are underlined.`}</p>
      {contributions.map((c) => {
        const item = byId.get(c.id);
        if (!item) return null;
        return (
          <section class="nr-panel nr-wire-contribution" aria-label={`${item.provider.credit}: ${item.headline}`}>
            <h3>
              <strong>{item.provider.credit}</strong>: <a href={`/newsroom/wires/items/${item.id}`}>{item.headline}</a> <ItemBadges item={item} now={now} />
            </h3>
            {c.adds.length ? (
              <>
                <p>
                  <strong>Adds</strong>
                </p>
                <ul class="nr-wire-adds">
                  {c.adds.map((a) => (
                    <li>{a}</li>
                  ))}
                </ul>
              </>
            ) : (
              <p class="nr-muted">Adds nothing the other versions do not have.</p>
            )}
            <details>
              <summary>The whole version, its own words marked</summary>
              {c.sentences.map((s) => (
                <p>
                  {s.parts.map((p) =>
                    p.novel ? (
                      <ins>
                        <span class="visually-hidden">Only here: </span>
                        {p.text}
                      </ins>
                    ) : (
                      <span>{p.text}</span>
                    ),
                  )}
                </p>
              ))}
            </details>
          </section>
        );
      })}
      {mayUse ? (
        <form method="post" action="/newsroom/wires/use">
          {items.map((i) => (
            <input type="hidden" name="items" value={String(i.id)} />
          ))}
          <button type="submit" class="button">
            Use this wire story (all items)
          </button>
        </form>
      ) : null}
    </div>
  );
}

// --- quarantine and providers ---------------------------------------------------

export interface QuarantineEntryView {
  id: number;
  provider: string;
  guid: string | null;
  reason: string;
  raw: string;
  receivedAt: string;
}

export function QuarantinePage({ entries, now }: { entries: QuarantineEntryView[]; now: Date }) {
  return (
    <div class="nr-wires">
      <WireNav current="quarantine" mayQuarantine={true} />
      <p class="nr-muted">What could not be read, with the reason and the payload as it arrived. Retry after a fix (or a provider's format was corrected); discard what will never read.</p>
      {entries.length === 0 ? <p class="nr-empty">Nothing in the quarantine.</p> : null}
      {entries.map((e) => (
        <section class="nr-panel nr-quarantine" aria-label={`Quarantined from ${e.provider}`}>
          <h2>
            {`${e.provider}: `}
            <span class="nr-muted">{e.guid ?? 'no id'}</span>
          </h2>
          <p>
            <strong>Reason:</strong> {e.reason}
          </p>
          <p class="nr-muted">
            Received <RelTime iso={e.receivedAt} now={now} />
          </p>
          <details>
            <summary>Payload</summary>
            <pre class="nr-quarantine__raw">{e.raw.slice(0, 20_000)}</pre>
          </details>
          <div class="nr-inline">
            <form method="post" action={`/newsroom/wires/quarantine/${e.id}/retry`}>
              <button type="submit" class="button button--small">
                Retry<span class="visually-hidden"> entry {e.id}</span>
              </button>
            </form>
            <form method="post" action={`/newsroom/wires/quarantine/${e.id}/discard`} data-confirm="Discard this payload for good?">
              <button type="submit" class="button button--small button--danger">
                Discard<span class="visually-hidden"> entry {e.id}</span>
              </button>
            </form>
          </div>
        </section>
      ))}
    </div>
  );
}

export interface ProviderView {
  id: number;
  name: string;
  displayName: string;
  credit: string;
  format: string;
  transport: string;
  url: string | null;
  enabled: boolean;
  lastSuccessAt: string | null;
  lastError: { at: string | null; code: string; message: string } | null;
  itemsLastHour: number;
}

export function ProvidersPage({ providers, mayManage, mayQuarantine, killUnpublish, secret, now }: { providers: ProviderView[]; mayManage: boolean; mayQuarantine: boolean; killUnpublish: boolean; secret: { name: string; secret: string } | null; now: Date }) {
  return (
    <div class="nr-wires">
      <WireNav current="providers" mayQuarantine={mayQuarantine} />
      {secret ? (
        <p class="nr-alert nr-alert--notice" role="status">
          {`The push secret of ${secret.name} (shown once; keep it safe): `}
          <code>{secret.secret}</code>
        </p>
      ) : null}
      <table class="nr-table">
        <caption class="visually-hidden">Wire providers</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Credit</th>
            <th scope="col">Format · transport</th>
            <th scope="col">Last success</th>
            <th scope="col">Last error</th>
            <th scope="col">Items (last hour)</th>
            {mayManage ? (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => (
            <tr data-provider={p.name}>
              <td>
                <strong>{p.displayName}</strong> <span class="nr-muted">{p.name}</span>
                {p.enabled ? null : <span class="nr-badge nr-badge--unpublished">Disabled</span>}
              </td>
              <td>{p.credit}</td>
              <td>
                {`${p.format} · ${p.transport}`}
                {p.transport === 'push' ? <div class="nr-muted">{`POST /api/wires/${p.name}`}</div> : p.url ? <div class="nr-muted">{p.url}</div> : null}
              </td>
              <td>{p.lastSuccessAt ? <RelTime iso={p.lastSuccessAt} now={now} /> : '–'}</td>
              <td>{p.lastError ? <span class="nr-wires__error">{`${p.lastError.code}: ${p.lastError.message}`}</span> : 'None'}</td>
              <td>{String(p.itemsLastHour)}</td>
              {mayManage ? (
                <td>
                  <form method="post" action={`/newsroom/wires/providers/${p.id}/remove`} data-confirm={`Remove ${p.displayName} with all its items?`}>
                    <button type="submit" class="button button--small button--danger">
                      Remove<span class="visually-hidden"> {p.displayName}</span>
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {mayManage ? (
        <>
          <form method="post" action="/newsroom/wires/providers" class="nr-form nr-panel">
            <h2>Add a provider</h2>
            <div class="nr-inline">
              <div class="nr-field">
                <label for="p-name">Name (slug)</label>
                <input id="p-name" name="name" required pattern="[a-z0-9][a-z0-9\-]{0,62}" />
              </div>
              <div class="nr-field">
                <label for="p-credit">Credit</label>
                <input id="p-credit" name="credit" required />
              </div>
              <div class="nr-field">
                <label for="p-format">Format</label>
                <select id="p-format" name="format">
                  {['auto', 'rss', 'atom', 'ninjs', 'newsml-g2', 'nitf'].map((f) => (
                    <option value={f}>{f}</option>
                  ))}
                </select>
              </div>
              <div class="nr-field">
                <label for="p-transport">Transport</label>
                <select id="p-transport" name="transport">
                  {['http', 'folder', 'push'].map((f) => (
                    <option value={f}>{f}</option>
                  ))}
                </select>
              </div>
              <div class="nr-field">
                <label for="p-url">Feed URL (http)</label>
                <input id="p-url" name="url" type="url" />
              </div>
              <SubmitField label="Add provider" class="button button--small" />
            </div>
          </form>
          <form method="post" action="/newsroom/wires/settings" class="nr-form nr-panel">
            <h2>Killed copy</h2>
            <div class="nr-field">
              <label>
                <input type="checkbox" name="killUnpublish" value="1" checked={killUnpublish} /> Unpublish stories automatically when a wire item behind them is killed or withheld
              </label>
            </div>
            <SubmitField label="Save setting" class="button button--small" />
          </form>
        </>
      ) : (
        <p class="nr-muted">{killUnpublish ? 'Stories made from killed or withheld copy are unpublished automatically.' : 'Stories made from killed or withheld copy are flagged to editors, not unpublished automatically.'}</p>
      )}
    </div>
  );
}

// --- on a story made from wire copy ---------------------------------------------

export interface StoryWirePanelProps {
  storyId: number;
  sources: Array<{ itemId: number; headline: string; provider: string; seq: number; currentSeq: number; pubStatus: string }>;
  killed: boolean;
  embargoUntil: string | null;
  updates: Array<{ itemId: number; provider: string; fromSeq: number; toSeq: number; signal: string | null; diff: VersionDiff }>;
  mayEdit: boolean;
  now: Date;
}

/** Above the editor: the kill alert, the embargo and "update available" with the diff. */
export function StoryWirePanel({ storyId, sources, killed, embargoUntil, updates, mayEdit, now }: StoryWirePanelProps) {
  const killedSources = sources.filter((s) => s.pubStatus !== 'usable');
  return (
    <section class="nr-story-wire" aria-label="Wire copy behind this story">
      {killed ? (
        <div class="nr-alert nr-alert--error nr-story-wire__kill" role="alert">
          <strong>{killedSources.some((s) => s.pubStatus === 'canceled') ? 'KILLED: ' : 'WITHHELD: '}</strong>
          {killedSources.map((s) => `${s.provider} has ${s.pubStatus === 'canceled' ? 'killed' : 'withheld'} “${s.headline}”`).join('; ')}
          {'. This story uses that copy: do not publish it (unpublish it if it is live) until the desk has checked.'}
        </div>
      ) : null}
      {embargoUntil ? (
        <p class="nr-alert nr-alert--notice">
          <strong>{embargoBadge(embargoUntil, now)}.</strong> This story cannot be published or scheduled before then.
        </p>
      ) : null}
      {updates.length ? (
        <div class="nr-alert nr-alert--notice nr-story-wire__update">
          <p>
            <strong>Update available</strong>
            {`: ${updates.map((u) => `${u.provider} sent ${u.signal === 'correction' ? 'a correction' : 'a new version'} (version ${u.toSeq})`).join('; ')}.`}
          </p>
          {updates.map((u) => (
            <details open>
              <summary>{`What changed in ${u.provider}'s copy since version ${u.fromSeq}`}</summary>
              <DiffView diff={u.diff} label={`Changes in ${u.provider}'s copy`} />
              <p>
                <a href={`/newsroom/wires/items/${u.itemId}`}>Open the wire item</a>
              </p>
            </details>
          ))}
          {mayEdit ? (
            <form method="post" action={`/newsroom/stories/${storyId}/wire-seen`}>
              <button type="submit" class="button button--small">
                Mark as seen
              </button>
            </form>
          ) : null}
        </div>
      ) : null}
      <p class="nr-muted nr-story-wire__sources">
        {'From the wire: '}
        {sources.map((s, i) => (
          <>
            {i ? '; ' : ''}
            <a href={`/newsroom/wires/items/${s.itemId}`}>{`${s.provider}, “${s.headline}”`}</a>
            {` (version ${s.seq}${s.currentSeq > s.seq ? `, now ${s.currentSeq}` : ''})`}
          </>
        ))}
      </p>
    </section>
  );
}
