/**
 * The audit log screen (admins): who did what, to which story or account,
 * when and from where, newest first, with filters by action and by person.
 */
import { exactTime } from '../../web/relative-time.js';
import { RelTime } from '../../web/components.js';
import { FilterForm, LabeledSelect, TableHead } from './controls.js';

export interface AuditRow {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_name: string | null;
  actor_token_id: number | null;
  token_name: string | null;
  action: string;
  subject: string;
  details: string;
  ip: string | null;
}

export interface AuditFilterView {
  action?: string | undefined;
  actor?: number | undefined;
  before?: number | undefined;
}

export interface AuditViewProps {
  entries: AuditRow[];
  /** The id to pass as `before` for older entries; null on the last page. */
  next: number | null;
  names: { users: Map<number, { name: string; email: string }>; articles: Map<number, string> };
  staff: Array<{ id: number; display_name: string; email: string; role: string }>;
  filter: AuditFilterView;
  now: Date;
}

/** What each action means, in the newsroom's words; unknown actions show their code. */
const ACTION_LABELS: Record<string, string> = {
  'auth.signin': 'Signed in',
  'auth.signin_failed': 'Failed sign-in',
  'article.create': 'Created a story',
  'article.update': 'Edited a story',
  'article.delete': 'Deleted a story',
  'article.submit': 'Submitted a story for review',
  'article.publish': 'Published a story',
  'article.schedule': 'Scheduled a story',
  'article.unschedule': 'Cancelled a schedule',
  'article.correction_remove': 'Removed a correction',
  'article.correction_edit': 'Fixed the wording of a correction',
  'article.unpublish': 'Unpublished a story',
  'article.correct': 'Corrected a story',
  'article.restore': 'Restored a revision',
  'comment.approve': 'Approved a comment',
  'comment.reject': 'Rejected a comment',
  'comment.feature': 'Featured a comment',
  'comment.unfeature': 'Stopped featuring a comment',
  'comment.ban': 'Banned from commenting',
  'comment.unban': 'Lifted a comment ban',
  'user.update': 'Changed an account',
  'user.disable': 'Disabled an account',
  'user.enable': 'Enabled an account',
  'token.create': 'Made an API token',
  'token.revoke': 'Revoked an API token',
  'invitation.send': 'Sent an invitation',
  'invitation.accept': 'Accepted an invitation',
  'invitation.revoke': 'Withdrew an invitation',
  'section.create': 'Created a section',
  'section.update': 'Changed a section',
  'section.delete': 'Deleted a section',
  'section.reorder': 'Reordered the sections',
  'tag.create': 'Created a tag',
  'tag.update': 'Changed a tag',
  'tag.delete': 'Deleted a tag',
  'author.create': 'Created an author',
  'author.update': 'Changed an author',
  'author.delete': 'Deleted an author',
  'breaking.set': 'Set the breaking-news strip',
  'breaking.clear': 'Removed the breaking-news strip',
  'settings.comments': 'Changed the comment settings',
  'settings.security': 'Changed who must use two-step sign-in',
};

/** The audit page's address for a filter (and an older page). */
export function auditUrl(filter: AuditFilterView): string {
  const q = new URLSearchParams();
  if (filter.action) q.set('action', filter.action);
  if (filter.actor !== undefined) q.set('actor', String(filter.actor));
  if (filter.before !== undefined) q.set('before', String(filter.before));
  const s = q.toString();
  return s ? `/newsroom/audit?${s}` : '/newsroom/audit';
}

function parseDetails(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v.length > 120 ? `${v.slice(0, 117)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && v !== null && 'from' in v && 'to' in v) {
    const { from, to } = v as { from: unknown; to: unknown };
    return `${show(from)} → ${show(to)}`;
  }
  const json = JSON.stringify(v);
  return json.length > 120 ? `${json.slice(0, 117)}…` : json;
}

/** The details as short "key: value" pairs (the story link is shown under "About"). */
function Details({ details }: { details: Record<string, unknown> }) {
  const keys = Object.keys(details).filter((k) => k !== 'article');
  if (!keys.length) return null;
  return (
    <ul class="audit-details">
      {keys.map((k) => (
        <li>
          <span class="audit-details__key">{k}</span>: {show(details[k])}
        </li>
      ))}
    </ul>
  );
}

function Who({ e }: { e: AuditRow }) {
  if (e.actor_user_id !== null) {
    return (
      <span>
        <a href={auditUrl({ actor: e.actor_user_id })} title="Everything this person did">
          {e.actor_name ?? `Account ${e.actor_user_id} (deleted)`}
        </a>
        {e.actor_token_id !== null ? <span class="audit-token"> with the token “{e.token_name ?? e.actor_token_id}”</span> : null}
      </span>
    );
  }
  if (e.actor_token_id !== null) return <span>Token “{e.token_name ?? e.actor_token_id}”</span>;
  if (e.action === 'auth.signin_failed') return <span class="audit-system">Someone</span>;
  return <span class="audit-system">System</span>;
}

function About({ e, details, names }: { e: AuditRow; details: Record<string, unknown>; names: AuditViewProps['names'] }) {
  const m = /^([a-z_]+):([\w-]+)$/.exec(e.subject);
  const kind = m?.[1];
  const id = Number(m?.[2]);
  const storyLink = (articleId: number) => (
    <a href={`/newsroom/stories/${articleId}`}>{names.articles.get(articleId) ?? `Story ${articleId} (deleted)`}</a>
  );
  if (kind === 'user') {
    const u = names.users.get(id);
    return u ? <a href={`/newsroom/people?q=${encodeURIComponent(u.email)}`}>{u.name}</a> : <span>Account {id} (deleted)</span>;
  }
  if (kind === 'article') return storyLink(id);
  if (kind === 'comment') {
    const article = typeof details.article === 'number' ? details.article : null;
    return (
      <span>
        <a href={`/comments/${id}`}>Comment {id}</a>
        {article !== null ? <> on {storyLink(article)}</> : null}
      </span>
    );
  }
  if (kind === 'token') return <a href="/newsroom/people#tokens">Token {id}</a>;
  if (kind === 'invitation') return <span>Invitation {id}{typeof details.email === 'string' ? ` to ${details.email}` : ''}</span>;
  return <span>{e.subject}</span>;
}

export function AuditView({ entries, next, names, staff, filter, now }: AuditViewProps) {
  const base = { action: filter.action, actor: filter.actor };
  return (
    <div class="audit">
      <FilterForm
        action="/newsroom/audit"
        class="audit-filters"
        label="Filter the audit log"
        submit="Filter"
        clear={filter.action || filter.actor !== undefined ? { text: 'Show everything' } : null}
      >
        <div class="nr-field">
          <label for="audit-action">Action</label>
          <input id="audit-action" type="text" name="action" list="audit-actions" value={filter.action ?? ''} maxLength={60} pattern="[a-z_]+\.[a-z_]+" placeholder="e.g. article.publish" />
          <datalist id="audit-actions">
            {Object.entries(ACTION_LABELS).map(([code, label]) => (
              <option value={code}>{label}</option>
            ))}
          </datalist>
        </div>
        <LabeledSelect
          id="audit-actor"
          name="actor"
          label="Who"
          value={filter.actor === undefined ? undefined : String(filter.actor)}
          options={[{ value: '', label: 'Anyone' }, ...staff.map((s) => ({ value: String(s.id), label: `${s.display_name} (${s.role})` }))]}
        />
      </FilterForm>
      {entries.length === 0 ? (
        <p>{filter.before !== undefined ? 'No older entries.' : 'Nothing recorded yet.'}</p>
      ) : (
        <div class="audit-scroll">
          <table class="nr-table audit-table">
            <TableHead columns={['When', 'Who', 'What', 'About', 'From']} />
            <tbody>
              {entries.map((e) => {
                const details = parseDetails(e.details);
                return (
                  <tr id={`audit-${e.id}`} data-action={e.action}>
                    <td class="audit-when">
                      <span class="audit-exact">{exactTime(e.at)}</span>
                      <br />
                      <RelTime iso={e.at} now={now} />
                    </td>
                    <td>
                      <Who e={e} />
                    </td>
                    <td>
                      {ACTION_LABELS[e.action] ?? e.action} <code class="audit-code">{e.action}</code>
                      <Details details={details} />
                    </td>
                    <td>
                      <About e={e} details={details} names={names} />
                    </td>
                    <td class="audit-ip">{e.ip ?? '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pagination" aria-label="Pages of the audit log">
        {filter.before !== undefined ? (
          <a class="pagination__prev" href={auditUrl(base)}>
            <span aria-hidden="true">← </span>Newest entries
          </a>
        ) : (
          <span class="pagination__spacer" />
        )}
        {next !== null ? (
          <a class="pagination__next" href={auditUrl({ ...base, before: next })} rel="next">
            Older entries<span aria-hidden="true"> →</span>
          </a>
        ) : (
          <span class="pagination__spacer" />
        )}
      </nav>
    </div>
  );
}
