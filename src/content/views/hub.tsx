/**
 * The top of a special-coverage hub (the tag page of a special-coverage
 * tag): the lead editors chose, and the live story running under the tag
 * with its key-events timeline. The latest pieces follow (views/tag.tsx).
 */
import { StoryCard } from './story-parts.js';
import { exactTime } from '../../web/relative-time.js';
import type { ArticleSummary } from '../content.model.js';
import { postAnchor, type LiveStream } from '../live.model.js';

export interface HubProps {
  lead: ArticleSummary | null;
  live: { article: ArticleSummary; stream: LiveStream } | null;
}

export function HubTop({ hub, now }: { hub: HubProps; now: Date }) {
  const { lead, live } = hub;
  if (!lead && !live) return null;
  return (
    <div class="hub">
      {live ? (
        <section class="hub__live" aria-labelledby="hub-live-heading">
          <h2 id="hub-live-heading" class="block-heading">
            <span class="live-marker">Live</span> <a href={live.article.path}>{live.article.headline}</a>
          </h2>
          {live.stream.keyEvents.length ? (
            <nav class="live-timeline" aria-label="Key events">
              <ol role="list">
                {live.stream.keyEvents.map((k) => (
                  <li>
                    <time dateTime={k.at} title={exactTime(k.at)}>{exactTime(k.at)}</time>{' '}
                    <a href={`${live.article.path}#${postAnchor(k.postId)}`}>{k.title}</a>
                  </li>
                ))}
              </ol>
            </nav>
          ) : null}
        </section>
      ) : null}
      {lead ? (
        <section class="hub__lead" aria-label="Lead story">
          <StoryCard article={lead} now={now} variant="lead" headingLevel={2} />
        </section>
      ) : null}
    </div>
  );
}
