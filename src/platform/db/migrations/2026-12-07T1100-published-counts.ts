import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from '../migrator.js';

// Frozen in time: this migration must never import application code.
//
// Section, tag and author pages show "page N of M", which needs how many
// stories each has. Counting them per render cost 50-88 ms at 100,000 stories
// on PostgreSQL. `published_counts` keeps, per section, tag and author, its
// stories with status 'published' and a publication time, kept by triggers in
// the same transaction as every write that changes it (publish, unpublish,
// the scheduler's claim, a section move, retagging, a byline change, a
// deletion), whichever code writes (the newsroom, an import, a bulk load).
// Embargoed stories (published, time still ahead) are in the count; readers'
// counts subtract them with a query over the few stories whose time is ahead
// (content/article.store.ts). A section's count is its own stories; its
// subsections' are added when it is read.
//
// SQLite runs row triggers. PostgreSQL sums each INSERT or DELETE statement's
// rows (transition tables), so a bulk load of 400 stories updates a section's
// row once, not 400 times in one transaction; status and section changes are
// one row at a time. A story's delete is counted before it happens (its tags
// and authors are still linked then); the links' delete triggers, run by the
// cascade, find the story gone and count nothing twice. A deleted section,
// tag or author takes its row with it.

const COUNTED = (row: string) => `(${row}.status = 'published' AND ${row}.published_at IS NOT NULL)`;

type Kind = 'section' | 'tag' | 'author';
/** The two link tables: a story's tags and its byline authors. */
const LINKS: ReadonlyArray<{ kind: Kind; link: string; target: string; column: string }> = [
  { kind: 'tag', link: 'article_tags', target: 'tags', column: 'tag_id' },
  { kind: 'author', link: 'article_authors', target: 'authors', column: 'author_id' },
];
const TARGETS: ReadonlyArray<{ kind: Kind; target: string }> = [{ kind: 'section', target: 'sections' }, ...LINKS];

/** Adds `select`'s (kind, ref_id, delta) rows to the counts. */
const add = (select: string) => `INSERT INTO published_counts (kind, ref_id, published) ${select}
      ON CONFLICT (kind, ref_id) DO UPDATE SET published = published_counts.published + excluded.published;`;

export function publishedCountsMigration(ctx: MigrationContext) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('published_counts')
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('section', 'tag', 'author')`))
        .addColumn('ref_id', 'integer', (c) => c.notNull())
        .addColumn('published', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('published_counts_pk', ['kind', 'ref_id'])
        .execute();
      if (ctx.dialect === 'sqlite') await sqliteTriggers(db);
      else await postgresTriggers(db);

      await sql.raw(add(`SELECT 'section', section_id, count(*) FROM articles a WHERE ${COUNTED('a')} GROUP BY section_id`)).execute(db);
      for (const { kind, link, column } of LINKS) {
        await sql.raw(add(`SELECT '${kind}', l.${column}, count(*) FROM ${link} l JOIN articles a ON a.id = l.article_id WHERE ${COUNTED('a')} GROUP BY l.${column}`)).execute(db);
      }
    },
    async down(db: Kysely<unknown>): Promise<void> {
      const triggers: Array<[string, string]> = [
        ['articles_counts_insert', 'articles'], ['articles_counts_update', 'articles'], ['articles_counts_delete', 'articles'],
        ...LINKS.flatMap(({ link }): Array<[string, string]> => [[`${link}_counts_insert`, link], [`${link}_counts_delete`, link], [`${link}_counts_update`, link]]),
        ...TARGETS.map(({ target }): [string, string] => [`${target}_counts_forget`, target]),
      ];
      for (const [name, table] of triggers) {
        await sql.raw(ctx.dialect === 'sqlite' ? `DROP TRIGGER IF EXISTS ${name}` : `DROP TRIGGER IF EXISTS ${name} ON ${table}`).execute(db);
        if (ctx.dialect === 'postgres') await sql.raw(`DROP FUNCTION IF EXISTS ${name}()`).execute(db);
      }
      await db.schema.dropTable('published_counts').execute();
    },
  };
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  // "WHERE true": SQLite's parser needs it before ON CONFLICT in an INSERT ... SELECT.
  const linked = (delta: string, articleId: string) =>
    LINKS.map(({ kind, link, column }) => add(`SELECT '${kind}', ${column}, ${delta} FROM ${link} WHERE article_id = ${articleId}`)).join('\n    ');

  await sql.raw(`CREATE TRIGGER articles_counts_insert AFTER INSERT ON articles WHEN ${COUNTED('new')} BEGIN
    ${add(`SELECT 'section', new.section_id, 1 WHERE true`)}
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER articles_counts_update AFTER UPDATE OF status, published_at, section_id ON articles
  WHEN ${COUNTED('old')} <> ${COUNTED('new')} OR old.section_id <> new.section_id BEGIN
    ${add(`SELECT 'section', old.section_id, -1 WHERE ${COUNTED('old')}`)}
    ${add(`SELECT 'section', new.section_id, 1 WHERE ${COUNTED('new')}`)}
    ${linked(`${COUNTED('new')} - ${COUNTED('old')}`, `new.id AND ${COUNTED('old')} <> ${COUNTED('new')}`)}
  END`).execute(db);
  await sql.raw(`CREATE TRIGGER articles_counts_delete BEFORE DELETE ON articles WHEN ${COUNTED('old')} BEGIN
    ${add(`SELECT 'section', old.section_id, -1 WHERE true`)}
    ${linked('-1', 'old.id')}
  END`).execute(db);

  for (const { kind, link, target, column } of LINKS) {
    // The target's existence: a tag's deletion cascades to its links after the tag's row (and count) went.
    const counted = (row: string) =>
      `EXISTS (SELECT 1 FROM articles a WHERE a.id = ${row}.article_id AND ${COUNTED('a')}) AND EXISTS (SELECT 1 FROM ${target} WHERE id = ${row}.${column})`;
    await sql.raw(`CREATE TRIGGER ${link}_counts_insert AFTER INSERT ON ${link} WHEN ${counted('new')} BEGIN
      ${add(`SELECT '${kind}', new.${column}, 1 WHERE true`)}
    END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${link}_counts_delete AFTER DELETE ON ${link} WHEN ${counted('old')} BEGIN
      ${add(`SELECT '${kind}', old.${column}, -1 WHERE true`)}
    END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${link}_counts_update AFTER UPDATE OF article_id, ${column} ON ${link} BEGIN
      ${add(`SELECT '${kind}', old.${column}, -1 WHERE ${counted('old')}`)}
      ${add(`SELECT '${kind}', new.${column}, 1 WHERE ${counted('new')}`)}
    END`).execute(db);
  }
  for (const { kind, target } of TARGETS) {
    await sql.raw(`CREATE TRIGGER ${target}_counts_forget AFTER DELETE ON ${target} BEGIN
      DELETE FROM published_counts WHERE kind = '${kind}' AND ref_id = old.id;
    END`).execute(db);
  }
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  const fn = async (name: string, body: string, returns = 'NULL') =>
    sql.raw(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$
    BEGIN
      ${body}
      RETURN ${returns};
    END
    $fn$`).execute(db);
  const linked = (delta: string, articleId: string) =>
    LINKS.map(({ kind, link, column }) => add(`SELECT '${kind}', ${column}, ${delta} FROM ${link} WHERE article_id = ${articleId}`)).join('\n      ');

  // Per statement: one row per section however many stories the statement inserts.
  await fn('articles_counts_insert', add(`SELECT 'section', section_id, count(*) FROM new_rows WHERE ${COUNTED('new_rows')} GROUP BY section_id`));
  await sql.raw(`CREATE TRIGGER articles_counts_insert AFTER INSERT ON articles REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION articles_counts_insert()`).execute(db);

  await fn('articles_counts_update', `IF ${COUNTED('OLD')} THEN
        ${add(`SELECT 'section', OLD.section_id, -1`)}
      END IF;
      IF ${COUNTED('NEW')} THEN
        ${add(`SELECT 'section', NEW.section_id, 1`)}
      END IF;
      IF ${COUNTED('OLD')} <> ${COUNTED('NEW')} THEN
        ${linked(`CASE WHEN ${COUNTED('NEW')} THEN 1 ELSE -1 END`, 'NEW.id')}
      END IF;`);
  await sql.raw(`CREATE TRIGGER articles_counts_update AFTER UPDATE OF status, published_at, section_id ON articles
    FOR EACH ROW WHEN (${COUNTED('OLD')} <> ${COUNTED('NEW')} OR OLD.section_id <> NEW.section_id)
    EXECUTE FUNCTION articles_counts_update()`).execute(db);

  await fn('articles_counts_delete', `${add(`SELECT 'section', OLD.section_id, -1`)}
      ${linked('-1', 'OLD.id')}`, 'OLD');
  await sql.raw(`CREATE TRIGGER articles_counts_delete BEFORE DELETE ON articles
    FOR EACH ROW WHEN ${COUNTED('OLD')} EXECUTE FUNCTION articles_counts_delete()`).execute(db);

  for (const { kind, link, target, column } of LINKS) {
    // The target's existence: a tag's deletion cascades to its links after the tag's row (and count) went.
    const sum = (rows: string, sign: '' | '-') => add(`SELECT '${kind}', l.${column}, ${sign}count(*) FROM ${rows} l
        JOIN articles a ON a.id = l.article_id JOIN ${target} t ON t.id = l.${column}
        WHERE ${COUNTED('a')} GROUP BY l.${column}`);
    await fn(`${link}_counts_insert`, sum('new_rows', ''));
    await sql.raw(`CREATE TRIGGER ${link}_counts_insert AFTER INSERT ON ${link} REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${link}_counts_insert()`).execute(db);
    await fn(`${link}_counts_delete`, sum('old_rows', '-'));
    await sql.raw(`CREATE TRIGGER ${link}_counts_delete AFTER DELETE ON ${link} REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${link}_counts_delete()`).execute(db);
    await fn(`${link}_counts_update`, `${sum('old_rows', '-')}\n      ${sum('new_rows', '')}`);
    await sql.raw(`CREATE TRIGGER ${link}_counts_update AFTER UPDATE ON ${link} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION ${link}_counts_update()`).execute(db);
  }
  for (const { kind, target } of TARGETS) {
    await fn(`${target}_counts_forget`, `DELETE FROM published_counts WHERE kind = '${kind}' AND ref_id = OLD.id;`);
    await sql.raw(`CREATE TRIGGER ${target}_counts_forget AFTER DELETE ON ${target} FOR EACH ROW EXECUTE FUNCTION ${target}_counts_forget()`).execute(db);
  }
}
