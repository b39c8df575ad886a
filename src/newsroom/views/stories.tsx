/**
 * The newsroom's story list at /newsroom: every story in every state (a
 * contributor's own only), filtered by a plain GET form, paged, with who last
 * changed each story and how. Receives everything it shows; no I/O.
 */
import type { ArticleStatus } from '../../platform/db/types.js';
import { RelTime } from '../../web/components.js';
import { exactTime } from '../../web/relative-time.js';
import { LabeledSelect, Pager, SearchField, SubmitField, TableHead, type Option } from './controls.js';

export type StatusFilter = ArticleStatus | 'all';
export type StoryListSort = 'modified' | 'created' | 'published' | 'scheduled' | 'headline';

export interface StoryListFilters {
  status: StatusFilter;
  /** Section slug, or '' for every section. */
  section: string;
  /** Byline author slug, or ''. */
  author: string;
  /** Text in the headline, or ''. */
  q: string;
  /** Only stories the viewer created. */
  mine: boolean;
  /** Only stories whose wire copy has an update an editor has not seen. */
  wireUpdate: boolean;
  sort: StoryListSort;
  order: 'asc' | 'desc';
}

export const STATUS_FILTERS: ReadonlyArray<{ value: StatusFilter; label: string }> = [
  { value: 'all', label: 'All' },
  { value: 'draft', label: 'Draft' },
  { value: 'review', label: 'In review' },
  { value: 'scheduled', label: 'Scheduled' },
  { value: 'published', label: 'Published' },
  { value: 'unpublished', label: 'Unpublished' },
];

export const SORTS: ReadonlyArray<{ value: StoryListSort; label: string }> = [
  { value: 'modified', label: 'Last changed' },
  { value: 'published', label: 'Published' },
  { value: 'scheduled', label: 'Scheduled time' },
  { value: 'created', label: 'Created' },
  { value: 'headline', label: 'Headline' },
];

const ORDERS: readonly Option[] = [
  { value: 'desc', label: 'Newest first (Z–A)' },
  { value: 'asc', label: 'Oldest first (A–Z)' },
];

const STATUS_LABELS: Record<ArticleStatus, string> = {
  draft: 'Draft',
  review: 'In review',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

/** The latest change to a story: "Published" by "Night Desk" at `at`. */
export interface LastChange {
  /** What happened, as a past participle: "Published", "Edited", "Submitted for review". */
  what: string;
  /** Who did it; null when nobody is known (an import, a deleted account). */
  by: string | null;
  at: string;
}

export interface StoryListEntry {
  id: number;
  headline: string;
  status: ArticleStatus;
  section: { slug: string; name: string };
  byline: string[];
  lastChange: LastChange;
  scheduledAt: string | null;
  publishedAt: string | null;
  /** The public address, while readers can see the story. */
  publicPath: string | null;
  /** For a story made from wire copy: killed or withheld copy behind it, an update not yet seen. */
  wire?: { killed: boolean; update: boolean } | null;
  /** Readers in the last 24 hours (see src/analytics); null for a story readers cannot see. */
  reads24h: number | null;
}

export interface StoryListProps {
  filters: StoryListFilters;
  sections: Option[];
  authors: Option[];
  stories: StoryListEntry[];
  page: number;
  totalPages: number;
  total: number;
  /** May write a new story (the button). */
  canCreate: boolean;
  /** Sees every story (editors, admins); contributors see their own. */
  seesAll: boolean;
  hrefForPage: (page: number) => string;
  now: Date;
}

function hasFilters(f: StoryListFilters): boolean {
  return f.status !== 'all' || !!f.section || !!f.author || !!f.q || f.mine || f.wireUpdate;
}

function Select({ name, label, value, options }: { name: string; label: string; value: string; options: readonly Option[] }) {
  return <LabeledSelect id={`story-filter-${name}`} name={name} label={label} value={value} options={options} />;
}

function FilterForm({ filters, sections, authors, seesAll }: Pick<StoryListProps, 'filters' | 'sections' | 'authors' | 'seesAll'>) {
  return (
    <form method="get" action="/newsroom" class="nr-form nr-panel nr-stories__filters" role="search" aria-label="Filter stories">
      <div class="nr-inline">
        <SearchField id="story-filter-q" label="Headline contains" value={filters.q} class="nr-stories__text" />
        <Select name="status" label="Status" value={filters.status} options={STATUS_FILTERS} />
        <Select name="section" label="Section" value={filters.section} options={[{ value: '', label: 'All sections' }, ...sections]} />
        <Select name="author" label="Byline" value={filters.author} options={[{ value: '', label: 'Anyone' }, ...authors]} />
        <Select name="sort" label="Sort by" value={filters.sort} options={SORTS} />
        <Select name="order" label="Order" value={filters.order} options={ORDERS} />
        {seesAll ? (
          <div class="nr-field nr-stories__mine">
            <label>
              <input type="checkbox" name="mine" value="1" checked={filters.mine} /> Only stories I created
            </label>
          </div>
        ) : null}
        <div class="nr-field nr-stories__mine">
          <label>
            <input type="checkbox" name="wireUpdate" value="1" checked={filters.wireUpdate} /> Wire update available
          </label>
        </div>
        <SubmitField label="Show stories" class="button button--small" />
      </div>
      {hasFilters(filters) ? (
        <p class="nr-stories__clear">
          <a href="/newsroom">Clear filters</a>
        </p>
      ) : null}
    </form>
  );
}

export function StatusBadge({ status }: { status: ArticleStatus }) {
  return <span class={`nr-badge nr-badge--${status}`}>{STATUS_LABELS[status]}</span>;
}

function Change({ change, now }: { change: LastChange; now: Date }) {
  return (
    <span class="nr-change">
      {change.what}
      {change.by ? (
        <>
          {' by '}
          <strong class="nr-change__who">{change.by}</strong>
        </>
      ) : null}
      <span aria-hidden="true"> · </span>
      <RelTime iso={change.at} now={now} />
    </span>
  );
}

function StoryRow({ story, now }: { story: StoryListEntry; now: Date }) {
  return (
    <tr data-story-id={String(story.id)} data-status={story.status}>
      <td class="nr-stories__headline">
        <a href={`/newsroom/stories/${story.id}`}>{story.headline}</a>
        {story.wire?.killed ? <strong class="nr-badge nr-badge--killed">Wire copy killed</strong> : null}
        {story.wire?.update ? <span class="nr-badge nr-badge--update">Wire update available</span> : null}
        {story.publicPath ? (
          <a class="nr-stories__public" href={story.publicPath}>
            View on site<span class="visually-hidden">: {story.headline}</span>
          </a>
        ) : null}
      </td>
      <td>
        <StatusBadge status={story.status} />
        {story.status === 'scheduled' && story.scheduledAt ? (
          <span class="nr-stories__when">
            for <time dateTime={story.scheduledAt}>{exactTime(story.scheduledAt)}</time>
          </span>
        ) : null}
      </td>
      <td>{story.section.name}</td>
      <td>{story.byline.length ? story.byline.join(', ') : <span class="nr-muted">No byline</span>}</td>
      <td class="nr-stories__reads">{story.reads24h === null ? <span class="nr-muted">–</span> : story.reads24h.toLocaleString('en-GB')}</td>
      <td>
        <Change change={story.lastChange} now={now} />
      </td>
    </tr>
  );
}

function Empty({ filters, seesAll, canCreate }: Pick<StoryListProps, 'filters' | 'seesAll' | 'canCreate'>) {
  if (hasFilters(filters)) {
    return (
      <p class="nr-empty">
        No stories match these filters. <a href="/newsroom">Show all stories</a>
      </p>
    );
  }
  return (
    <p class="nr-empty">
      {seesAll ? 'There are no stories yet.' : 'You have not written any stories yet.'}{' '}
      {canCreate ? <a href="/newsroom/stories/new">Write the first one</a> : null}
    </p>
  );
}

export function StoryList(props: StoryListProps) {
  const { filters, stories, page, totalPages, total, canCreate, seesAll, hrefForPage, now } = props;
  return (
    <div class="nr-stories">
      <div class="nr-stories__bar">
        <p class="nr-stories__count">
          {total === 1 ? '1 story' : `${total.toLocaleString('en')} stories`}
          {seesAll ? null : ' (yours)'}
        </p>
        {canCreate ? (
          <a class="button button--primary" href="/newsroom/stories/new">
            New story
          </a>
        ) : null}
      </div>
      <FilterForm filters={filters} sections={props.sections} authors={props.authors} seesAll={seesAll} />
      {stories.length === 0 && page > 1 && total > 0 ? (
        <p class="nr-empty">
          There is no page {page}. <a href={hrefForPage(1)}>Back to the first page</a>
        </p>
      ) : stories.length === 0 ? (
        <Empty filters={filters} seesAll={seesAll} canCreate={canCreate} />
      ) : (
        <table class="nr-table nr-stories__table">
          <caption class="visually-hidden">Stories, page {page} of {totalPages}</caption>
          <TableHead columns={['Headline', 'Status', 'Section', 'Byline', 'Reads (24 h)', 'Last change']} />
          <tbody>
            {stories.map((s) => (
              <StoryRow story={s} now={now} />
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} totalPages={totalPages} what="stories" href={hrefForPage} />
    </div>
  );
}
