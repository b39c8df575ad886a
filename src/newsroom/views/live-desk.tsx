/**
 * /newsroom/stories/:id/live (editors): a story's live coverage. Start or end
 * it; write a post (text, image, embed by URL, quote), optionally pinned or
 * marked as a key event; and for each post, pin or unpin it, mark or unmark
 * it as a key event, edit it or delete it. Plain forms: it all works without
 * JavaScript.
 */
import { RelTime } from '../../web/components.js';
import type { LiveCoverage, LivePost } from '../../content/live.model.js';
import { ButtonForm, CheckboxField, SelectField, TextArea, TextField, TxForm, utcText, type FormState } from './taxonomy-fields.js';

export interface LiveDeskProps {
  story: { id: number; headline: string; path: string; published: boolean };
  coverage: LiveCoverage | null;
  posts: LivePost[];
  now: Date;
  form: FormState;
}

const KINDS = [
  { value: 'text', label: 'Text' },
  { value: 'image', label: 'Image (address and alt text; the text is its caption)' },
  { value: 'embed', label: 'Embed by URL (shown as a link card)' },
  { value: 'quote', label: 'Quote (the text is the words; add who said it)' },
];

export const liveDeskPath = (id: number) => `/newsroom/stories/${id}/live`;

function PostFields({ form, state, withKind }: { form: string; state: FormState; withKind: boolean }) {
  return (
    <>
      {withKind ? <SelectField form={form} name="kind" label="Kind" state={state} options={KINDS} /> : null}
      <TextArea form={form} name="body" label="Text (Markdown)" state={state} maxLength={5000} rows={4} />
      <TextField form={form} name="imageUrl" label="Image address" state={state} maxLength={2000} hint="For an image post: /media/… from the library, or an http(s) address." />
      <TextField form={form} name="imageAlt" label="Image alt text" state={state} maxLength={300} />
      <TextField form={form} name="url" label="Embed address" state={state} maxLength={2000} hint="For an embed: read once, safely, for its title; readers get a plain link card." />
      <TextField form={form} name="attribution" label="Quote: who said it" state={state} maxLength={200} />
    </>
  );
}

function DeskPost({ post, storyId, ended }: { post: LivePost; storyId: number; ended: boolean }) {
  const base = `${liveDeskPath(storyId)}/posts/${post.id}`;
  const values = { body: post.markdown, imageUrl: post.image?.url ?? '', imageAlt: post.image?.alt ?? '', url: post.embed?.url ?? '', attribution: post.attribution ?? '', title: post.keyEvent?.title ?? '' };
  const state: FormState = { values };
  const what = `post ${post.id}`;
  return (
    <li class="nr-panel live-desk__post" id={`desk-post-${post.id}`}>
      <p class="tx-muted">
        <strong>{post.kind}</strong> · {utcText(post.createdAt)}
        {post.author ? ` · ${post.author}` : ''}
        {post.editedAt ? ' · edited' : ''}
        {post.pinned ? ' · Pinned' : ''}
        {post.keyEvent ? ` · Key event: ${post.keyEvent.title}` : ''}
      </p>
      <div class="live-desk__preview" dangerouslySetInnerHTML={{ __html: post.html }} />
      {post.embed ? <p class="tx-muted">Link card: {post.embed.title} ({post.embed.site})</p> : null}
      {ended ? null : (
        <>
          <ButtonForm action={`${base}/pin`} label={post.pinned ? 'Unpin' : 'Pin on top'} what={what} fields={{ pinned: post.pinned ? '0' : '1' }} small />
          <TxForm action={`${base}/key-event`} submit={post.keyEvent ? 'Save key event (empty title unmarks it)' : 'Mark as key event'}>
            <TextField form={`key-${post.id}`} name="title" label="Key event title" state={state} maxLength={140} />
          </TxForm>
          <details>
            <summary>Edit</summary>
            <TxForm action={base} submit="Save the post">
              <PostFields form={`edit-${post.id}`} state={state} withKind={false} />
            </TxForm>
          </details>
          <ButtonForm action={`${base}/delete`} label="Delete" what={what} danger small confirm="Delete this post? Readers will no longer see it anywhere." />
        </>
      )}
    </li>
  );
}

export function LiveDeskScreen({ story, coverage, posts, now, form }: LiveDeskProps) {
  const running = !!coverage && !coverage.endedAt;
  return (
    <>
      <p>
        <a href={`/newsroom/stories/${story.id}`}>← Back to the story</a>
        {story.published ? (
          <>
            {' '}· <a href={story.path}>View the live page</a>
          </>
        ) : (
          ' · Not published yet: readers see the posts once the story is published.'
        )}
      </p>
      <section class="nr-panel" aria-labelledby="live-desk-status">
        <h2 id="live-desk-status">Coverage</h2>
        {!coverage ? (
          <>
            <p class="tx-status tx-status--off">This is not a live story.</p>
            <ButtonForm action={`${liveDeskPath(story.id)}/start`} label="Start live coverage" />
          </>
        ) : running ? (
          <>
            <p class="tx-status tx-status--live">
              <strong>Live</strong> since {utcText(coverage.startedAt)} (<RelTime iso={coverage.startedAt} now={now} />).
            </p>
            <ButtonForm action={`${liveDeskPath(story.id)}/end`} label="End live coverage" danger confirm="End the live coverage? The stream stays on the page, marked as ended." />
          </>
        ) : (
          <>
            <p class="tx-status tx-status--expired">Ended {utcText(coverage.endedAt!)}.</p>
            <ButtonForm action={`${liveDeskPath(story.id)}/start`} label="Reopen live coverage" />
          </>
        )}
      </section>
      {running ? (
        <section class="nr-panel" aria-labelledby="live-desk-new">
          <h2 id="live-desk-new">New post</h2>
          <TxForm action={`${liveDeskPath(story.id)}/posts`} submit="Post now">
            <PostFields form="new" state={form} withKind />
            <TextField form="new" name="keyEvent" label="Key event title (optional)" state={form} maxLength={140} hint="A title puts the post in the key-events timeline." />
            <CheckboxField form="new" name="pinned" label="Pin it on top" state={form} checked={form.values.pinned === 'on'} />
          </TxForm>
        </section>
      ) : null}
      <section aria-labelledby="live-desk-posts">
        <h2 id="live-desk-posts">Posts ({posts.length}), newest first</h2>
        <ol class="live-desk__posts" role="list">
          {posts.map((p) => (
            <DeskPost post={p} storyId={story.id} ended={!running} />
          ))}
        </ol>
      </section>
    </>
  );
}
