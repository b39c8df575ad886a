/**
 * The newsroom's story list (/newsroom): every story this staff member may
 * see, filtered by a GET form (status, section, author, text, "mine"),
 * sorted and paged, with who changed each one last. Server-rendered over the
 * same services and policies as the admin API.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { AppDeps } from '../services.js';
import type { ArticleStatus } from '../platform/db/types.js';
import { can, seesAllStories } from '../accounts/staff.policy.js';
import { type StorySummaryView } from '../content/story.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { StoryWireState } from '../wires/desk.service.js';
import { sendNewsroomPage, staffPage } from './staff-page.js';
import { STATUS_FILTERS, SORTS, StoryList, type LastChange, type StatusFilter, type StoryListEntry, type StoryListFilters } from './views/stories.js';

/** Stories on one page of the list. */
const STORIES_PER_PAGE = 25;

/**
 * The list's query, read leniently: it comes from a GET form whose "any"
 * choices are empty strings, and an unknown sort or status falls back to
 * the default rather than failing. An unknown section or author is refused
 * by the service, which says which.
 */
const StoryListPageQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 20 })),
  section: Type.Optional(Type.String({ maxLength: 120 })),
  author: Type.Optional(Type.String({ maxLength: 120 })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  mine: Type.Optional(Type.String({ maxLength: 5 })),
  wireUpdate: Type.Optional(Type.String({ maxLength: 5 })),
  sort: Type.Optional(Type.String({ maxLength: 20 })),
  order: Type.Optional(Type.String({ maxLength: 4 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  done: Type.Optional(Type.String({ maxLength: 40 })),
});
type StoryListPageQuery = Static<typeof StoryListPageQuery>;

function storyFilters(q: StoryListPageQuery): StoryListFilters {
  const status = STATUS_FILTERS.find((s) => s.value === q.status)?.value ?? 'all';
  const sort = SORTS.find((s) => s.value === q.sort)?.value ?? 'modified';
  return {
    status,
    section: q.section?.trim() ?? '',
    author: q.author?.trim() ?? '',
    q: q.q?.trim() ?? '',
    mine: q.mine === '1' || q.mine === 'on',
    wireUpdate: q.wireUpdate === '1' || q.wireUpdate === 'on',
    sort,
    order: q.order === 'asc' ? 'asc' : 'desc',
  };
}

/**
 * The notices the list shows after an action elsewhere sent people back to it
 * (the `done` code of a 303: the editor's delete). Only these codes say
 * anything; the query's text itself is never shown.
 */
const STORY_LIST_NOTICES: Readonly<Record<string, string>> = {
  deleted: 'Story deleted.',
};

function storyListNotice(done: string | undefined): string | null {
  return done !== undefined && Object.hasOwn(STORY_LIST_NOTICES, done) ? STORY_LIST_NOTICES[done]! : null;
}

/** The list's address for these filters and page, naming only what differs from the defaults. */
function storyListHref(f: StoryListFilters, page: number): string {
  const params = new URLSearchParams();
  if (f.q) params.set('q', f.q);
  if (f.status !== 'all') params.set('status', f.status);
  if (f.section) params.set('section', f.section);
  if (f.author) params.set('author', f.author);
  if (f.mine) params.set('mine', '1');
  if (f.wireUpdate) params.set('wireUpdate', '1');
  if (f.sort !== 'modified') params.set('sort', f.sort);
  if (f.order !== 'desc') params.set('order', f.order);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/newsroom?${qs}` : '/newsroom';
}

/** What an audit action on a story is, said as the list says it ("Published by …"). */
const CHANGE_WORDS: Record<string, string> = {
  'article.create': 'Created',
  'article.update': 'Edited',
  'article.submit': 'Submitted for review',
  'article.publish': 'Published',
  'article.schedule': 'Scheduled',
  'article.unschedule': 'Schedule cancelled',
  'article.unpublish': 'Unpublished',
  'article.correct': 'Correction added',
  'article.correction_remove': 'Correction removed',
  'article.correction_edit': 'Correction wording fixed',
  'article.restore': 'Restored an earlier version',
};

type AuditLatest = Awaited<ReturnType<AuditService['latestFor']>>[number];

function detailsOf(json: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The latest change to a story: its newest audit entry, or (for stories that
 * came in without one: the demo edition, an import) the row's own last-change
 * columns.
 */
function lastChangeOf(item: StorySummaryView, entry: AuditLatest | undefined): LastChange {
  if (!entry) return { what: 'Last changed', by: item.modifiedBy?.name ?? null, at: item.row.modified_at };
  const details = detailsOf(entry.details);
  let what = CHANGE_WORDS[entry.action] ?? 'Changed';
  if (entry.action === 'article.publish' && details.republished === true) what = 'Republished';
  let by: string | null = entry.actor_name ?? null;
  if (!by && entry.token_name) by = `the API token “${entry.token_name}”`;
  if (!by && entry.actor_user_id === null && entry.actor_token_id === null) by = details.scheduled === true ? 'the scheduler' : 'the system';
  return { what, by, at: entry.at };
}

function storyEntry(item: StorySummaryView, entry: AuditLatest | undefined, wire: StoryWireState | undefined, reads: Map<number, number>): StoryListEntry {
  const { row } = item;
  return {
    id: row.id,
    headline: row.headline,
    status: row.status as ArticleStatus,
    section: { slug: item.section.slug, name: item.section.name },
    byline: item.authors.map((a) => a.name),
    lastChange: lastChangeOf(item, entry),
    scheduledAt: row.scheduled_at,
    publishedAt: row.published_at,
    publicPath: row.status === 'published' ? item.path : null,
    wire: wire ? { killed: wire.killed, update: wire.updateAvailable } : null,
    reads24h: row.status === 'published' ? reads.get(row.id) ?? 0 : null,
  };
}

export const storiesPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { stories, taxonomy, now } = deps;

  app.get('/newsroom', { schema: { querystring: StoryListPageQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.list');
    if (!page) return reply;
    const { staff } = page;
    const filters = storyFilters(req.query);
    const pageNo = req.query.page ?? 1;
    const status: StatusFilter = filters.status;
    const [{ items, total }, sections, authors] = await Promise.all([
      stories.list(staff, {
        status: status === 'all' ? undefined : status,
        section: filters.section || undefined,
        author: filters.author || undefined,
        createdBy: filters.mine && staff.userId !== null ? staff.userId : undefined,
        q: filters.q || undefined,
        // The wire desk knows which stories have an update behind them; content lists them.
        ids: filters.wireUpdate ? await deps.desk.articlesWithUpdates() : undefined,
        sort: filters.sort,
        order: filters.order,
        page: pageNo,
        limit: STORIES_PER_PAGE,
      }),
      taxonomy.sections(staff),
      taxonomy.authors(staff),
    ]);
    // Who changed each story last, and its readers in the last 24 hours: one query each for the whole page.
    const [latest, reads] = await Promise.all([
      deps.audit.latestFor(items.map((i) => `article:${i.row.id}`)),
      deps.readership.readsFor(items.map((i) => i.row.id)),
    ]);
    const bySubject = new Map(latest.map((e) => [e.subject, e]));
    const wire = await deps.desk.storyStates(items.map((i) => i.row.id));
    const byId = new Map(sections.map((s) => [s.id, s]));
    // Subsections under their parents, as the site's navigation has them.
    const sectionOptions = sections
      .filter((s) => s.parent_id === null)
      .flatMap((parent) => [parent, ...sections.filter((c) => c.parent_id === parent.id)])
      .concat(sections.filter((s) => s.parent_id !== null && !byId.has(s.parent_id)))
      .map((s) => ({ value: s.slug, label: s.parent_id === null ? s.name : `— ${s.name}` }));
    const totalPages = Math.max(1, Math.ceil(total / STORIES_PER_PAGE));
    return sendNewsroomPage(reply, page, {
      title: 'Stories',
      screen: 'stories',
      notice: storyListNotice(req.query.done),
      children: (
        <StoryList
          filters={filters}
          sections={sectionOptions}
          authors={authors.map((a) => ({ value: a.slug, label: a.name }))}
          stories={items.map((i) => storyEntry(i, bySubject.get(`article:${i.row.id}`), wire.get(i.row.id), reads))}
          page={pageNo}
          totalPages={totalPages}
          total={total}
          canCreate={can(staff, 'article.create') === true}
          seesAll={seesAllStories(staff)}
          hrefForPage={(n) => storyListHref(filters, n)}
          now={now()}
        />
      ),
    });
  });
};
