/**
 * The newsroom's Fronts screens (editors and admins): every front with what
 * is live on it, and one front being arranged. The arranging works as plain
 * forms (↑, ↓, Remove and Add each post the whole new order, so the page is
 * complete without JavaScript); the newsroom script adds drag and drop
 * (src/client/newsroom/fronts.ts), which posts the same form.
 */
import type { FrontView, LayoutView, SlotView } from '../../content/front.service.js';
import { defaultLatest, MAX_LATEST, MAX_SLOTS, TOP_SLOTS } from '../../content/front.model.js';
import { PostButton } from './controls.js';
import { utcText } from './taxonomy-fields.js';

export const frontPaths = {
  list: () => '/newsroom/fronts',
  front: (name: string) => `/newsroom/fronts/${name}`,
  draft: (name: string) => `/newsroom/fronts/${name}/draft`,
  publish: (name: string) => `/newsroom/fronts/${name}/publish`,
  discard: (name: string) => `/newsroom/fronts/${name}/discard`,
  preview: (name: string) => `/newsroom/fronts/${name}/preview`,
  cancel: (name: string, id: number) => `/newsroom/fronts/${name}/scheduled/${id}/cancel`,
};

const ROLE_NAMES = { lead: 'Lead', top: 'Top story', pinned: 'Pinned' } as const;

function liveSummary(f: FrontView): string {
  if (!f.live) return 'Nothing arranged: newest first';
  const n = f.live.slots.length;
  return `${n} arranged ${n === 1 ? 'story' : 'stories'}, then the ${f.live.latestCount} newest (since ${utcText(f.live.wentLiveAt ?? f.live.updatedAt)})`;
}

export function FrontsList({ fronts }: { fronts: FrontView[] }) {
  return (
    <section class="nr-panel" aria-labelledby="fronts-heading">
      <h2 id="fronts-heading">Fronts</h2>
      <p>
        Arrange the home page and each section front: a lead, {TOP_SLOTS} top stories beside it, pinned stories, and how many of the newest fill the rest.
        A front nobody arranged shows the newest stories.
      </p>
      <table class="nr-table">
        <thead>
          <tr>
            <th scope="col">Front</th>
            <th scope="col">Live</th>
            <th scope="col">Draft</th>
            <th scope="col">Scheduled</th>
          </tr>
        </thead>
        <tbody>
          {fronts.map((f) => (
            <tr>
              <th scope="row">
                <a href={frontPaths.front(f.name)}>{f.title}</a> <span class="tx-muted">{f.path}</span>
              </th>
              <td>{liveSummary(f)}</td>
              <td>{f.draft ? `Saved ${utcText(f.draft.updatedAt)}` : '—'}</td>
              <td>{f.scheduled.length ? f.scheduled.map((l) => utcText(l.goLiveAt!)).join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface FrontScreenProps {
  front: FrontView;
  /** Newest public stories that may be added (not yet in the working layout). */
  candidates: Array<{ id: number; headline: string; publishedAt: string }>;
  /** The datetime-local value the schedule field shows. */
  scheduleAt: string;
}

/** What is being arranged: the draft, or (until the first change saves one) a copy of what is live. */
function working(front: FrontView): { slots: SlotView[]; latestCount: number; saved: boolean } {
  const from = front.draft ?? front.live;
  return { slots: from?.slots ?? [], latestCount: from?.latestCount ?? defaultLatest(front.key), saved: !!front.draft };
}

const orderWith = (ids: number[], i: number, j: number) => {
  const next = [...ids];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next.join(',');
};

function SlotItem({ front, slot, ids, latestCount }: { front: FrontView; slot: SlotView; ids: number[]; latestCount: number }) {
  const i = slot.position;
  const action = frontPaths.draft(front.name);
  const fields = (order: string) => ({ slots: order, latestCount: String(latestCount) });
  const name = `“${slot.article.headline}”`;
  return (
    <li class={`fr-slot fr-slot--${slot.role}`} draggable data-slot-id={String(slot.article.id)}>
      <span class="fr-slot__handle" aria-hidden="true">⠿</span>
      <span class="fr-slot__role">
        {ROLE_NAMES[slot.role]} {slot.role === 'lead' ? '' : i}
      </span>
      <span class="fr-slot__headline">
        <a href={slot.article.path}>{slot.article.headline}</a>
        {slot.article.public ? null : (
          <strong class="nr-badge nr-badge--killed"> Not public ({slot.article.status}): readers do not see it, the stories after it move up</strong>
        )}
      </span>
      <span class="fr-slot__buttons">
        {i > 0 ? <PostButton action={action} fields={fields(orderWith(ids, i, i - 1))} label="↑ Up" small accessibleLabel={`Move ${name} up`} /> : null}
        {i < ids.length - 1 ? <PostButton action={action} fields={fields(orderWith(ids, i, i + 1))} label="↓ Down" small accessibleLabel={`Move ${name} down`} /> : null}
        <PostButton action={action} fields={fields(ids.filter((id) => id !== slot.article.id).join(','))} label="Remove" small accessibleLabel={`Remove ${name} from the front`} />
      </span>
    </li>
  );
}

function Scheduled({ front, layout }: { front: FrontView; layout: LayoutView }) {
  return (
    <li>
      Goes live at <strong>{utcText(layout.goLiveAt!)}</strong>: {layout.slots.map((s) => s.article.headline).join(' · ') || 'no arranged stories'}, then the {layout.latestCount} newest.{' '}
      <PostButton action={frontPaths.cancel(front.name, layout.id)} label="Cancel" small danger class="nr-inline" accessibleLabel={`Cancel the layout scheduled for ${utcText(layout.goLiveAt!)}`} />
    </li>
  );
}

export function FrontScreen({ front, candidates, scheduleAt }: FrontScreenProps) {
  const w = working(front);
  const ids = w.slots.map((s) => s.article.id);
  const latest = String(w.latestCount);
  const full = ids.length >= MAX_SLOTS;
  return (
    <>
      <p>
        <a href={frontPaths.list()}>All fronts</a> · <a href={front.path}>See {front.title} on the site</a>
      </p>
      <section class="nr-panel" aria-labelledby="front-live">
        <h2 id="front-live">Live now</h2>
        <p>{liveSummary(front)}.</p>
      </section>

      <section class="nr-panel" aria-labelledby="front-draft">
        <h2 id="front-draft">{w.saved ? 'Draft' : 'Arrange'}</h2>
        <p class="field__hint">
          {w.saved
            ? `Saved ${utcText(front.draft!.updatedAt)}. Readers see none of it until you publish it.`
            : 'This is what is live. Any change is saved as a draft; readers see none of it until you publish it.'}{' '}
          The first story is the lead, the next {TOP_SLOTS} are the top stories beside it, the rest are pinned; {MAX_SLOTS} at most. Drag a story, or use its buttons.
        </p>
        {w.slots.length ? (
          <ol class="fr-slots" data-front-slots="" aria-label="Arranged stories, in order">
            {w.slots.map((slot) => (
              <SlotItem front={front} slot={slot} ids={ids} latestCount={w.latestCount} />
            ))}
          </ol>
        ) : (
          <p class="empty-state">No story is arranged: the front shows the newest stories.</p>
        )}
        {/* What the drag script sends: the new order, as the buttons do. */}
        <form method="post" action={frontPaths.draft(front.name)} data-front-order="" hidden>
          <input type="hidden" name="slots" value={ids.join(',')} />
          <input type="hidden" name="latestCount" value={latest} />
        </form>

        <form method="post" action={frontPaths.draft(front.name)} class="nr-form nr-inline fr-add">
          <input type="hidden" name="slots" value={ids.join(',')} />
          <input type="hidden" name="latestCount" value={latest} />
          <div class="nr-field">
            <label for="front-add">Add a published story</label>
            <select id="front-add" name="add" disabled={full}>
              {candidates.map((c) => (
                <option value={String(c.id)}>
                  {c.headline} ({utcText(c.publishedAt)})
                </option>
              ))}
            </select>
          </div>
          <div class="nr-field">
            <button type="submit" class="button" disabled={full || !candidates.length}>
              Add
            </button>
          </div>
        </form>

        <form method="post" action={frontPaths.draft(front.name)} class="nr-form nr-inline">
          <input type="hidden" name="slots" value={ids.join(',')} />
          <div class="nr-field">
            <label for="front-latest">Then this many of the newest stories</label>
            <input id="front-latest" name="latestCount" type="number" min="0" max={String(MAX_LATEST)} value={latest} />
          </div>
          <div class="nr-field">
            <button type="submit" class="button">
              Save
            </button>
          </div>
        </form>
      </section>

      {front.draft ? (
        <section class="nr-panel" aria-labelledby="front-publish">
          <h2 id="front-publish">Publish the draft</h2>
          <p>
            <a class="button" href={frontPaths.preview(front.name)}>
              Preview the draft
            </a>
          </p>
          <form method="post" action={frontPaths.publish(front.name)} class="nr-inline">
            <input type="hidden" name="when" value="now" />
            <button type="submit" class="button button--primary">
              Publish now
            </button>
          </form>
          <form method="post" action={frontPaths.publish(front.name)} class="nr-form nr-inline">
            <input type="hidden" name="when" value="later" />
            <div class="nr-field">
              <label for="front-at">Or go live at (UTC)</label>
              <input id="front-at" name="at" type="datetime-local" value={scheduleAt} />
            </div>
            <div class="nr-field">
              <button type="submit" class="button">
                Schedule
              </button>
            </div>
          </form>
          <PostButton action={frontPaths.discard(front.name)} label="Discard the draft" small danger confirm="Throw this draft away? The live front stays as it is." />
        </section>
      ) : null}

      {front.scheduled.length ? (
        <section class="nr-panel" aria-labelledby="front-scheduled">
          <h2 id="front-scheduled">Scheduled</h2>
          <ul>
            {front.scheduled.map((l) => (
              <Scheduled front={front} layout={l} />
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

/** The preview's banner, on the reader's page. */
export function FrontPreviewBanner({ front }: { front: FrontView }) {
  return (
    <p>
      <strong>Preview — the draft of {front.title}</strong> <span>Readers do not see this layout until it is published.</span>{' '}
      <a href={frontPaths.front(front.name)}>Back to arranging</a>
    </p>
  );
}
