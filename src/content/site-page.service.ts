/**
 * The organisation's pages (About, Contact, Corrections policy, Privacy,
 * Terms): what readers see at /about and the rest, and an admin's edits of
 * them (audited, purging the page everywhere).
 */
import type { Kysely } from 'kysely';
import type { Database, SitePageSlug } from '../platform/db/types.js';
import type { EventBus } from '../platform/events.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { authorize, can } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { audit } from '../audit/audit.service.js';
import { BodyError, markdownToDoc, parseBodyDoc, readStoredBody, renderBody, type BodyDoc } from './body.js';
import { isSitePageSlug, SITE_PAGE_DEFAULTS, SITE_PAGE_SLUGS } from './site-pages.js';
import { sitePageStore } from './site-page.store.js';
import { paths } from './content.model.js';

/** A page as readers and the newsroom see it. */
export interface SitePage {
  slug: SitePageSlug;
  /** Its name in the footer and lists. */
  name: string;
  path: string;
  title: string;
  summary: string;
  /** The stories' body document, written in the same editor. */
  body: BodyDoc;
  bodyHtml: string;
  /** null while the page shows its default text. */
  updatedAt: string | null;
}

/** As a story's: the body as the editor's document or as Markdown (the API), or neither to keep it (the form without JavaScript). */
export interface SitePageInput {
  title: string;
  summary?: string;
  body?: unknown;
  markdown?: string;
}

export const sitePageKey = (slug: string) => `page:${slug}`;

export type SitePageService = ReturnType<typeof createSitePageService>;

export function createSitePageService({ db, events, now }: { db: Kysely<Database>; events: EventBus; now: () => Date }) {
  async function get(slug: string): Promise<SitePage | null> {
    if (!isSitePageSlug(slug)) return null;
    const d = SITE_PAGE_DEFAULTS[slug];
    const row = await sitePageStore.get(db, slug);
    const body = row ? readStoredBody(row.body) : markdownToDoc(d.markdown);
    return {
      slug, name: d.name, path: paths.sitePage(slug), title: row?.title ?? d.title, summary: row?.summary ?? d.summary, body, bodyHtml: renderBody(body),
      updatedAt: row?.updated_at ?? null,
    };
  }

  return {
    get,

    async all(): Promise<SitePage[]> {
      return (await Promise.all(SITE_PAGE_SLUGS.map(get))).filter((p): p is SitePage => !!p);
    },

    /** Last saves, for the sitemap's lastmod. */
    async lastmods(): Promise<Map<SitePageSlug, string>> {
      return new Map((await sitePageStore.all(db)).map((r) => [r.slug, r.updated_at]));
    },

    async save(staff: Staff, slug: string, input: SitePageInput): Promise<SitePage> {
      authorize(can(staff, 'page.manage'));
      if (!isSitePageSlug(slug)) throw new NotFoundError(`There is no page "${slug}".`);
      const title = input.title.trim();
      if (!title) throw new ValidationError('Give the page a title.');
      if (input.body !== undefined && input.markdown !== undefined) throw new ValidationError('Send the body as `body` (the editor\'s document) or as `markdown`, not both.');
      let doc: BodyDoc;
      try {
        // The same checks as a story's body; with neither, the page keeps its body (its default text until first saved).
        if (input.body !== undefined) doc = parseBodyDoc(input.body);
        else if (input.markdown !== undefined) doc = parseBodyDoc(markdownToDoc(input.markdown));
        else doc = (await get(slug))!.body;
      } catch (err) {
        if (err instanceof BodyError) throw new ValidationError(`Invalid body: ${err.message}`);
        throw err;
      }
      if (!doc.content.length) throw new ValidationError('Write the page first: its body is empty.');
      const stamp = now().toISOString();
      await db.transaction().execute(async (trx) => {
        await sitePageStore.save(trx, { slug, title, summary: (input.summary ?? '').trim(), body: JSON.stringify(doc), updated_at: stamp, updated_by: staff.userId });
        await audit(trx, staff, now(), 'page.update', `page:${slug}`, { title });
      });
      await events.emit('content.changed', { keys: [sitePageKey(slug)] });
      return (await get(slug))!;
    },
  };
}
