import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/platform/db/connection.js';
import { verifyPassword } from '../src/accounts/password.js';

// The real `dispatch` command, run from the sources, against a temp SQLite data directory.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-cli-'));
const tsx = path.resolve('node_modules/.bin/tsx');
function dispatch(args: string[], input?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DISPATCH_DATA: dataDir, LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  return spawnSync(tsx, ['bin/dev.ts', ...args], { env, input: input ?? '', encoding: 'utf8', timeout: 60_000 });
}
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('dispatch users add', () => {
  it('creates a user with a generated password printed once', async () => {
    const r = dispatch(['users', 'add', 'Editor@Example.org', '--role', 'editor', '--name', 'Desk Editor']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Created editor editor@example.org/);
    const password = /Password \(shown once\): (\S+)/.exec(r.stdout)?.[1];
    expect(password).toBeTruthy();
    const db = openDb({ dataDir });
    const user = await db.kysely.selectFrom('users').selectAll().where('email', '=', 'editor@example.org').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ role: 'editor', status: 'active', display_name: 'Desk Editor' });
    expect((await verifyPassword(user.password_hash!, password!)).ok).toBe(true);
    await db.close();
  });

  it('reads the password from standard input', async () => {
    const r = dispatch(['users', 'add', 'admin@example.org', '--role', 'admin', '--password-stdin'], 'a very long admin passphrase\n');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/Password/);
    const db = openDb({ dataDir });
    const user = await db.kysely.selectFrom('users').selectAll().where('email', '=', 'admin@example.org').executeTakeFirstOrThrow();
    expect((await verifyPassword(user.password_hash!, 'a very long admin passphrase')).ok).toBe(true);
    await db.close();
  });

  it.each([
    [['users', 'add', 'x@example.org', '--role', 'king'], /--role must be one of/],
    [['users', 'add', 'not-an-email', '--role', 'reader'], /not an email address/],
    [['users', 'add', 'editor@example.org', '--role', 'reader'], /already an account/],
    [['users', 'add', 'weak@example.org', '--role', 'reader', '--password-stdin'], /No password/],
  ])('refuses %j clearly', (args, why) => {
    const r = dispatch(args as string[]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(why);
  });
});

describe('dispatch import and migrate', () => {
  it('reports an invalid file by name and exits 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-cli-import-'));
    fs.writeFileSync(path.join(dir, 'broken.md'), '---\nsection: nowhere\n---\nText\n');
    const r = dispatch(['import', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Imported 0 articles/);
    expect(r.stderr).toMatch(/Not imported: broken.md: missing "headline"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('migrates and explains a bad setting', () => {
    expect(dispatch(['migrate']).stdout).toMatch(/up to date/);
    const env = { ...process.env, DISPATCH_DATA: dataDir, PORT: 'many' };
    const r = spawnSync(tsx, ['bin/dev.ts', 'migrate'], { env, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/PORT must be a whole number/);
  });
});

describe('dispatch wires', () => {
  it('adds providers (printing a push secret once), polls a folder, lists the status and removes one', () => {
    const push = dispatch(['wires', 'add', 'meridian', '--credit', 'Meridian Press', '--format', 'ninjs', '--transport', 'push']);
    expect(push.stderr).toBe('');
    expect(push.stdout).toMatch(/Secret \(shown once\): [\w-]{40,}/);
    const folder = dispatch(['wires', 'add', 'atlas', '--credit', 'Atlas Wire', '--format', 'auto', '--transport', 'folder', '--interval', '30']);
    expect(folder.status).toBe(0);
    const incoming = path.join(dataDir, 'wires', 'atlas', 'incoming');
    fs.mkdirSync(incoming, { recursive: true });
    fs.copyFileSync(path.resolve('src/wires/demo/atlas-wire.newsml.xml'), path.join(incoming, 'atlas.xml'));
    const poll = dispatch(['wires', 'poll', 'atlas']);
    expect(poll.status).toBe(0);
    expect(poll.stdout).toMatch(/atlas: ok; stored 3, updated 0, duplicates 0, quarantined 0; files done 1, failed 0/);
    const list = dispatch(['wires', 'list']);
    expect(list.stdout).toMatch(/atlas\tfolder\tauto\t"Atlas Wire"\t3 in the last hour/);
    expect(list.stdout).toMatch(/meridian\tpush/);
    expect(dispatch(['wires', 'remove', 'meridian']).stdout).toMatch(/Removed wire provider meridian/);
    expect(dispatch(['wires', 'list']).stdout).not.toMatch(/meridian/);
    const bad = dispatch(['wires', 'add', 'x', '--credit', 'X', '--format', 'pdf', '--transport', 'push']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--format must be one of/);
  }, 120_000); // seven runs of the command, each starting Node and tsx
});

describe('dispatch serve --workers', () => {
  // parseWorkerCount's unit test has the other bad counts; these two show the command stops before starting anything.
  it.each([
    [['serve', '--workers', '0'], /--workers must be a whole number from 1 to 64, or "auto" \(got "0"\)/],
    [['serve', '--workers', '2'], /--workers needs REDIS_URL/],
  ])('refuses %j clearly', (args, why) => {
    const r = spawnSync(tsx, ['bin/dev.ts', ...(args as string[])], { env: { ...process.env, DISPATCH_DATA: dataDir, REDIS_URL: '' }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(why);
  });
});
