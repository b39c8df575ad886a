import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// The organisation's pages are now written in the story editor, so their body
// is only ever the stories' JSON document and the Markdown they were once
// typed in goes. Every save already stored the document made from that
// Markdown, which stays as it is; a row whose body is not a document (none is
// written so, but a hand-edited database may hold one) gets its Markdown as
// plain paragraphs, so no page loses its text.
export function sitePageBodiesMigration(_ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const { rows } = await sql<{ slug: string; body: string; markdown: string | null }>`SELECT slug, body, markdown FROM site_pages`.execute(db);
      for (const row of rows) {
        if (isDocument(row.body)) continue;
        await sql`UPDATE site_pages SET body = ${JSON.stringify(paragraphsOf(row.markdown ?? ''))} WHERE slug = ${row.slug}`.execute(db);
      }
      await db.schema.alterTable('site_pages').dropColumn('markdown').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      // The Markdown is not rebuilt: the form shows a page saved as a document as such.
      await db.schema.alterTable('site_pages').addColumn('markdown', 'text').execute();
    },
  };
}

function isDocument(body: string): boolean {
  try {
    const doc = JSON.parse(body) as { type?: unknown; content?: unknown } | null;
    return !!doc && doc.type === 'doc' && Array.isArray(doc.content);
  } catch {
    return false;
  }
}

/** Markdown as the text of its paragraphs (blank-line separated), without reading its syntax. */
function paragraphsOf(markdown: string) {
  const content = markdown
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] }));
  return { type: 'doc', content };
}
