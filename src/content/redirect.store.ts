import type { Kysely, Transaction } from 'kysely';
import type { Database, SlugKind } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

/** Old slugs of renamed sections, tags and authors (written by the newsroom when it renames). */
export const redirectStore = {
  /** The current slug of whatever `oldSlug` used to name, or null. */
  async currentSlug(db: Conn, kind: SlugKind, oldSlug: string): Promise<string | null> {
    const base = db.selectFrom('slug_redirects').where('slug_redirects.kind', '=', kind).where('slug_redirects.old_slug', '=', oldSlug);
    const row =
      kind === 'section'
        ? await base.innerJoin('sections', 'sections.id', 'slug_redirects.target_id').select('sections.slug').executeTakeFirst()
        : kind === 'tag'
          ? await base.innerJoin('tags', 'tags.id', 'slug_redirects.target_id').select('tags.slug').executeTakeFirst()
          : await base.innerJoin('authors', 'authors.id', 'slug_redirects.target_id').select('authors.slug').executeTakeFirst();
    return row && row.slug !== oldSlug ? row.slug : null;
  },
};
