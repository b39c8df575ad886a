/**
 * The newsroom's Tags screen (editors): the tags, searched and paged,
 * created, renamed, marked as special coverage, or deleted. See
 * taxonomy-forms.ts for how every form answers.
 */
import { Type } from 'typebox';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Tag } from '../platform/db/types.js';
import { NotFoundError } from '../platform/errors.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import type { FormState, FormValues } from './views/taxonomy-fields.js';
import { TagEditScreen, tagFormValues, TagsScreen } from './views/taxonomy-tags.js';
import {
  attempt, bad, checkLength, checkName, checkSlug, editNotice, firstProblem, form, IdParams, listNotice, movedNotice, NoticeQuery, show,
  taxonomyField, trimmed, type Problem,
} from './taxonomy-forms.js';
import { HubLeadForm, TagForm } from './newsroom-forms.schemas.js';

const TagListQuery = Type.Object({
  done: Type.Optional(Type.String({ maxLength: 40 })),
  q: Type.Optional(Type.String({ maxLength: 120 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});

const TAGS_PER_PAGE = 50;

/** The form as typed, without the spaces around; the checkbox as "on" or "". */
function tagValues(body: TagForm): TagForm {
  const v = trimmed(body);
  v.specialCoverage = v.specialCoverage ? 'on' : '';
  return v;
}

function checkTagForm(v: TagForm, editing: boolean): Problem | null {
  return firstProblem(checkName(v.name, 120, 'tag'), checkSlug(v.slug, editing), checkLength(v.description, 1000, 'description', 'description'));
}

export const tagsPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy, live } = deps;

  /** The tag list; `done` is the notice code of the action that led here. */
  async function tagsList(reply: FastifyReply, page: StaffPage, query: { q?: string | undefined; page?: number | undefined; done?: string | undefined }, create: FormState, problem?: Problem | null) {
    const all = await taxonomy.tags(page.staff);
    const notice = listNotice(query.done, 'Tag', (id) => all.find((t) => t.id === id)?.name);
    const q = (query.q ?? '').trim();
    const needle = q.toLowerCase();
    const matching = needle ? all.filter((t) => t.name.toLowerCase().includes(needle) || t.slug.includes(needle)) : all;
    const totalPages = Math.max(1, Math.ceil(matching.length / TAGS_PER_PAGE));
    const pageNo = Math.min(query.page ?? 1, totalPages);
    const items = matching.slice((pageNo - 1) * TAGS_PER_PAGE, pageNo * TAGS_PER_PAGE);
    return show(reply, page, {
      title: 'Tags', screen: 'tags', notice, problem,
      children: <TagsScreen tags={items} total={matching.length} page={pageNo} totalPages={totalPages} q={q} create={create} />,
    });
  }

  async function tagEdit(reply: FastifyReply, page: StaffPage, tag: Tag, values: FormValues, notice: string | null, problem?: Problem | null) {
    // A special-coverage tag's page is a hub, so its screen also chooses the hub's lead.
    const hub = tag.special_coverage === 1 ? await live.hubChoices(page.staff, tag.id) : null;
    return show(reply, page, { title: `Tag: ${tag.name}`, screen: 'tags', notice, problem, children: <TagEditScreen tag={tag} form={form(values, problem)} hub={hub} /> });
  }

  async function tagById(page: StaffPage, id: number): Promise<Tag> {
    const tag = (await taxonomy.tags(page.staff)).find((t) => t.id === id);
    if (!tag) throw new NotFoundError(`There is no tag ${id}; it may have been deleted.`);
    return tag;
  }

  app.get('/newsroom/tags', { schema: { querystring: TagListQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    return tagsList(reply, page, req.query, form({}));
  });

  app.post('/newsroom/tags', { schema: { body: TagForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const v = tagValues(req.body);
    const problem = checkTagForm(v, false);
    const result = problem
      ? { problem }
      : await attempt(
          () => taxonomy.createTag(page.staff, { name: v.name, slug: v.slug || undefined, description: v.description, specialCoverage: v.specialCoverage === 'on' }),
          taxonomyField,
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/tags', `created-${result.ok.id}`);
    return tagsList(reply, page, {}, form(v, result.problem), result.problem);
  });

  app.get('/newsroom/tags/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const notice = req.query.done === 'hub'
      ? `Hub lead saved: /tag/${tag.slug} shows it now.`
      : editNotice(req.query.done, movedNotice(req.query.from, (s) => `/tag/${s}`, `/tag/${tag.slug}`));
    return tagEdit(reply, page, tag, tagFormValues(tag), notice);
  });

  app.post('/newsroom/tags/:id', { schema: { params: IdParams, body: TagForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const saved = tagFormValues(tag);
    const v = tagValues(req.body);
    const problem = checkTagForm(v, true);
    if (problem) return tagEdit(reply, page, tag, v, null, problem);
    const change: { name?: string; slug?: string; description?: string; specialCoverage?: boolean } = {};
    if (v.name !== saved.name) change.name = v.name;
    if (v.slug !== saved.slug) change.slug = v.slug;
    if (v.description !== saved.description) change.description = v.description;
    if (v.specialCoverage !== saved.specialCoverage) change.specialCoverage = v.specialCoverage === 'on';
    const url = `/newsroom/tags/${tag.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateTag(page.staff, tag.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(tag.slug)}` : url, 'saved');
    return tagEdit(reply, page, tag, v, null, result.problem);
  });

  app.post('/newsroom/tags/:id/hub', { schema: { params: IdParams, body: HubLeadForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const lead = req.body.lead.trim();
    const none = lead === 'none' || lead === '';
    const problem = none || /^[1-9][0-9]{0,9}$/.test(lead) ? null : bad('Choose a story from the list, or no lead.', 'lead');
    const result = problem ? { problem } : await attempt(() => live.setHubLead(page.staff, tag.slug, none ? null : Number(lead)));
    if ('ok' in result) return seeOther(reply, `/newsroom/tags/${tag.id}`, 'hub');
    return tagEdit(reply, page, tag, tagFormValues(tag), null, result.problem);
  });

  app.post('/newsroom/tags/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'tag.manage');
    if (!page) return reply;
    const tag = await tagById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteTag(page.staff, tag.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/tags', 'deleted');
    return tagEdit(reply, page, tag, tagFormValues(tag), null, result.problem);
  });
};
