/**
 * Things to test with. `build…(db, overrides)` writes rows through the stores
 * (content already on the site before the test starts); `createStory`,
 * `publishStory` and `postComment` go through the app's API as the newsroom
 * and readers do.
 */
import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Static } from 'typebox';
import type { Database } from '../../src/platform/db/types.js';
import type { CreateStoryBody, StoryJson } from '../../src/newsroom/newsroom.schemas.js';
import type { OwnCommentEnvelope } from '../../src/comments/comment.schemas.js';
import { sectionStore } from '../../src/content/section.store.js';
import { authorStore } from '../../src/content/author.store.js';
import { tagStore } from '../../src/content/tag.store.js';
import { articleStore } from '../../src/content/article.store.js';
import { markdownToDoc } from '../../src/content/body.js';
import { slugify } from '../../src/content/content.model.js';
import type { TestApp } from './app.js';
import type { Credentials } from './http.js';

let counter = 0;
const next = () => ++counter;
const iso = (d: Date) => d.toISOString();

export async function buildSection(db: Kysely<Database>, over: Partial<{ slug: string; name: string; description: string; parentId: number | null; position: number; icon: string }> = {}) {
  const n = next();
  const slug = over.slug ?? `section-${n}`;
  const id = await sectionStore.insert(db, {
    slug,
    name: over.name ?? `Section ${n}`,
    description: over.description ?? `Stories about section ${n}.`,
    parent_id: over.parentId ?? null,
    position: over.position ?? n,
    icon: over.icon ?? 'news',
    created_at: iso(new Date()),
  });
  return { id, slug };
}

export async function buildAuthor(db: Kysely<Database>, over: Partial<{ slug: string; name: string; bio: string }> = {}) {
  const n = next();
  const name = over.name ?? `Reporter ${n}`;
  const slug = over.slug ?? slugify(name);
  const id = await authorStore.insert(db, { slug, name, bio: over.bio ?? `${name} reports for the test desk.`, photo_url: null, created_at: iso(new Date()) });
  return { id, slug, name };
}

export async function buildTag(db: Kysely<Database>, over: Partial<{ slug: string; name: string; description: string; specialCoverage: boolean }> = {}) {
  const n = next();
  const slug = over.slug ?? `tag-${n}`;
  const id = await tagStore.insert(db, {
    slug,
    name: over.name ?? `Tag ${n}`,
    description: over.description ?? '',
    special_coverage: over.specialCoverage ? 1 : 0,
    created_at: iso(new Date()),
  });
  return { id, slug };
}

export interface ArticleOverrides {
  headline: string;
  slug: string;
  standfirst: string;
  markdown: string;
  sectionId: number;
  tagIds: number[];
  authorIds: number[];
  creditLine: string | null;
  hero: { url: string; alt: string; caption?: string; credit?: string } | null;
  status: 'draft' | 'published';
  publishedAt: Date | null;
  updatedAt: Date | null;
  language: string;
}

export async function buildArticle(db: Kysely<Database>, over: Partial<ArticleOverrides> & { sectionId: number }) {
  const n = next();
  const headline = over.headline ?? `Test story number ${n}`;
  const slug = over.slug ?? slugify(headline);
  const publishedAt = over.publishedAt === undefined ? new Date(Date.now() - n * 60_000) : over.publishedAt;
  const id = await articleStore.insert(
    db,
    {
      slug,
      headline,
      standfirst: over.standfirst ?? `The standfirst of story ${n}.`,
      body: JSON.stringify(markdownToDoc(over.markdown ?? `The first paragraph of story ${n}.\n\nA second paragraph.`)),
      section_id: over.sectionId,
      credit_line: over.creditLine ?? null,
      hero_image_url: over.hero?.url ?? null,
      hero_image_alt: over.hero?.alt ?? null,
      hero_caption: over.hero?.caption ?? null,
      hero_credit: over.hero?.credit ?? null,
      status: over.status ?? 'published',
      language: over.language ?? 'en',
      published_at: publishedAt ? iso(publishedAt) : null,
      updated_at: over.updatedAt ? iso(over.updatedAt) : null,
      created_at: iso(publishedAt ?? new Date()),
      modified_at: iso(over.updatedAt ?? publishedAt ?? new Date()),
    },
    over.tagIds ?? [],
    over.authorIds ?? [],
  );
  return { id, slug, headline };
}

/** A story as the admin API answers it. */
export type Story = Static<typeof StoryJson>;
/** What a new story may say (POST /api/admin/articles), all of it optional here. */
export type StoryFields = Partial<CreateStoryBody>;

/**
 * The body of a new story for POST /api/admin/articles: a draft in Africa,
 * "Rains return to the Kesra Valley", unless `over` says otherwise (a `body`
 * document replaces the default markdown).
 */
export function buildStory(over: StoryFields = {}): CreateStoryBody {
  return {
    headline: 'Rains return to the Kesra Valley',
    section: 'africa',
    ...(over.body === undefined ? { markdown: 'The first rain in **14 months** fell on Tuesday.' } : {}),
    ...over,
  };
}

/** Creates a story through the admin API, as `as` (expects 201). */
export async function createStory(t: TestApp, as: Credentials, over: StoryFields = {}): Promise<Story> {
  const r = await t.api<{ article: Story }>('POST', '/api/admin/articles', { as, body: buildStory(over) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body!.article;
}

/** Publishes a story through the admin API, now or (with `at`, an ISO time) on schedule (expects 200). */
export async function publishStory(t: TestApp, as: Credentials, id: number, at?: string): Promise<Story> {
  const r = await t.api<{ article: Story }>('POST', `/api/admin/articles/${id}/publish`, { as, ...(at === undefined ? {} : { body: { at } }) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body!.article;
}

/** The readers' API's answer to a comment it took. */
export type PostedComment = Static<typeof OwnCommentEnvelope>;

/**
 * Posts a comment (a reply when `parentId` is given) through the readers' API,
 * as a browser on the site does; the response and its JSON (typed as when the
 * comment is taken: pass `T` to read a refusal).
 */
export async function postComment<T = PostedComment>(
  t: TestApp,
  articleId: number,
  as: { cookie: string },
  body: string,
  parentId?: number,
): Promise<{ res: Response; body: T }> {
  const res = await t.request('POST', `/api/v1/articles/${articleId}/comments`, {
    as,
    json: parentId ? { body, parentId } : { body },
    headers: { origin: t.url, accept: 'application/json' },
  });
  return { res, body: (await res.json()) as T };
}
