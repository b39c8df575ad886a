/**
 * The newsroom's Sections screen (admins): the sections in navigation order,
 * moved up and down, created, renamed, given a parent, an icon and a
 * description, or deleted when empty. See taxonomy-forms.ts for how every
 * form answers.
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from '../services.js';
import type { Section } from '../platform/db/types.js';
import { NotFoundError } from '../platform/errors.js';
import { staffPage, seeOther, type StaffPage } from './staff-page.js';
import type { FormState, FormValues } from './views/taxonomy-fields.js';
import { SectionEditScreen, sectionFormValues, SectionsScreen } from './views/taxonomy-sections.js';
import {
  attempt, bad, checkLength, checkName, checkSlug, editNotice, firstProblem, form, IdParams, listNotice, movedNotice, NOTHING_SAVED, NoticeQuery, show,
  SLUG_RE, taxonomyField, trimmed, type Problem,
} from './taxonomy-forms.js';
import { SectionForm, SectionOrderForm } from './newsroom-forms.schemas.js';

/** The icons a section may show (the admin API's list); the others are the site's own (search, feed, …). */
const SECTION_ICONS = ['globe', 'landmark', 'chart', 'flask', 'palette', 'trophy', 'quote', 'news'];

/** A section's form as typed (without the spaces around), a parent left out read as none. */
type SectionValues = { name: string; slug: string; parent: string; icon: string; description: string };

const sectionValues = (body: SectionForm): SectionValues =>
  trimmed({ name: body.name, slug: body.slug, parent: body.parent ?? '', icon: body.icon, description: body.description });

/** The icons offered: the usual ones, and whatever the section already has (from an import). */
const iconsFor = (section?: Section): string[] => (section && !SECTION_ICONS.includes(section.icon) ? [...SECTION_ICONS, section.icon] : SECTION_ICONS);

function checkSectionForm(v: SectionValues, editing?: Section): Problem | null {
  return firstProblem(
    checkName(v.name, 80, 'section'),
    checkSlug(v.slug, !!editing),
    v.parent && !SLUG_RE.test(v.parent) ? bad('Choose the parent from the list.', 'parent') : null,
    iconsFor(editing).includes(v.icon) ? null : bad('Choose an icon from the list.', 'icon'),
    checkLength(v.description, 500, 'description', 'description'),
  );
}

export const sectionsPages: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const { taxonomy } = deps;

  function sectionsList(reply: FastifyReply, page: StaffPage, sections: Section[], create: FormState, notice: string | null, problem?: Problem | null) {
    return show(reply, page, { title: 'Sections', screen: 'sections', notice, problem, children: <SectionsScreen sections={sections} create={create} icons={SECTION_ICONS} /> });
  }

  function sectionEdit(reply: FastifyReply, page: StaffPage, section: Section, sections: Section[], values: FormValues, notice: string | null, problem?: Problem | null) {
    return show(reply, page, {
      title: `Section: ${section.name}`, screen: 'sections', notice, problem,
      children: <SectionEditScreen section={section} sections={sections} form={form(values, problem)} icons={iconsFor(section)} />,
    });
  }

  async function sectionById(page: StaffPage, id: number): Promise<{ section: Section; sections: Section[] }> {
    const sections = await taxonomy.sections(page.staff);
    const section = sections.find((s) => s.id === id);
    if (!section) throw new NotFoundError(`There is no section ${id}; it may have been deleted.`);
    return { section, sections };
  }

  app.get('/newsroom/sections', { schema: { querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const sections = await taxonomy.sections(page.staff);
    const notice = listNotice(req.query.done, 'Section', (id) => sections.find((s) => s.id === id)?.name);
    return sectionsList(reply, page, sections, form({ icon: 'news' }), notice);
  });

  app.post('/newsroom/sections', { schema: { body: SectionForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const v = sectionValues(req.body);
    v.icon ||= 'news';
    const problem = checkSectionForm(v);
    const result = problem
      ? { problem }
      : await attempt(
          () => taxonomy.createSection(page.staff, { name: v.name, slug: v.slug || undefined, parent: v.parent || null, icon: v.icon, description: v.description }),
          taxonomyField,
        );
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', `created-${result.ok.id}`);
    return sectionsList(reply, page, await taxonomy.sections(page.staff), form(v, result.problem), null, result.problem);
  });

  app.post('/newsroom/sections/order', { schema: { body: SectionOrderForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const raw = req.body.ids;
    const ids = raw.split(',').map((x) => x.trim());
    const moved = req.body.moved;
    const stale: Problem = {
      status: 409,
      message: 'The sections changed since this page was loaded (one was added or removed), so nothing was moved. This is the order now; try again.',
    };
    if (!raw || ids.some((x) => !/^[0-9]{1,10}$/.test(x))) {
      return sectionsList(reply, page, await taxonomy.sections(page.staff), form({ icon: 'news' }), null, bad('That order was not a list of sections.'));
    }
    // The service refuses an order that does not name every section once: the list changed under the page.
    const result = await attempt(() => taxonomy.reorderSections(page.staff, ids.map(Number)));
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', /^[0-9]{1,10}$/.test(moved) ? `moved-${moved}` : 'moved');
    return sectionsList(reply, page, await taxonomy.sections(page.staff), form({ icon: 'news' }), null, stale);
  });

  app.get('/newsroom/sections/:id', { schema: { params: IdParams, querystring: NoticeQuery } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const notice = editNotice(req.query.done, movedNotice(req.query.from, (s) => `/${s}`, `/${section.slug}`));
    return sectionEdit(reply, page, section, sections, sectionFormValues(section, sections), notice);
  });

  app.post('/newsroom/sections/:id', { schema: { params: IdParams, body: SectionForm } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const saved = sectionFormValues(section, sections);
    const v = sectionValues(req.body);
    // A section with subsections has no parent field on its form: it stays where it is.
    if (req.body.parent === undefined) v.parent = saved.parent!;
    const problem = checkSectionForm(v, section);
    if (problem) return sectionEdit(reply, page, section, sections, v, null, problem);
    const change: { name?: string; slug?: string; parent?: string | null; icon?: string; description?: string } = {};
    if (v.name !== saved.name) change.name = v.name;
    if (v.slug !== saved.slug) change.slug = v.slug;
    if (v.parent !== saved.parent) change.parent = v.parent || null;
    if (v.icon !== saved.icon) change.icon = v.icon;
    if (v.description !== saved.description) change.description = v.description;
    const url = `/newsroom/sections/${section.id}`;
    if (!Object.keys(change).length) return seeOther(reply, url, 'unchanged');
    const result = await attempt(() => taxonomy.updateSection(page.staff, section.id, change), taxonomyField);
    if ('ok' in result) return seeOther(reply, change.slug ? `${url}?from=${encodeURIComponent(section.slug)}` : url, 'saved');
    return sectionEdit(reply, page, section, sections, v, null, result.problem);
  });

  app.post('/newsroom/sections/:id/delete', { schema: { params: IdParams } }, async (req, reply) => {
    const page = await staffPage(deps, req, reply, 'section.manage');
    if (!page) return reply;
    const { section, sections } = await sectionById(page, req.params.id);
    const result = await attempt(() => taxonomy.deleteSection(page.staff, section.id));
    if ('ok' in result) return seeOther(reply, '/newsroom/sections', 'deleted');
    const problem = { ...result.problem, message: result.problem.message.replace(NOTHING_SAVED, 'Nothing was deleted.') };
    return sectionEdit(reply, page, section, sections, sectionFormValues(section, sections), null, problem);
  });
};
