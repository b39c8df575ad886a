/**
 * The story editor in the browser: /newsroom/stories/new and
 * /newsroom/stories/:id, the reader's view of a story before it is public
 * (/preview), and two revisions compared (/revisions/compare).
 *
 * The editor's script saves through the admin API (/api/admin/articles); the
 * form POSTs here are the same moves for a browser without JavaScript: every
 * field but the body is saved, then the button's move is made, then back to
 * the editor (Post/Redirect/Get). A refusal shows the editor again with what
 * was typed and why.
 */
import { MULTILINE } from '../platform/validation.js';
import { Fragment, h, type VNode } from 'preact';
import { Type, type Static } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError, ValidationError } from '../platform/errors.js';
import { renderBody, type BodyDoc } from '../content/body.js';
import { CORRECTION_KINDS, paths } from '../content/content.model.js';
import { ArticlePage } from '../content/views/article.js';
import { renderDocument } from '../web/render.js';
import type { PagePreview } from '../web/view-types.js';
import type { Discussion } from '../comments/comment.model.js';
import type { ArticleRow, Section } from '../platform/db/types.js';
import { can, mayCreateTags, type StoryAction } from '../accounts/staff.policy.js';
import { moveProblem } from '../content/story.model.js';
import { type StoryView } from '../content/story.service.js';
import type { CreateStoryBody } from './newsroom.schemas.js';
import type { Staff } from '../accounts/staff.js';
import { CorrectionParams, IdParams, RevisionCompareQuery, RevisionParams } from './newsroom.schemas.js';
import { seeOther, sendNewsroomPage, staffPage, type StaffPage } from './staff-page.js';
import { EMPTY_FIELDS, saveProblems, storyInputOf, type EditorFields } from './views/editor-form.js';
import { editorPaths, STATUS_NAMES, StoryEditor, type EditorAllowed, type EditorOptions, type EditorRevision, type EditorStory } from './views/editor.js';
import { RevisionComparePage } from './views/editor-compare.js';
import { StoryWirePanel } from './views/wires.js';
import { comparedOf, compareRevisions, revisionPair, snapshotTexts } from '../content/revision.model.js';

const INTENTS = ['save', 'submit', 'publish', 'schedule', 'unpublish', 'delete', 'correction'] as const;
type Intent = (typeof INTENTS)[number];

const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
/** A textarea's text: line breaks allowed. */
const Lines = (maxLength: number) => Type.Optional(Type.String({ maxLength, ...MULTILINE }));

/** The editor's form as a browser posts it (see views/editor.tsx for the controls). */
const EditorFormBody = Type.Object({
  intent: Type.Optional(Type.Unsafe<Intent>(Type.String({ enum: [...INTENTS] }))),
  headline: Text(300),
  standfirst: Lines(1000),
  section: Text(120),
  tags: Text(4000),
  authors: Type.Optional(Type.Array(Type.String({ maxLength: 120 }), { maxItems: 10 })),
  credit: Text(200),
  heroUrl: Text(2000),
  heroAlt: Lines(500),
  heroCaption: Lines(1000),
  heroCredit: Text(200),
  baseRevision: Type.Optional(Type.String({ pattern: '^[0-9]{0,10}$' })),
  slug: Text(120),
  seoTitle: Text(200),
  seoDescription: Lines(500),
  commentsMode: Text(20),
  language: Text(20),
  at: Text(40),
  note: Lines(2000),
  correctionKind: Type.Optional(Type.Union(CORRECTION_KINDS.map((k) => Type.Literal(k)))),
});
type EditorFormBody = Static<typeof EditorFormBody>;

/** The whole editor form arrives (the button posts it); only the `correction-<id>` note is read. */
const CorrectionEditFormBody = Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 10 })]));

const NOTICES: Record<string, string> = {
  created: 'Story created.',
  saved: 'Saved.',
  submit: 'Submitted for review.',
  publish: 'Published.',
  schedule: 'Scheduled.',
  unpublish: 'Unpublished.',
  correction: 'Correction added.',
  'correction-edit': 'Correction wording fixed.',
  restored: 'Revision restored.',
  wire: 'Draft made from wire copy: check the credit and the section, and make it ours before publishing.',
  'wire-seen': 'Wire updates marked as seen.',
};

const EditorQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) });

function fieldsOfForm(body: EditorFormBody | undefined): EditorFields {
  const b = body ?? {};
  return {
    headline: b.headline ?? '', standfirst: b.standfirst ?? '', section: b.section ?? '', tags: b.tags ?? '', authors: b.authors ?? [],
    credit: b.credit ?? '', heroUrl: b.heroUrl ?? '', heroAlt: b.heroAlt ?? '', heroCaption: b.heroCaption ?? '', heroCredit: b.heroCredit ?? '',
    slug: b.slug ?? '', seoTitle: b.seoTitle ?? '', seoDescription: b.seoDescription ?? '', commentsMode: b.commentsMode ?? '',
    language: b.language ?? 'en',
  };
}

function fieldsOfStory(v: StoryView): EditorFields {
  return {
    ...snapshotTexts(v.snapshot),
    section: v.section.slug,
    // A name with a comma in it would split in the comma list: such a tag shows as its slug.
    tags: v.tags.map((t) => (t.name.includes(',') ? t.slug : t.name)).join(', '),
    authors: v.authors.map((a) => a.slug),
    commentsMode: v.snapshot.commentsMode ?? '',
  };
}

function editorStory(v: StoryView, siteUrl: string): EditorStory {
  const r = v.row;
  return {
    id: r.id,
    status: r.status,
    path: v.path,
    publicUrl: r.status === 'published' ? siteUrl + v.path : null,
    savedSlug: v.snapshot.slug,
    neverPublished: r.published_at === null,
    createdAt: r.created_at,
    createdBy: v.createdBy?.name ?? null,
    modifiedAt: r.modified_at,
    modifiedBy: v.modifiedBy?.name ?? null,
    publishedAt: r.published_at,
    scheduledAt: r.scheduled_at,
    updatedAt: r.updated_at,
    corrections: v.corrections.map((c) => ({ id: c.id, kind: c.kind, note: c.note, at: c.created_at, editedAt: c.edited_at })),
    revision: v.revision,
  };
}

/** The moves this staff member may make on this story now: the policy's answer and the workflow's together. */
function allowedFor(staff: Staff, row: Pick<ArticleRow, 'created_by' | 'status'>): EditorAllowed {
  const subject = { ownerId: row.created_by, status: row.status };
  const may = (action: StoryAction) => can(staff, action, subject) === true;
  const move = (m: Parameters<typeof moveProblem>[1]) => moveProblem(row.status, m) === null;
  return {
    edit: may('article.edit'),
    submit: may('article.submit') && move('submit'),
    publish: may('article.publish') && move('publish'),
    schedule: may('article.publish') && move('schedule'),
    unpublish: may('article.unpublish') && move('unpublish'),
    delete: may('article.delete') && move('delete'),
    correct: may('article.correct') && move('correct'),
    restore: may('article.restore'),
    revisions: may('article.revisions'),
  };
}

const NEW_STORY_ALLOWED: EditorAllowed = {
  edit: true, submit: false, publish: false, schedule: false, unpublish: false, delete: false, correct: false, restore: false, revisions: false,
};

/** Sections in navigation order, each parent followed by its children. */
function sectionOptions(all: Section[]): EditorOptions['sections'] {
  const out: EditorOptions['sections'] = [];
  for (const top of all.filter((s) => s.parent_id === null)) {
    out.push({ slug: top.slug, name: top.name, parent: null });
    for (const child of all.filter((s) => s.parent_id === top.id)) out.push({ slug: child.slug, name: child.name, parent: top.name });
  }
  // A section whose parent is itself a child (not expected) still shows.
  for (const s of all) if (!out.some((o) => o.slug === s.slug)) out.push({ slug: s.slug, name: s.name, parent: null });
  return out;
}

/** A "2026-12-01T09:30" from the form, without JavaScript, is read as UTC (the page says so). */
function scheduleTimeOf(at: string | undefined): string {
  const text = (at ?? '').trim();
  if (!text) throw new ValidationError('Choose the date and time to publish at.');
  const when = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  if (Number.isNaN(when.getTime())) throw new ValidationError(`"${text}" is not a date and time.`);
  return when.toISOString();
}

/** What the preview's banner says (the reader's layout puts it at the top of the story's page). */
function PreviewBanner({ status, editorUrl }: { status: ArticleRow['status']; editorUrl: string }) {
  return (
    <p>
      <strong>{status === 'published' ? 'Preview' : 'Preview — not published'}</strong>{' '}
      <span>
        {status === 'published'
          ? 'This is the story as saved; readers see it on the site.'
          : `This story is ${STATUS_NAMES[status].toLowerCase()}: readers cannot see it.`}
      </span>{' '}
      <a href={editorUrl}>Back to the editor</a>
    </p>
  );
}

export const editorPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { stories, taxonomy } = deps;
  const siteUrl = deps.config.siteUrl;

  async function editorOptions(staff: Staff): Promise<EditorOptions> {
    const [sections, tags, authors] = await Promise.all([taxonomy.sections(staff), taxonomy.tags(staff), taxonomy.authors(staff)]);
    return {
      sections: sectionOptions(sections),
      tags: tags.map((t) => ({ slug: t.slug, name: t.name })),
      authors: authors.map((a) => ({ slug: a.slug, name: a.name })),
      mayCreateTags: mayCreateTags(staff),
    };
  }

  async function revisionsOf(staff: Staff, id: number, allowed: EditorAllowed): Promise<EditorRevision[]> {
    if (!allowed.revisions) return [];
    const rows = await stories.revisions(staff, id);
    return rows.map(({ row, headline }) => ({ id: row.id, createdAt: row.created_at, author: row.author_name, note: row.note, headline }));
  }

  /** The editor for a saved story: from the database, or with the fields just posted and what went wrong. */
  async function sendEditor(reply: FastifyReply, page: StaffPage, view: StoryView, opts: { notice?: string | null; error?: string | null; fields?: EditorFields; status?: number } = {}) {
    const allowed = allowedFor(page.staff, view.row);
    const [options, revisions, wireStates] = await Promise.all([editorOptions(page.staff), revisionsOf(page.staff, view.row.id, allowed), deps.desk.storyStates([view.row.id])]);
    const body = view.snapshot.body;
    // A story made from wire copy: the kill alert, the embargo and "update available" above the editor.
    const wire = wireStates.get(view.row.id);
    const wirePanel = wire
      ? h(StoryWirePanel, {
        storyId: view.row.id, sources: wire.sources, killed: wire.killed, embargoUntil: wire.embargoUntil,
        updates: wire.updateAvailable ? await deps.desk.updates(page.staff, view.row.id) : [], mayEdit: allowed.edit, now: page.chrome.now,
      })
      : null;
    return sendNewsroomPage(
      reply,
      page,
      {
        title: 'Edit story',
        screen: 'stories',
        wide: true,
        notice: opts.notice ?? null,
        children: h(Fragment, null, wirePanel, h(StoryEditor, {
          story: editorStory(view, siteUrl), fields: opts.fields ?? fieldsOfStory(view), body, bodyHtml: renderBody(body), options, allowed, revisions,
          error: opts.error ?? null, now: page.chrome.now,
        })),
      },
      opts.status,
    );
  }

  async function sendNewEditor(reply: FastifyReply, page: StaffPage, opts: { fields?: EditorFields; error?: string | null; status?: number } = {}) {
    const options = await editorOptions(page.staff);
    const body: BodyDoc = { type: 'doc', content: [] };
    return sendNewsroomPage(
      reply,
      page,
      {
        title: 'New story',
        screen: 'new-story',
        wide: true,
        children: h(StoryEditor, {
          story: null, fields: opts.fields ?? EMPTY_FIELDS, body, bodyHtml: '', options, allowed: NEW_STORY_ALLOWED, revisions: [],
          error: opts.error ?? null, now: page.chrome.now,
        }),
      },
      opts.status,
    );
  }

  app.get('/newsroom/stories/new', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.create');
    if (!page) return reply;
    return sendNewEditor(reply, page);
  });

  app.post('/newsroom/stories/new', { schema: { body: EditorFormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.create');
    if (!page) return reply;
    const fields = fieldsOfForm(req.body);
    const problems = saveProblems(fields);
    if (problems.length) return sendNewEditor(reply, page, { fields, error: problems.join(' '), status: 400 });
    const options = await editorOptions(page.staff);
    const input = storyInputOf(fields, { knownTags: options.tags, savedSlug: null, savedHeadline: null }) as CreateStoryBody;
    try {
      const view = await stories.create(page.staff, input);
      return seeOther(reply, editorPaths.editor(view.row.id), 'created');
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      return sendNewEditor(reply, page, { fields, error: err.message, status: err.status });
    }
  });

  app.get('/newsroom/stories/:id', { schema: { params: IdParams, querystring: EditorQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.read');
    if (!page) return reply;
    const view = await stories.get(page.staff, req.params.id);
    return sendEditor(reply, page, view, { notice: req.query.done ? NOTICES[req.query.done] ?? null : null });
  });

  app.post('/newsroom/stories/:id', { schema: { params: IdParams, body: EditorFormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.read');
    if (!page) return reply;
    const { id } = req.params;
    const staff = page.staff;
    const intent: Intent = req.body?.intent ?? 'save';
    const current = await stories.get(staff, id);
    const fields = fieldsOfForm(req.body);
    try {
      if (intent === 'delete') {
        await stories.remove(staff, id);
        return seeOther(reply, '/newsroom', 'deleted');
      }
      // Every other button saves what was typed first (when this staff member may), then makes its move.
      if (allowedFor(staff, current.row).edit) {
        const problems = saveProblems(fields);
        if (problems.length) throw new ValidationError(problems.join(' '));
        const options = await editorOptions(staff);
        const base = req.body?.baseRevision ? Number(req.body.baseRevision) : undefined;
        const input = storyInputOf(fields, { knownTags: options.tags, savedSlug: current.snapshot.slug, savedHeadline: current.snapshot.headline });
        await stories.update(staff, id, base !== undefined ? { ...input, baseRevision: base } : input);
      }
      if (intent === 'submit') await stories.submit(staff, id);
      else if (intent === 'publish') await stories.publish(staff, id, undefined);
      else if (intent === 'schedule') await stories.publish(staff, id, scheduleTimeOf(req.body?.at));
      else if (intent === 'unpublish') await stories.unpublish(staff, id);
      else if (intent === 'correction') {
        const note = req.body?.note?.trim();
        if (!note) throw new ValidationError('Write the correction or update note first.');
        await stories.correct(staff, id, { kind: req.body?.correctionKind, note });
      }
      return seeOther(reply, editorPaths.editor(id), intent === 'save' ? 'saved' : intent);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401) throw err;
      // Show what was typed again, over the story as it now is (a save may have gone through before the move failed).
      const view = await stories.get(staff, id);
      return sendEditor(reply, page, view, { fields: intent === 'delete' ? undefined : fields, error: err.message, status: err.status });
    }
  });

  // "Save wording" of a correction posts the editor's form here (its button's formaction): only that note changes.
  app.post('/newsroom/stories/:id/corrections/:cid', { schema: { params: CorrectionParams, body: CorrectionEditFormBody } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.correct');
    if (!page) return reply;
    const { id, cid } = req.params;
    const raw = (req.body as Record<string, unknown>)[`correction-${cid}`];
    try {
      if (typeof raw !== 'string' || raw.length > 2000) throw new ValidationError('Send the corrected wording of the note (at most 2,000 characters).');
      await stories.editCorrection(page.staff, id, cid, raw);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 404) throw err;
      return sendEditor(reply, page, await stories.get(page.staff, id), { error: err.message, status: err.status });
    }
    return seeOther(reply, editorPaths.editor(id), 'correction-edit');
  });

  app.post('/newsroom/stories/:id/revisions/:rev/restore', { schema: { params: RevisionParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.restore');
    if (!page) return reply;
    const { id, rev } = req.params;
    try {
      await stories.restore(page.staff, id, rev);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 401 || err.status === 403 || err.status === 404) throw err;
      return sendEditor(reply, page, await stories.get(page.staff, id), { error: err.message, status: err.status });
    }
    return seeOther(reply, editorPaths.editor(id), 'restored');
  });

  // --- preview: the reader's article page for a story in any state -------------------------

  app.get('/newsroom/stories/:id/preview', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.read');
    if (!page) return reply;
    // The policy, with the story in hand: a contributor previews only their own.
    const story = await stories.get(page.staff, req.params.id);
    const view = await deps.content.articlePreview(story.row.id);
    if (!view) throw new NotFoundError(`There is no story ${req.params.id}.`);
    const { article } = view;
    const [related, specialCoverage, comments] = await Promise.all([
      deps.content.related(view),
      deps.content.specialCoverageFor(view),
      // Only a published story has a discussion to show.
      story.row.status === 'published' ? deps.comments.discussion(article.id).catch((): Discussion | undefined => undefined) : Promise.resolve(undefined),
    ]);
    const breadcrumb = [
      { name: 'Home', path: paths.home() },
      ...(article.section.parent ? [{ name: article.section.parent.name, path: article.section.parent.path }] : []),
      { name: article.section.name, path: article.section.path },
    ];
    // The reader's page, marked as a preview by the layout itself: noindex, the banner, the newsroom's stylesheet for it.
    const preview: PagePreview = {
      banner: h(PreviewBanner, { status: story.row.status, editorUrl: editorPaths.editor(story.row.id) }),
      stylesheets: page.chrome.assets.newsroom?.css ?? [],
    };
    const html = renderDocument(h(ArticlePage, { article, breadcrumb, related, specialCoverage, comments, chrome: page.chrome, preview }) as VNode);
    return reply
      .code(200)
      .header('Cache-Control', 'no-store')
      .header('X-Robots-Tag', 'noindex')
      .type('text/html; charset=utf-8')
      .send(html);
  });

  // --- two revisions compared ----------------------------------------------------------------

  app.get('/newsroom/stories/:id/revisions/compare', { schema: { params: IdParams, querystring: RevisionCompareQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'article.revisions');
    if (!page) return reply;
    const { id } = req.params;
    const story = await stories.get(page.staff, id);
    const list = await stories.revisions(page.staff, id);
    const pair = revisionPair(list.map((r) => r.row.id), req.query.a, req.query.b);
    if (!pair) throw new NotFoundError('This story has no revisions to compare.');
    const [older, newer] = pair;
    const [ra, rb] = await Promise.all([stories.revision(page.staff, id, older), stories.revision(page.staff, id, newer)]);
    const ca = comparedOf(ra);
    const cb = comparedOf(rb);
    return sendNewsroomPage(reply, page, {
      title: 'Compare revisions',
      screen: 'stories',
      wide: true,
      children: h(RevisionComparePage, { storyId: id, headline: story.snapshot.headline, a: ca, b: cb, comparison: compareRevisions(ca, cb), now: page.chrome.now }),
    });
  });
};

