/**
 * The newsroom's Fronts screens (editors and admins): the list of fronts,
 * one front arranged (every change saved as its draft), the draft previewed
 * with the reader's own page, published now or scheduled, a scheduled layout
 * cancelled. Every POST answers as the management screens do (see
 * taxonomy-forms.ts): done and back (303) with a notice, or the screen again
 * with what is wrong and nothing saved.
 */
import { h, type VNode } from 'preact';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { FrontView } from '../content/front.service.js';
import { NotFoundError } from '../platform/errors.js';
import { renderDocument } from '../web/render.js';
import type { PagePreview } from '../web/view-types.js';
import { HomePage } from '../content/views/home.js';
import { SectionPage } from '../content/views/section.js';
import { PAGE_SIZE } from '../content/content-pages.routes.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import { attempt, bad, NoticeQuery, show, type Problem } from './taxonomy-forms.js';
import { FrontDraftForm, FrontPublishForm } from './newsroom-forms.schemas.js';
import { FrontPreviewBanner, FrontScreen, FrontsList, frontPaths } from './views/fronts.js';
import { utcInputValue, utcText } from './views/taxonomy-fields.js';
import { FrontParams, ScheduledParams } from './fronts.schemas.js';

const NOTICES: Record<string, string> = {
  saved: 'Draft saved. Readers see none of it until you publish it.',
  published: 'Published: readers see this front now.',
  scheduled: 'Scheduled: the layout goes live at its time.',
  discarded: 'The draft is thrown away; the live front is as it was.',
  cancelled: 'That scheduled layout will not go live.',
};

/** A datetime-local value ("2026-11-29T14:05"), read as UTC. */
function parseUtc(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return null;
  const d = new Date(`${value}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "12,7,30" -> [12, 7, 30]; anything else is not an order of stories. */
function parseIds(text: string): number[] | null {
  if (!text) return [];
  if (!/^\d{1,10}(,\d{1,10})*$/.test(text)) return null;
  return text.split(',').map(Number);
}

export const frontsPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { fronts, now } = deps;

  async function frontScreen(reply: FastifyReply, page: StaffPage, name: string, notice: string | null, problem?: Problem | null) {
    const front = await fronts.get(page.staff, name);
    const inLayout = new Set((front.draft ?? front.live)?.slots.map((s) => s.article.id) ?? []);
    const candidates = (await fronts.candidates(page.staff, name)).filter((c) => !inLayout.has(c.id));
    const scheduleAt = utcInputValue(new Date(now().getTime() + 3_600_000).toISOString());
    return show(reply, page, {
      title: `Front: ${front.title}`, screen: 'fronts', notice, problem,
      children: <FrontScreen front={front} candidates={candidates} scheduleAt={scheduleAt} />,
    });
  }

  app.get('/newsroom/fronts', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    return show(reply, page, { title: 'Fronts', screen: 'fronts', children: <FrontsList fronts={await fronts.list(page.staff)} /> });
  });

  app.get('/newsroom/fronts/:front', { schema: { params: FrontParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    return frontScreen(reply, page, req.params.front, NOTICES[req.query.done ?? ''] ?? null);
  });

  app.post('/newsroom/fronts/:front/draft', { schema: { params: FrontParams, body: FrontDraftForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    const { front } = req.params;
    const slots = parseIds(req.body.slots.trim());
    const add = req.body.add.trim();
    const latest = req.body.latestCount.trim();
    const problem = !slots
      ? bad('That order was not a list of stories.')
      : add && !/^\d{1,10}$/.test(add)
        ? bad('Choose a story to add.', 'add')
        : latest && !/^\d{1,3}$/.test(latest)
          ? bad('The number of newest stories must be a whole number.', 'latestCount')
          : null;
    const result = problem
      ? { problem }
      : await attempt(() => fronts.saveDraft(page.staff, front, { slots: add ? [...slots!, Number(add)] : slots!, latestCount: latest ? Number(latest) : undefined }));
    if ('ok' in result) return seeOther(reply, frontPaths.front(front), 'saved');
    return frontScreen(reply, page, front, null, result.problem);
  });

  app.post('/newsroom/fronts/:front/publish', { schema: { params: FrontParams, body: FrontPublishForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    const { front } = req.params;
    let at: string | undefined;
    let problem: Problem | null = null;
    if (req.body.when === 'later') {
      const d = parseUtc(req.body.at.trim());
      if (!d) problem = bad('The time is not a date and time (YYYY-MM-DDTHH:MM, in UTC).', 'at');
      else if (d.getTime() <= now().getTime()) problem = bad(`${utcText(d.toISOString())} has already passed (it is ${utcText(now().toISOString())} now).`, 'at');
      else at = d.toISOString();
    }
    const result = problem ? { problem } : await attempt(() => fronts.publish(page.staff, front, { at }));
    if ('ok' in result) return seeOther(reply, frontPaths.front(front), at ? 'scheduled' : 'published');
    return frontScreen(reply, page, front, null, result.problem);
  });

  app.post('/newsroom/fronts/:front/discard', { schema: { params: FrontParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    await fronts.discardDraft(page.staff, req.params.front);
    return seeOther(reply, frontPaths.front(req.params.front), 'discarded');
  });

  app.post('/newsroom/fronts/:front/scheduled/:id/cancel', { schema: { params: ScheduledParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    await fronts.cancelScheduled(page.staff, req.params.front, req.params.id);
    return seeOther(reply, frontPaths.front(req.params.front), 'cancelled');
  });

  // The draft on the reader's own page: built fresh (never cached), for staff only, never indexed.
  app.get('/newsroom/fronts/:front/preview', { schema: { params: FrontParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'front.manage');
    if (!page) return reply;
    const draft = await fronts.draftLayout(page.staff, req.params.front);
    if (!draft) throw new NotFoundError('This front has no draft to preview: arrange it first.');
    const view: FrontView = await fronts.get(page.staff, req.params.front);
    const preview: PagePreview = { banner: h(FrontPreviewBanner, { front: view }), stylesheets: page.chrome.assets.newsroom?.css ?? [] };
    let vnode: VNode;
    if (draft.front.name === 'home') {
      const [home, mostRead] = await Promise.all([deps.content.home({ draft: draft.layout }), deps.readership.mostRead(10)]);
      vnode = h(HomePage, { ...home, mostRead: mostRead.map((m) => m.article), chrome: page.chrome, preview }) as VNode;
    } else {
      const [section, articles] = await Promise.all([deps.content.section(draft.front.name), deps.content.sectionArticles(draft.front.name, 1, PAGE_SIZE, { draft: draft.layout })]);
      if (!section || !articles) throw new NotFoundError(`There is no section "${draft.front.name}".`);
      vnode = h(SectionPage, { section, articles, chrome: page.chrome, preview }) as VNode;
    }
    return reply.code(200).header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex').type('text/html; charset=utf-8').send(renderDocument(vnode));
  });
};

