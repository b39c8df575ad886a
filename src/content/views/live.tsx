/**
 * A live story's parts on its page: the status and key-events timeline at
 * the top, the pinned post, and the stream of posts, newest first, each with
 * its author, time and permalink, paginated by `?before=<post id>` so the
 * page is complete without JavaScript. The client script (client/live.ts)
 * polls the stream's small updates endpoint and offers "N new updates".
 */
import { RelTime } from '../../web/components.js';
import { exactTime } from '../../web/relative-time.js';
import { postAnchor, postHref, type LivePost, type LiveStream } from '../live.model.js';

export const LIVE_UPDATES_PATH = (articleId: number) => `/api/v1/articles/${articleId}/live`;

export function LivePostView({ post, articlePath, now, onThisPage = true }: { post: LivePost; articlePath: string; now: Date; onThisPage?: boolean }) {
  return (
    <article
      class={`live-post live-post--${post.kind}${post.pinned ? ' live-post--pinned' : ''}${post.keyEvent ? ' live-post--key' : ''}`}
      id={postAnchor(post.id)}
      data-post-id={String(post.id)}
      data-edited={post.editedAt ?? ''}
      aria-labelledby={`${postAnchor(post.id)}-time`}
    >
      <header class="live-post__meta">
        {post.pinned ? <span class="live-post__badge">Pinned</span> : null}
        {post.keyEvent ? <span class="live-post__badge live-post__badge--key">Key event</span> : null}
        <a class="live-post__permalink" id={`${postAnchor(post.id)}-time`} href={postHref(articlePath, post.id, onThisPage || post.pinned)} title={exactTime(post.createdAt)}>
          <RelTime iso={post.createdAt} now={now} />
        </a>
        {post.author ? <span class="live-post__author">{post.author}</span> : null}
        {post.editedAt ? <span class="live-post__edited">(edited)</span> : null}
      </header>
      {post.keyEvent?.title ? <h3 class="live-post__title">{post.keyEvent.title}</h3> : null}
      {post.kind === 'quote' ? (
        <blockquote class="live-post__quote">
          <div dangerouslySetInnerHTML={{ __html: post.html }} />
          {post.attribution ? <footer>— {post.attribution}</footer> : null}
        </blockquote>
      ) : post.kind === 'image' && post.image ? (
        <figure class="live-post__image">
          <img src={post.image.url} alt={post.image.alt} loading="lazy" decoding="async" />
          {post.html ? <figcaption dangerouslySetInnerHTML={{ __html: post.html }} /> : null}
        </figure>
      ) : (
        <div class="live-post__body" dangerouslySetInnerHTML={{ __html: post.html }} />
      )}
      {post.kind === 'embed' && post.embed ? (
        <a class="live-post__card" href={post.embed.url} rel="noopener nofollow ugc" target="_blank">
          <span class="live-post__card-site">{post.embed.site}</span>
          <strong class="live-post__card-title">{post.embed.title}</strong>
          {post.embed.description ? <span class="live-post__card-description">{post.embed.description}</span> : null}
        </a>
      ) : null}
    </article>
  );
}

/** The status line, the key-events timeline and the pinned post: what the updates endpoint also sends as `top`. */
export function LiveTop({ live, articlePath, now }: { live: LiveStream; articlePath: string; now: Date }) {
  const { coverage, keyEvents, pinned } = live;
  // The pinned post sits on top of every page; the others are on this page or another.
  const onPage = new Set([...live.posts.map((p) => p.id), ...(pinned ? [pinned.id] : [])]);
  return (
    <div class="live-top" data-live-top="">
      <p class={`live-status${coverage.endedAt ? ' live-status--ended' : ''}`}>
        {coverage.endedAt ? (
          <>
            Live coverage ended <RelTime iso={coverage.endedAt} now={now} />
          </>
        ) : (
          <>
            <span class="live-marker">Live</span> Updated as it happens
          </>
        )}
      </p>
      {keyEvents.length ? (
        <nav class="live-timeline" aria-labelledby="live-timeline-heading">
          <h2 id="live-timeline-heading" class="live-timeline__heading">Key events</h2>
          <ol role="list">
            {keyEvents.map((k) => (
              <li>
                <time dateTime={k.at} title={exactTime(k.at)}>{exactTime(k.at)}</time>{' '}
                <a href={postHref(articlePath, k.postId, onPage.has(k.postId))}>{k.title}</a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}
      {pinned ? <LivePostView post={pinned} articlePath={articlePath} now={now} /> : null}
    </div>
  );
}

/** The stream: newest first, with links to older and newer pages. */
export function LiveStreamView({ live, articleId, articlePath, now }: { live: LiveStream; articleId: number; articlePath: string; now: Date }) {
  const first = live.before === null;
  return (
    <section
      class="live-stream"
      aria-labelledby="live-stream-heading"
      // Only the first page follows new posts; an older page stays as it is.
      {...(first && !live.coverage.endedAt ? { 'data-live-updates': LIVE_UPDATES_PATH(articleId), 'data-live-revision': String(live.coverage.revision) } : {})}
    >
      <h2 id="live-stream-heading" class="visually-hidden">Live updates</h2>
      {!first ? (
        <p class="live-stream__newer">
          <a href={articlePath}>Latest updates</a>
        </p>
      ) : null}
      {live.posts.length ? (
        <ol class="live-stream__posts" role="list" data-live-posts="">
          {live.posts.map((p) => (
            <li>
              <LivePostView post={p} articlePath={articlePath} now={now} onThisPage={first} />
            </li>
          ))}
        </ol>
      ) : (
        <p class="live-stream__empty" data-live-posts="">No updates yet.</p>
      )}
      {live.olderBefore ? (
        <nav class="pagination live-stream__pages" aria-label="Older updates">
          <a rel="next" href={`${articlePath}?before=${live.olderBefore}`}>Older updates</a>
        </nav>
      ) : null}
    </section>
  );
}
