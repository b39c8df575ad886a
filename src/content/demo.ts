/**
 * The demo edition: sections, authors, tags and 40+ stories written for this
 * project (demo/), with pictures drawn as SVG into the data directory. Loaded
 * by `dispatch seed demo`, and by `dispatch serve` on an empty database.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { projectRoot } from '../platform/paths.js';
import { sectionStore } from './section.store.js';
import { authorStore } from './author.store.js';
import { tagStore } from './tag.store.js';
import { settingsStore } from './settings.store.js';
import { articleStore } from './article.store.js';
import { importFilesAt, readImportFile } from './import.js';
import { writeImportFiles, type ImportReport } from './import.service.js';
import { authorPortraitSvg, demoImageSvg } from './demo-images.js';
import { paths } from './content.model.js';
import { sitePageStore } from './site-page.store.js';
import { markdownToDoc } from './body.js';
import { isSitePageSlug } from './site-pages.js';
import { hubStore, liveStore } from './live.store.js';

export const demoDir = path.join(projectRoot, 'demo');

interface Edition {
  sections: Array<{ slug: string; name: string; description: string; icon: string; parent: string | null }>;
  authors: Array<{ slug: string; name: string; bio: string }>;
  tags: Array<{ slug: string; name: string; description: string; special_coverage: boolean }>;
  breaking?: { text: string; article: string };
  /** The story each special-coverage hub leads with, by tag. */
  hubs?: Array<{ tag: string; lead: string }>;
}

/** demo/live.json: one running live story, its posts written for the demo (times as "2h30m" ago). */
interface DemoLive {
  article: string;
  started_ago: string;
  posts: Array<{ ago: string; markdown: string; kind?: 'text' | 'quote'; attribution?: string; key_event?: string; pinned?: boolean }>;
}

const agoMs = (spec: string): number => {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(spec);
  if (!m) throw new Error(`demo: "${spec}" is not a time ago such as 2h30m.`);
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000;
};

async function articleIdBySlug(db: Kysely<Database>, slug: string): Promise<number> {
  const row = await db.selectFrom('articles').select('id').where('slug', '=', slug).executeTakeFirst();
  if (!row) throw new Error(`demo: there is no story "${slug}".`);
  return row.id;
}

/** True when the database holds no content yet (no sections and no articles). */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  const [sections, articles] = await Promise.all([sectionStore.all(db), articleStore.count(db)]);
  return sections.length === 0 && articles === 0;
}

export async function seedDemo(db: Kysely<Database>, dataDir: string, now: Date = new Date()): Promise<ImportReport> {
  if (!(await isEmpty(db))) throw new Error('The database already holds content; the demo edition loads only into an empty database.');
  const edition = JSON.parse(fs.readFileSync(path.join(demoDir, 'edition.json'), 'utf8')) as Edition;
  const stamp = now.toISOString();
  const mediaDir = path.join(dataDir, 'media', 'demo');
  fs.mkdirSync(path.join(mediaDir, 'authors'), { recursive: true });

  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, number>();
    for (const [position, s] of edition.sections.entries()) {
      const parent_id = s.parent ? ids.get(s.parent) ?? null : null;
      ids.set(s.slug, await sectionStore.insert(trx, { slug: s.slug, name: s.name, description: s.description, icon: s.icon, parent_id, position, created_at: stamp }));
    }
    for (const a of edition.authors) {
      fs.writeFileSync(path.join(mediaDir, 'authors', `${a.slug}.svg`), authorPortraitSvg(a.name));
      await authorStore.insert(trx, { slug: a.slug, name: a.name, bio: a.bio, photo_url: `/media/demo/authors/${a.slug}.svg`, created_at: stamp });
    }
    for (const t of edition.tags) {
      await tagStore.insert(trx, { slug: t.slug, name: t.name, description: t.description, special_coverage: t.special_coverage ? 1 : 0, created_at: stamp });
    }
  });

  // Pictures: every key a story names, as hero or in its body.
  const articlesDir = path.join(demoDir, 'articles');
  const files = importFilesAt(articlesDir);
  const keys = new Set<string>();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s+image:\s*([a-z0-9-]+)\s*$/gm)) keys.add(m[1]!);
    for (const m of text.matchAll(/\/media\/demo\/([a-z0-9-]+)\.svg/g)) keys.add(m[1]!);
  }
  for (const key of keys) fs.writeFileSync(path.join(mediaDir, `${key}.svg`), demoImageSvg(key));

  const report = await writeImportFiles(
    db,
    files.map((f) => readImportFile(f, { now, resolveImage: (key) => `/media/demo/${key}.svg` })),
    now,
  );
  if (report.errors.length) throw new Error(`The demo edition has invalid files:\n${report.errors.join('\n')}`);

  if (edition.breaking) {
    const slug = edition.breaking.article;
    const row = await db
      .selectFrom('articles')
      .innerJoin('sections', 'sections.id', 'articles.section_id')
      .select(['articles.id', 'articles.slug', 'sections.slug as section'])
      .where('articles.slug', '=', slug)
      .executeTakeFirst();
    await settingsStore.setJson(db, 'breaking', {
      text: edition.breaking.text,
      path: row ? paths.article(row.section, row.id, row.slug) : null,
      expiresAt: null,
    });
  }
  // The live story and the hubs' leads (demo/live.json, edition.json's hubs).
  const live = JSON.parse(fs.readFileSync(path.join(demoDir, 'live.json'), 'utf8')) as DemoLive;
  const liveId = await articleIdBySlug(db, live.article);
  const ago = (spec: string) => new Date(now.getTime() - agoMs(spec)).toISOString();
  await db.transaction().execute(async (trx) => {
    await liveStore.startCoverage(trx, { article_id: liveId, started_at: ago(live.started_ago), started_by: null, revision: live.posts.length });
    for (const p of live.posts) {
      await liveStore.insertPost(trx, {
        article_id: liveId, author_id: null, kind: p.kind ?? 'text', body: JSON.stringify(markdownToDoc(p.markdown)), markdown: p.markdown,
        media_url: null, media_alt: null, attribution: p.attribution ?? null, card_title: null, card_description: null, card_site: null,
        pinned: p.pinned ? 1 : 0, key_event: p.key_event ? 1 : 0, key_event_title: p.key_event ?? null, created_at: ago(p.ago), edited_at: null, deleted_at: null,
      });
    }
    for (const h of edition.hubs ?? []) {
      const tag = await tagStore.bySlug(trx, h.tag);
      if (!tag) throw new Error(`demo: there is no tag "${h.tag}".`);
      await hubStore.setLead(trx, { tag_id: tag.id, lead_article_id: await articleIdBySlug(trx, h.lead), updated_at: stamp, updated_by: null });
    }
  });
  // The organisation's pages, written for the demo edition in Markdown (demo/pages.json), stored as story bodies are.
  const pages = JSON.parse(fs.readFileSync(path.join(demoDir, 'pages.json'), 'utf8')) as Array<{ slug: string; title: string; summary: string; markdown: string }>;
  for (const p of pages) {
    if (!isSitePageSlug(p.slug)) throw new Error(`demo/pages.json: "${p.slug}" is not one of the site's pages.`);
    await sitePageStore.save(db, { slug: p.slug, title: p.title, summary: p.summary, body: JSON.stringify(markdownToDoc(p.markdown)), updated_at: stamp, updated_by: null });
  }
  return report;
}
