import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { contentMigration } from './migrations/2026-11-29T1200-content.js';
import { readersMigration } from './migrations/2026-11-29T1400-readers.js';
import { commentsMigration } from './migrations/2026-11-29T1500-comments.js';
import { searchMigration } from './migrations/2026-11-29T1600-search.js';
import { newsroomMigration } from './migrations/2026-11-29T1700-newsroom.js';
import { mediaMigration } from './migrations/2026-11-29T1800-media.js';
import { totpMigration } from './migrations/2026-11-29T1900-totp.js';
import { invitationsMigration } from './migrations/2026-12-02T1000-invitations.js';
import { wiresMigration } from './migrations/2026-12-03T1000-wires.js';
import { wireStorySourcesMigration } from './migrations/2026-12-04T1100-wire-story-sources.js';
import { correctionsMigration } from './migrations/2026-12-04T1200-corrections.js';
import { mostReadMigration } from './migrations/2026-12-04T1300-most-read.js';
import { wireGroupsMigration } from './migrations/2026-12-04T1400-wire-groups.js';
import { frontsMigration } from './migrations/2026-12-07T1000-fronts.js';
import { publishedCountsMigration } from './migrations/2026-12-07T1100-published-counts.js';
import { liveCoverageMigration } from './migrations/2026-12-07T1200-live-coverage.js';
import { sitePageBodiesMigration } from './migrations/2026-12-07T1300-site-page-bodies.js';
import { articlePagesMigration } from './migrations/2026-12-07T1400-article-pages.js';

export type Dialect = 'sqlite' | 'postgres';

export interface MigrationContext {
  dialect: Dialect;
}

/**
 * Migrations are listed here in order; their names carry a sortable date.
 * Each is told the dialect, since SQLite and PostgreSQL differ in a few DDL details.
 */
const MIGRATIONS: Array<[string, (ctx: MigrationContext) => Migration]> = [
  ['2026-11-29T1200-content', contentMigration],
  ['2026-11-29T1400-readers', readersMigration],
  ['2026-11-29T1500-comments', commentsMigration],
  ['2026-11-29T1600-search', searchMigration],
  ['2026-11-29T1700-newsroom', newsroomMigration],
  ['2026-11-29T1800-media', mediaMigration],
  ['2026-11-29T1900-totp', totpMigration],
  ['2026-12-02T1000-invitations', invitationsMigration],
  ['2026-12-03T1000-wires', wiresMigration],
  ['2026-12-04T1100-wire-story-sources', wireStorySourcesMigration],
  ['2026-12-04T1200-corrections', correctionsMigration],
  ['2026-12-04T1300-most-read', mostReadMigration],
  ['2026-12-04T1400-wire-groups', wireGroupsMigration],
  ['2026-12-07T1000-fronts', frontsMigration],
  ['2026-12-07T1100-published-counts', publishedCountsMigration],
  ['2026-12-07T1200-live-coverage', liveCoverageMigration],
  ['2026-12-07T1300-site-page-bodies', sitePageBodiesMigration],
  ['2026-12-07T1400-article-pages', articlePagesMigration],
];

class ListedMigrationProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(MIGRATIONS.map(([name, make]) => [name, make(this.ctx)]));
  }
}

export interface MigrationReport {
  applied: string[];
}

/** Migrates up (or down) to the named migration: for tests of one migration against data written before it. */
export async function migrateTo<DB>(db: Kysely<DB>, dialect: Dialect, name: string): Promise<void> {
  if (!MIGRATIONS.some(([n]) => n === name)) throw new Error(`No migration is named ${name}`);
  const { error } = await new Migrator({ db, provider: new ListedMigrationProvider({ dialect }) }).migrateTo(name);
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

export async function migrateToLatest<DB>(db: Kysely<DB>, dialect: Dialect): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: new ListedMigrationProvider({ dialect }) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
