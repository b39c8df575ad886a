import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { buildAuthor, buildSection } from '../../test/helpers/factories.js';
import { importFilesAt, readImportFile } from './import.js';
import { writeImportFiles } from './import.service.js';

let t: TestDb;
let dir: string;

beforeAll(async () => {
  t = await createTestDb();
  await buildSection(t.db.kysely, { slug: 'africa', name: 'Africa' });
  await buildAuthor(t.db.kysely, { slug: 'amara-diallo', name: 'Amara Diallo' });
});
afterAll(async () => t?.destroy());
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

function files(entries: Record<string, string>): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dispatch-import-'));
  for (const [name, text] of Object.entries(entries)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const md = (front: string, body = 'A paragraph of the story.') => `---\n${front}\n---\n${body}\n`;

async function run(target: string) {
  return writeImportFiles(t.db.kysely, importFilesAt(target).map((f) => readImportFile(f)));
}

async function count(slug: string) {
  const row = await t.db.kysely.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('slug', '=', slug).executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('dispatch import', () => {
  it('imports Markdown files with front matter, making tags it does not know', async () => {
    const target = files({
      'harbour-reopens.md': md(
        'headline: Harbour reopens after the storm\nstandfirst: Ships are moving again.\nsection: africa\nauthors: [amara-diallo]\ncredit: Staff, Agencies\ntags: [storms, ports]\npublished: 2026-11-01T08:30:00Z\nhero:\n  image: https://example.org/harbour.jpg\n  alt: Cranes at the harbour\n  caption: The port at dawn.',
        '## Damage\n\nThe storm **closed** the port for three days.',
      ),
    });
    const report = await run(target);
    expect(report).toEqual({ written: 1, files: ['harbour-reopens.md'], errors: [] });
    const row = await t.db.kysely.selectFrom('articles').selectAll().where('slug', '=', 'harbour-reopens').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ headline: 'Harbour reopens after the storm', credit_line: 'Staff, Agencies', status: 'published', published_at: '2026-11-01T08:30:00.000Z', hero_image_alt: 'Cranes at the harbour' });
    expect(JSON.parse(row.body).content[0]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Damage' }] });
    const tags = await t.db.kysely.selectFrom('tags').select(['slug', 'name']).where('slug', 'in', ['storms', 'ports']).orderBy('slug').execute();
    expect(tags).toEqual([{ slug: 'ports', name: 'Ports' }, { slug: 'storms', name: 'Storms' }]);
  });

  it('imports a JSON array', async () => {
    const target = files({
      'batch.json': JSON.stringify([
        { headline: 'First wire story', section: 'africa', body: 'Text one.', credit: 'Agencies' },
        { headline: 'Second wire story', section: 'africa', bodyDoc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Text two.' }] }] } },
      ]),
    });
    expect(await run(target)).toEqual({ written: 2, files: ['batch.json'], errors: [] });
    expect(await count('first-wire-story')).toBe(1);
    expect(await count('second-wire-story')).toBe(1);
  });

  it('reports each invalid file by name and reason, and writes nothing of it', async () => {
    const target = files({
      'a-good-one.md': md('headline: A good one\nsection: africa'),
      'no-headline.md': md('section: africa'),
      'unknown-section.md': md('headline: Lost story\nsection: atlantis'),
      'unknown-author.md': md('headline: Ghost written\nsection: africa\nauthors: [nobody]'),
      'bad-yaml.md': '---\nheadline: [unclosed\n---\nText',
      'no-front-matter.md': 'Just text',
      'empty-body.md': md('headline: Nothing inside\nsection: africa', ''),
      'extra-field.md': md('headline: Extra\nsection: africa\nauthor: amara-diallo'),
      'bad-date.md': md('headline: When\nsection: africa\npublished: yesterday'),
      'bad-image.md': md('headline: Pic\nsection: africa\nhero:\n  image: "javascript:alert(1)"\n  alt: x'),
      'half-bad.json': JSON.stringify([{ headline: 'Would be fine', section: 'africa', body: 'x' }, { headline: '', section: 'africa', body: 'x' }]),
      'not-json.json': '{ nope',
    });
    const report = await run(target);
    expect(report.written).toBe(1);
    expect(report.files).toEqual(['a-good-one.md']);
    const byFile = Object.fromEntries(report.errors.map((e) => [e.split(':')[0], e]));
    expect(Object.keys(byFile).sort()).toEqual(
      ['bad-date.md', 'bad-image.md', 'bad-yaml.md', 'empty-body.md', 'extra-field.md', 'half-bad.json', 'no-front-matter.md', 'no-headline.md', 'not-json.json', 'unknown-author.md', 'unknown-section.md'].sort(),
    );
    expect(byFile['no-headline.md']).toMatch(/missing "headline"/);
    expect(byFile['unknown-section.md']).toMatch(/unknown section "atlantis"/);
    expect(byFile['unknown-author.md']).toMatch(/unknown author "nobody"/);
    expect(byFile['bad-yaml.md']).toMatch(/not valid YAML/);
    expect(byFile['no-front-matter.md']).toMatch(/missing front matter/);
    expect(byFile['empty-body.md']).toMatch(/body is empty/);
    expect(byFile['extra-field.md']).toMatch(/unknown field "author"/);
    expect(byFile['bad-date.md']).toMatch(/published/);
    expect(byFile['bad-image.md']).toMatch(/hero.image/);
    expect(byFile['half-bad.json']).toMatch(/article \[1\]: headline/);
    expect(byFile['not-json.json']).toMatch(/not valid JSON/);
    expect(await count('would-be-fine')).toBe(0); // the good half of a bad file is not written
    expect(await count('lost-story')).toBe(0);
  });

  it('refuses to import the same story twice', async () => {
    const target = files({ 'repeat-story.md': md('headline: Repeat story\nsection: africa') });
    expect((await run(target)).written).toBe(1);
    const again = await run(target);
    expect(again.written).toBe(0);
    expect(again.errors[0]).toMatch(/repeat-story.md: an article "repeat-story" already exists in africa/);
    expect(await count('repeat-story')).toBe(1);
  });
});
