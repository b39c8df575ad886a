/**
 * The newsroom's live coverage screen of a story (editors): see
 * views/live-desk.tsx. Every form posts, the service does the work (and
 * purges what readers see), and the answer is a redirect back with a notice
 * (Post/Redirect/Get), or the screen again with the problem.
 */
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { Id } from '../platform/input.js';
import { MULTILINE } from '../platform/validation.js';
import type { LivePostKind } from '../platform/db/types.js';
import { LIVE_POST_KINDS } from '../content/live.model.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import { attempt, IdParams, NoticeQuery, show, type Problem } from './taxonomy-forms.js';
import { LiveDeskScreen, liveDeskPath } from './views/live-desk.js';
import type { FormValues } from './views/taxonomy-fields.js';

const Field = (maxLength: number) => Type.String({ maxLength, default: '' });
const closed = { additionalProperties: false } as const;
const PostFields = {
  body: Type.String({ maxLength: 5000, default: '', ...MULTILINE }),
  imageUrl: Field(2000), imageAlt: Field(300), url: Field(2000), attribution: Field(200),
};
const NewPostForm = Type.Object({ kind: Field(10), ...PostFields, keyEvent: Field(140), pinned: Field(3) }, closed);
const EditPostForm = Type.Object(PostFields, closed);
const PinForm = Type.Object({ pinned: Field(1) }, closed);
const KeyEventForm = Type.Object({ title: Field(140) }, closed);
const PostParams = Type.Object({ id: Id, postId: Id });

const NOTICES: Record<string, string> = {
  started: 'Live coverage is on: the story\'s page shows the stream and fronts mark it "Live".',
  ended: 'Live coverage ended. The stream stays on the page, marked as ended.',
  posted: 'Posted: readers see it now.',
  edited: 'Saved: readers see the post marked as edited.',
  deleted: 'Deleted: readers no longer see it anywhere.',
  pinned: 'Pinned on top of the stream.',
  unpinned: 'Unpinned: the post is back in its place in the stream.',
  marked: 'The key-events timeline is updated.',
};

export const liveDeskPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { live, stories, now } = deps;

  async function screen(reply: FastifyReply, page: StaffPage, id: number, values: FormValues, notice: string | null, problem?: Problem | null) {
    const story = await stories.get(page.staff, id);
    const [coverage, posts] = await Promise.all([live.coverage(id), live.postsForDesk(page.staff, id)]);
    return show(reply, page, {
      title: `Live: ${story.row.headline}`, screen: 'stories', notice, problem,
      children: (
        <LiveDeskScreen
          story={{ id, headline: story.row.headline, path: story.path, published: story.row.status === 'published' }}
          coverage={coverage} posts={posts} now={now()} form={{ values, invalid: problem?.field ?? null }}
        />
      ),
    });
  }

  /** Runs a change, then back to the screen with its notice, or the screen with the problem. */
  async function act(reply: FastifyReply, page: StaffPage, id: number, done: string, work: () => Promise<unknown>, values: FormValues = {}) {
    const result = await attempt(work);
    if ('ok' in result) return seeOther(reply, liveDeskPath(id), done);
    return screen(reply, page, id, values, null, result.problem);
  }

  app.get('/newsroom/stories/:id/live', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return screen(reply, page, req.params.id, {}, NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/stories/:id/live/start', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return act(reply, page, req.params.id, 'started', () => live.start(page.staff, req.params.id));
  });

  app.post('/newsroom/stories/:id/live/end', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return act(reply, page, req.params.id, 'ended', () => live.end(page.staff, req.params.id));
  });

  app.post('/newsroom/stories/:id/live/posts', { schema: { params: IdParams, body: NewPostForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    const v = req.body;
    const kind = (LIVE_POST_KINDS as readonly string[]).includes(v.kind) ? (v.kind as LivePostKind) : 'text';
    return act(reply, page, req.params.id, 'posted', () => live.post(page.staff, req.params.id, {
      kind, body: v.body, imageUrl: v.imageUrl, imageAlt: v.imageAlt, url: v.url, attribution: v.attribution, keyEvent: v.keyEvent || null, pinned: v.pinned === 'on',
    }), v);
  });

  app.post('/newsroom/stories/:id/live/posts/:postId', { schema: { params: PostParams, body: EditPostForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return act(reply, page, req.params.id, 'edited', () => live.edit(page.staff, req.params.id, req.params.postId, req.body));
  });

  app.post('/newsroom/stories/:id/live/posts/:postId/delete', { schema: { params: PostParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return act(reply, page, req.params.id, 'deleted', () => live.remove(page.staff, req.params.id, req.params.postId));
  });

  app.post('/newsroom/stories/:id/live/posts/:postId/pin', { schema: { params: PostParams, body: PinForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    const pinned = req.body.pinned === '1';
    return act(reply, page, req.params.id, pinned ? 'pinned' : 'unpinned', () => live.pin(page.staff, req.params.id, req.params.postId, pinned));
  });

  app.post('/newsroom/stories/:id/live/posts/:postId/key-event', { schema: { params: PostParams, body: KeyEventForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'live.manage');
    if (!page) return reply;
    return act(reply, page, req.params.id, 'marked', () => live.markKeyEvent(page.staff, req.params.id, req.params.postId, req.body.title || null));
  });
};
