/**
 * SQL for how stories are organised, as the newsroom writes it: sections,
 * tags, authors, and the old slugs of renamed ones (slug_redirects).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Author, Database, Section, SlugKind, Tag } from '../platform/db/types.js';

type Conn = Kysely<Database> | Transaction<Database>;

export interface SectionWrite {
  slug: string;
  name: string;
  description: string;
  parent_id: number | null;
  icon: string;
}

export const sectionWrites = {
  all(db: Conn): Promise<Section[]> {
    return db.selectFrom('sections').selectAll().orderBy('position').orderBy('id').execute();
  },
  byId(db: Conn, id: number): Promise<Section | undefined> {
    return db.selectFrom('sections').selectAll().where('id', '=', id).executeTakeFirst();
  },
  bySlug(db: Conn, slug: string): Promise<Section | undefined> {
    return db.selectFrom('sections').selectAll().where('slug', '=', slug).executeTakeFirst();
  },
  async insert(db: Conn, s: SectionWrite & { position: number; created_at: string }): Promise<number> {
    const { id } = await db.insertInto('sections').values(s).returning('id').executeTakeFirstOrThrow();
    return id;
  },
  async update(db: Conn, id: number, set: Partial<SectionWrite & { position: number }>): Promise<void> {
    await db.updateTable('sections').set(set).where('id', '=', id).execute();
  },
  async delete(db: Conn, id: number): Promise<void> {
    await db.deleteFrom('sections').where('id', '=', id).execute();
  },
  async nextPosition(db: Conn): Promise<number> {
    const row = await db.selectFrom('sections').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst();
    return Number(row?.p ?? -1) + 1;
  },
  async articleIds(db: Conn, sectionIds: number[]): Promise<number[]> {
    if (!sectionIds.length) return [];
    const rows = await db.selectFrom('articles').select('id').where('section_id', 'in', sectionIds).execute();
    return rows.map((r) => r.id);
  },
};

export const tagWrites = {
  all(db: Conn): Promise<Tag[]> {
    return db.selectFrom('tags').selectAll().orderBy('name').orderBy('id').execute();
  },
  byId(db: Conn, id: number): Promise<Tag | undefined> {
    return db.selectFrom('tags').selectAll().where('id', '=', id).executeTakeFirst();
  },
  bySlugs(db: Conn, slugs: string[]): Promise<Tag[]> {
    if (!slugs.length) return Promise.resolve([]);
    return db.selectFrom('tags').selectAll().where('slug', 'in', slugs).execute();
  },
  byIds(db: Conn, ids: number[]): Promise<Tag[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('tags').selectAll().where('id', 'in', ids).execute();
  },
  async insert(db: Conn, t: { slug: string; name: string; description: string; special_coverage: number; created_at: string }): Promise<number> {
    const { id } = await db.insertInto('tags').values(t).returning('id').executeTakeFirstOrThrow();
    return id;
  },
  async update(db: Conn, id: number, set: Partial<{ slug: string; name: string; description: string; special_coverage: number }>): Promise<void> {
    await db.updateTable('tags').set(set).where('id', '=', id).execute();
  },
  async delete(db: Conn, id: number): Promise<void> {
    await db.deleteFrom('tags').where('id', '=', id).execute();
  },
  async articleIds(db: Conn, tagId: number): Promise<number[]> {
    const rows = await db.selectFrom('article_tags').select('article_id').where('tag_id', '=', tagId).execute();
    return rows.map((r) => r.article_id);
  },
};

export const authorWrites = {
  all(db: Conn): Promise<Author[]> {
    return db.selectFrom('authors').selectAll().orderBy('name').orderBy('id').execute();
  },
  byId(db: Conn, id: number): Promise<Author | undefined> {
    return db.selectFrom('authors').selectAll().where('id', '=', id).executeTakeFirst();
  },
  bySlugs(db: Conn, slugs: string[]): Promise<Author[]> {
    if (!slugs.length) return Promise.resolve([]);
    return db.selectFrom('authors').selectAll().where('slug', 'in', slugs).execute();
  },
  byIds(db: Conn, ids: number[]): Promise<Author[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('authors').selectAll().where('id', 'in', ids).execute();
  },
  async insert(db: Conn, a: { slug: string; name: string; bio: string; photo_url: string | null; created_at: string }): Promise<number> {
    const { id } = await db.insertInto('authors').values(a).returning('id').executeTakeFirstOrThrow();
    return id;
  },
  async update(db: Conn, id: number, set: Partial<{ slug: string; name: string; bio: string; photo_url: string | null }>): Promise<void> {
    await db.updateTable('authors').set(set).where('id', '=', id).execute();
  },
  async delete(db: Conn, id: number): Promise<void> {
    await db.deleteFrom('authors').where('id', '=', id).execute();
  },
  async articleIds(db: Conn, authorId: number): Promise<number[]> {
    const rows = await db.selectFrom('article_authors').select('article_id').where('author_id', '=', authorId).execute();
    return rows.map((r) => r.article_id);
  },
};

export const slugRedirectWrites = {
  /** Remembers `oldSlug` as an old name of the target; a slug taken again by something else stops redirecting. */
  async remember(db: Conn, kind: SlugKind, oldSlug: string, targetId: number, now: string): Promise<void> {
    await db
      .insertInto('slug_redirects')
      .values({ kind, old_slug: oldSlug, target_id: targetId, created_at: now })
      .onConflict((oc) => oc.columns(['kind', 'old_slug']).doUpdateSet({ target_id: targetId, created_at: now }))
      .execute();
  },
  /** A slug now in use is nobody's old name any more. */
  async forget(db: Conn, kind: SlugKind, slug: string): Promise<void> {
    await db.deleteFrom('slug_redirects').where('kind', '=', kind).where('old_slug', '=', slug).execute();
  },
  async forgetTarget(db: Conn, kind: SlugKind, targetId: number): Promise<void> {
    await db.deleteFrom('slug_redirects').where('kind', '=', kind).where('target_id', '=', targetId).execute();
  },
};
