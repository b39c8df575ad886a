/**
 * The organisation's pages in the newsroom (admins): About, Contact,
 * Corrections policy, Privacy and Terms, each with its title, summary and
 * body, written in the story editor's rich-text body (views/body-editor.tsx,
 * the same document and checks as a story's); and the same through the admin
 * API (/api/admin/pages).
 *
 * The page's script saves through the admin API, as the story editor's does
 * (client/newsroom/site-page-editor.ts). The form posts here: without
 * JavaScript the title and summary save and the body is kept as it is, as in
 * the story editor; a client may post the body too, as the document in JSON.
 */
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import { AppError, NotFoundError } from '../platform/errors.js';
import { MULTILINE } from '../platform/validation.js';
import type { SitePage } from '../content/site-page.service.js';
import { isSitePageSlug } from '../content/site-pages.js';
import { seeOther, sendNewsroomPage, staffPage, type StaffPage } from './staff-page.js';
import { as, staffOf, TAGS } from './admin-api.js';
import { AUTH_ERRORS, errors } from './newsroom.schemas.js';
import { exactTime } from '../web/relative-time.js';
import { jsonForScript } from '../web/layout.js';
import { readStoredBody, renderBody, type BodyDoc } from '../content/body.js';
import { BodyDialogs, BodyField } from './views/body-editor.js';

/** Any short slug: an unknown one is a 404 after the permission check, not a 400 before it. */
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 60 }) });
const PageForm = Type.Object({
  title: Type.String({ maxLength: 200 }),
  summary: Type.Optional(Type.String({ maxLength: 500, ...MULTILINE })),
  /** The editor's document as JSON (the page's script saves through the API instead). */
  body: Type.Optional(Type.String({ maxLength: 500_000, ...MULTILINE })),
});
const PageBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    summary: Type.Optional(Type.String({ maxLength: 500, ...MULTILINE })),
    body: Type.Optional(Type.Unknown({ description: "The body as the editor's document, as a story's (`{ type: \"doc\", content: [...] }`)" })),
    markdown: Type.Optional(Type.String({ maxLength: 100_000, ...MULTILINE, description: 'The body as Markdown, instead of `body`' })),
  },
  { additionalProperties: false },
);
const PageJson = Type.Object({
  slug: Type.String(), path: Type.String(), title: Type.String(), summary: Type.String(),
  body: Type.Unknown({ description: "The editor's document, as a story's" }), bodyHtml: Type.String(),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const presentPage = (p: SitePage) => ({ slug: p.slug, path: p.path, title: p.title, summary: p.summary, body: p.body, bodyHtml: p.bodyHtml, updatedAt: p.updatedAt });

interface PageValues {
  title: string;
  summary: string;
  body: BodyDoc;
}

/** What was posted, shown again after a refusal: the body typed when it reads as a document, else the page's. */
function valuesOfForm(form: { title: string; summary?: string; body?: string }, page: SitePage): PageValues {
  const body = form.body === undefined ? page.body : readStoredBody(form.body);
  return { title: form.title, summary: form.summary ?? '', body };
}

function PagesList({ pages }: { pages: SitePage[] }) {
  return (
    <div class="nr-panel">
      <p class="editor__hint">The pages every organisation needs, linked from the footer of every page and listed in the sitemap.</p>
      <ul>
        {pages.map((p) => (
          <li>
            <a href={`/newsroom/pages/${p.slug}`}>{p.name}</a> <span class="editor__hint">({p.path}; {p.updatedAt ? `saved ${exactTime(p.updatedAt)}` : 'default text'})</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PageEditor({ page, values }: { page: SitePage; values: PageValues }) {
  return (
    <div class="editor" data-site-page-editor={page.slug}>
      <script type="application/json" id="site-page-editor-data" dangerouslySetInnerHTML={{ __html: jsonForScript({ body: values.body }) }} />
      <form method="post" action={`/newsroom/pages/${page.slug}`} class="nr-form nr-panel" id="site-page-form" data-site-page-form={page.slug}>
        <p>
          On the site at <a href={page.path}>{page.path}</a>. {page.updatedAt ? <>Last saved {exactTime(page.updatedAt)}.</> : 'It shows its default text until you save it.'}
        </p>
        <div class="nr-field">
          <label for="page-title">Title</label>
          <input type="text" id="page-title" name="title" value={values.title} maxLength={200} required />
        </div>
        <div class="nr-field">
          <label for="page-summary">Summary</label>
          <textarea id="page-summary" name="summary" rows={2} maxLength={500} value={values.summary}></textarea>
        </div>
        <div class="nr-field editor__body-field">
          <BodyField id="page-body" bodyHtml={renderBody(values.body)} withoutScript="Without it the title and summary still save, and the body is kept as it is." />
        </div>
        <p id="page-editor-status" class="editor__status" role="status" aria-live="polite"></p>
        <div id="page-editor-errors" class="nr-alert nr-alert--error" role="alert" hidden></div>
        <button type="submit" class="button button--primary">
          Save page
        </button>
      </form>
      <BodyDialogs />
    </div>
  );
}

export const sitePagesPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { sitePages } = deps;

  const sendEditor = (reply: FastifyReply, page: StaffPage, p: SitePage, opts: { values?: PageValues; error?: string; notice?: string | null; status?: number } = {}) =>
    sendNewsroomPage(
      reply,
      page,
      {
        title: `Edit page: ${p.name}`,
        screen: 'site-pages',
        wide: true,
        notice: opts.notice ?? null,
        children: (
          <>
            {opts.error ? <p class="nr-alert nr-alert--error" role="alert">{opts.error}</p> : null}
            <PageEditor page={p} values={opts.values ?? { title: p.title, summary: p.summary, body: p.body }} />
          </>
        ),
      },
      opts.status,
    );

  app.get('/newsroom/pages', async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'page.manage');
    if (!page) return reply;
    return sendNewsroomPage(reply, page, { title: 'Site pages', screen: 'site-pages', children: <PagesList pages={await sitePages.all()} /> });
  });

  app.get('/newsroom/pages/:slug', { schema: { params: SlugParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'page.manage');
    if (!page) return reply;
    const p = await sitePages.get(req.params.slug);
    if (!p) throw new NotFoundError(`There is no page "${req.params.slug}".`);
    return sendEditor(reply, page, p, { notice: req.query.done === 'saved' ? 'Saved. Readers see it now.' : null });
  });

  app.post('/newsroom/pages/:slug', { schema: { params: SlugParams, body: PageForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'page.manage');
    if (!page) return reply;
    const { slug } = req.params;
    if (!isSitePageSlug(slug)) throw new NotFoundError(`There is no page "${slug}".`);
    try {
      await sitePages.save(page.staff, slug, req.body);
    } catch (err) {
      if (!(err instanceof AppError) || err.status !== 400) throw err;
      const current = (await sitePages.get(slug))!;
      return sendEditor(reply, page, current, { values: valuesOfForm(req.body, current), error: err.message, status: 400 });
    }
    return seeOther(reply, `/newsroom/pages/${slug}`, 'saved');
  });

};

/** The same through the admin API; registered by admin-api.routes.ts, whose hooks check the policy first. */
export const sitePagesApi: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { sitePages } = deps;

  app.get('/api/admin/pages', {
    config: as('page.manage'),
    schema: { tags: TAGS, summary: 'The organisation\'s pages (About, Contact, Corrections policy, Privacy, Terms)', response: { 200: Type.Object({ pages: Type.Array(PageJson) }), ...AUTH_ERRORS } },
  }, async () => ({ pages: (await sitePages.all()).map(presentPage) }));

  app.put('/api/admin/pages/:slug', {
    config: as('page.manage'),
    schema: {
      tags: TAGS,
      summary: 'Save one of the organisation\'s pages',
      description: 'Admins only. The body comes as a story\'s does: the editor\'s document (`body`) or Markdown (`markdown`), not both; without either it is kept. Readers see it at once.',
      params: SlugParams,
      body: PageBody,
      response: { 200: Type.Object({ page: PageJson }), ...errors(400, 404), ...AUTH_ERRORS },
    },
  }, async (req) => ({ page: presentPage(await sitePages.save(staffOf(req), req.params.slug, req.body)) }));
};
