import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/types.js';
import { articleStore } from './article.store.js';
import { authorStore } from './author.store.js';
import { sectionStore } from './section.store.js';
import { tagStore } from './tag.store.js';
import type { ImportedArticle, ImportFile } from './import.js';

export interface ImportReport {
  /** Articles written. */
  written: number;
  /** Files written whole. */
  files: string[];
  /** One line per file that was refused: "name: reason". Nothing of these was written. */
  errors: string[];
}

class ImportRefused extends Error {}

/** Writes each checked file in its own transaction: a file is written whole or not at all. */
export async function writeImportFiles(db: Kysely<Database>, files: ImportFile[], now: Date = new Date()): Promise<ImportReport> {
  const report: ImportReport = { written: 0, files: [], errors: [] };
  for (const f of files) {
    const name = f.file.split(/[\\/]/).pop()!;
    if (f.error) {
      report.errors.push(f.error);
      continue;
    }
    try {
      const ids = await db.transaction().execute(async (trx) => {
        const written: number[] = [];
        for (const [i, article] of f.articles.entries()) {
          const where = f.articles.length > 1 ? `article [${i}]: ` : '';
          written.push(await writeArticle(trx, article, now, where));
        }
        return written;
      });
      report.written += ids.length;
      report.files.push(name);
    } catch (err) {
      if (!(err instanceof ImportRefused)) throw err;
      report.errors.push(`${name}: ${err.message}`);
    }
  }
  return report;
}

async function writeArticle(trx: Kysely<Database>, a: ImportedArticle, now: Date, where: string): Promise<number> {
  const section = await sectionStore.bySlug(trx, a.section);
  if (!section) throw new ImportRefused(`${where}unknown section "${a.section}"`);

  const authors = await authorStore.bySlugs(trx, a.authors);
  const missingAuthors = a.authors.filter((s) => !authors.some((x) => x.slug === s));
  if (missingAuthors.length) throw new ImportRefused(`${where}unknown author "${missingAuthors.join('", "')}"`);

  const duplicate = await trx
    .selectFrom('articles')
    .select('id')
    .where('section_id', '=', section.id)
    .where('slug', '=', a.slug)
    .executeTakeFirst();
  if (duplicate) throw new ImportRefused(`${where}an article "${a.slug}" already exists in ${a.section} (id ${duplicate.id})`);

  // Unknown tags are created: a wire or archive import brings its own keywords.
  const tags = await tagStore.bySlugs(trx, a.tags);
  const tagIds: number[] = [];
  for (const slug of a.tags) {
    const found = tags.find((t) => t.slug === slug);
    tagIds.push(
      found?.id ??
        (await tagStore.insert(trx, { slug, name: titleOf(slug), description: '', special_coverage: 0, created_at: now.toISOString() })),
    );
  }

  const stamp = now.toISOString();
  return articleStore.insert(
    trx,
    {
      slug: a.slug,
      headline: a.headline,
      standfirst: a.standfirst,
      body: JSON.stringify(a.body),
      section_id: section.id,
      credit_line: a.creditLine,
      hero_image_url: a.hero?.url ?? null,
      hero_image_alt: a.hero?.alt ?? null,
      hero_caption: a.hero?.caption ?? null,
      hero_credit: a.hero?.credit ?? null,
      status: a.status,
      language: a.language,
      translation_group: a.translationGroup,
      published_at: a.publishedAt,
      updated_at: a.updatedAt,
      created_at: a.publishedAt && a.publishedAt < stamp ? a.publishedAt : stamp,
      modified_at: a.updatedAt ?? a.publishedAt ?? stamp,
    },
    tagIds,
    authors.length ? a.authors.map((s) => authors.find((x) => x.slug === s)!.id) : [],
  );
}

function titleOf(slug: string): string {
  const words = slug.split('-');
  return words.map((w, i) => (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w)).join(' ');
}
