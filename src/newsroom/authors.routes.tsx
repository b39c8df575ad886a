/**
 * The newsroom's Authors screen (editors): the byline authors, created,
 * renamed, given a bio, or deleted when they have no bylines. See
 * taxonomy-forms.ts for how every form answers.
 */
import type { Static } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Author } from '../platform/db/types.js';
import { NotFoundError } from '../platform/errors.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import type { FormState, FormValues } from './views/taxonomy-fields.js';
import { AuthorEditScreen, authorFormValues, AuthorsScreen } from './views/taxonomy-authors.js';
import {
  attempt, checkLength, checkName, checkSlug, editNotice, firstProblem, form, IdParams, listNotice, movedNotice, NOTHING_SAVED, NoticeQuery, show,
  taxonomyField, trimmed, type Problem,
} from './taxonomy-forms.js';
import { AuthorForm } from './newsroom-forms.schemas.js';

function checkAuthorForm(v: Static<typeof AuthorForm>, editing: boolean): Problem | null {
  return firstProblem(checkName(v.name, 120, 'author'), checkSlug(v.slug, editing), checkLength(v.bio, 2000, 'bio', 'bio'));
}

export const authorsPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy } = deps;

  async function authorsList(reply: FastifyReply, page: StaffPage, create: FormState, notice: string | null, problem?: Problem | null, authors?: Author[]) {
    const all = authors ?? (await taxonomy.authors(page.staff));
    return show(reply, page, { title: 'Authors', screen: 'authors', notice, problem, children: <AuthorsScreen authors={all} create={create} /> });
  }

  function authorEdit(reply: FastifyReply, page: StaffPage, author: Author, values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, { title: `Author: ${author.name}`, screen: 'authors', notice, problem, children: <AuthorEditScreen author={author} form={form(values, problem)} /> });
  }

  async function authorById(page: StaffPage, id: number): Promise<Author> {
    const author = (await taxonomy.authors(page.staff)).find((a) => a.id === id);
    if (!author) throw new NotFoundError(`There is no author ${id}; they may have been deleted.`);
    return author;
  }

  app.get('/newsroom/authors', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const authors = await taxonomy.authors(page.staff);
    const notice = listNotice(req.query.done, 'Author', (id) => authors.find((a) => a.id === id)?.name);
    return authorsList(reply, page, form({}), notice, null, authors);
  });

  app.post('/newsroom/authors', { schema: { body: AuthorForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const v = trimmed(req.body);
    const problem = checkAuthorForm(v, false);
    const result = problem
      ? { problem }
      : await attempt(() => taxonomy.createAuthor(page.staff, { name: v.name, slug: v.slug || undefined, bio: v.bio }), taxonomyField);
    if ('ok' in result) return seeOther(reply, '/newsroom/authors', `created-${result.ok.id}`);
    return authorsList(reply, page, form(v, result.problem), null, result.problem);
  });

  app.get('/newsroom/authors/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const notice = editNotice(req.query.done, movedNotice(req.query.from, (s) => `/author/${s}`, `/author/${author.slug}`));
    return authorEdit(reply, page, author, authorFormValues(author), notice);
  });

  app.post('/newsroom/authors/:id', { schema: { params: IdParams, body: AuthorForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const saved = authorFormValues(author);
    const v = trimmed(req.body);
    const problem = checkAuthorForm(v, true);
    if (problem) return authorEdit(reply, page, author, v, null, problem);
    const change: { name?: string; slug?: string; bio?: string } = {};
    if (v.name !== saved.name) change.name = v.name;
    if (v.slug !== saved.slug) change.slug = v.slug;
    if (v.bio !== saved.bio) change.bio = v.bio;
    const url = `/newsroom/authors/${author.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateAuthor(page.staff, author.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(author.slug)}` : url, 'saved');
    return authorEdit(reply, page, author, v, null, result.problem);
  });

  app.post('/newsroom/authors/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'author.manage');
    if (!page) return reply;
    const author = await authorById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteAuthor(page.staff, author.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/authors', 'deleted');
    const problem = { ...result.problem, message: result.problem.message.replace(NOTHING_SAVED, 'Nothing was deleted.') };
    return authorEdit(reply, page, author, authorFormValues(author), null, problem);
  });
};
