import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
export function contentMigration(ctx: MigrationContext) {
  const id = ctx.dialect === 'postgres' ? 'serial' : 'integer';
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sections')
        .addColumn('id', id, (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('parent_id', 'integer', (c) => c.references('sections.id').onDelete('restrict'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('icon', 'text', (c) => c.notNull().defaultTo('news'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('authors')
        .addColumn('id', id, (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('bio', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('photo_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('tags')
        .addColumn('id', id, (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('special_coverage', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('articles')
        .addColumn('id', id, (c) => (ctx.dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('headline', 'text', (c) => c.notNull())
        .addColumn('standfirst', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('section_id', 'integer', (c) => c.notNull().references('sections.id').onDelete('restrict'))
        .addColumn('credit_line', 'text')
        .addColumn('hero_image_url', 'text')
        .addColumn('hero_image_alt', 'text')
        .addColumn('hero_caption', 'text')
        .addColumn('hero_credit', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('draft'))
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('en'))
        .addColumn('published_at', 'text')
        .addColumn('updated_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('modified_at', 'text', (c) => c.notNull())
        .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('articles_status_published').on('articles').columns(['status', 'published_at']).execute();
      await db.schema.createIndex('articles_section_published').on('articles').columns(['section_id', 'status', 'published_at']).execute();

      await db.schema
        .createTable('article_tags')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('article_tags_pk', ['article_id', 'tag_id'])
        .execute();
      await db.schema.createIndex('article_tags_tag').on('article_tags').columns(['tag_id', 'article_id']).execute();

      await db.schema
        .createTable('article_authors')
        .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
        .addColumn('author_id', 'integer', (c) => c.notNull().references('authors.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('article_authors_pk', ['article_id', 'author_id'])
        .execute();
      await db.schema.createIndex('article_authors_author').on('article_authors').columns(['author_id', 'article_id']).execute();

      await db.schema
        .createTable('site_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const t of ['site_settings', 'article_authors', 'article_tags', 'articles', 'tags', 'authors', 'sections']) {
        await db.schema.dropTable(t).execute();
      }
    },
  };
}
