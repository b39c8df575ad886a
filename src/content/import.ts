/**
 * Reading articles to import: Markdown files with front matter, or JSON files
 * holding an array of articles. Everything is checked before anything is
 * written; a file with any problem is reported with its name and reason and
 * none of it is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { BodyError, markdownToDoc, parseBodyDoc, type BodyDoc } from './body.js';
import { safeUrl } from '../web/urls.js';
import { SLUG_PATTERN, slugify } from './content.model.js';

const Slug = Type.String({ pattern: SLUG_PATTERN, maxLength: 120 });
const IsoTime = Type.String({ format: 'date-time' });

export const ImportArticleSchema = Type.Object(
  {
    headline: Type.String({ minLength: 1, maxLength: 300 }),
    slug: Type.Optional(Slug),
    standfirst: Type.Optional(Type.String({ maxLength: 1000 })),
    section: Slug,
    tags: Type.Optional(Type.Array(Slug, { maxItems: 20 })),
    authors: Type.Optional(Type.Array(Slug, { maxItems: 10 })),
    credit: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    hero: Type.Optional(
      Type.Object(
        {
          image: Type.String({ minLength: 1, maxLength: 2000 }),
          alt: Type.String({ minLength: 1, maxLength: 500 }),
          caption: Type.Optional(Type.String({ maxLength: 1000 })),
          credit: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
    ),
    status: Type.Optional(Type.Union([Type.Literal('published'), Type.Literal('draft')])),
    published: Type.Optional(IsoTime),
    updated: Type.Optional(IsoTime),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$' })),
    /** A key shared by the versions of one story in different languages (e.g. "sarn-deal-2026"). */
    translation: Type.Optional(Slug),
    /** Markdown body (JSON imports; Markdown files use the text after the front matter). */
    body: Type.Optional(Type.String({ maxLength: 500_000 })),
    /** Body as an editor document (JSON imports). */
    bodyDoc: Type.Optional(Type.Unknown()),
    /** Demo edition only: publication time as an age, e.g. "26h", "3d4h". */
    ago: Type.Optional(Type.String({ pattern: '^(\\d+d)?(\\d+h)?(\\d+m)?$', minLength: 2 })),
    updated_ago: Type.Optional(Type.String({ pattern: '^(\\d+d)?(\\d+h)?(\\d+m)?$', minLength: 2 })),
  },
  { additionalProperties: false },
);
export type ImportArticleInput = Static<typeof ImportArticleSchema>;

/** A checked article, ready to be written. */
export interface ImportedArticle {
  headline: string;
  slug: string;
  standfirst: string;
  section: string;
  tags: string[];
  authors: string[];
  creditLine: string | null;
  hero: { url: string; alt: string; caption: string | null; credit: string | null } | null;
  status: 'published' | 'draft';
  publishedAt: string | null;
  updatedAt: string | null;
  language: string;
  translationGroup: string | null;
  body: BodyDoc;
}

export interface ImportFile {
  file: string;
  articles: ImportedArticle[];
  /** Set when the file cannot be imported; then `articles` is empty. */
  error?: string;
}

/** Lists the importable files under a path (a file, or a directory searched one level deep). */
export function importFilesAt(target: string): string[] {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new Error(`${target}: no such file or directory`);
  if (stat.isFile()) return [target];
  return fs
    .readdirSync(target)
    .filter((f) => /\.(md|markdown|json)$/i.test(f))
    .sort()
    .map((f) => path.join(target, f));
}

export interface ReadOptions {
  now?: Date;
  /** Turns a hero image reference that is not a URL into one (the demo edition names its pictures by key). */
  resolveImage?: (ref: string) => string;
}

export function readImportFile(file: string, { now = new Date(), resolveImage }: ReadOptions = {}): ImportFile {
  const name = path.basename(file);
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (/\.json$/i.test(file)) {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new Error(`not valid JSON (${(err as Error).message})`);
      }
      if (!Array.isArray(data)) throw new Error('a JSON import must be an array of articles');
      if (!data.length) throw new Error('the array holds no articles');
      return { file, articles: data.map((item, i) => checkArticle(item, undefined, now, `article [${i}]`, resolveImage)) };
    }
    let parsed: matter.GrayMatterFile<string>;
    try {
      // gray-matter caches by content; pass an options object to keep each parse fresh.
      parsed = matter(text, {});
    } catch (err) {
      throw new Error(`front matter is not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    if (!Object.keys(parsed.data).length) throw new Error('missing front matter (--- headline: … section: … ---)');
    const data = normaliseYaml(parsed.data);
    // A Markdown file's name is its slug, unless the front matter sets one.
    const stem = name.replace(/\.(md|markdown)$/i, '');
    if (data.slug === undefined && new RegExp(SLUG_PATTERN).test(stem) && stem.length <= 120) data.slug = stem;
    return { file, articles: [checkArticle(data, parsed.content, now, '', resolveImage)] };
  } catch (err) {
    return { file, articles: [], error: `${name}: ${(err as Error).message}` };
  }
}

/** YAML turns unquoted times into Dates; the schema wants strings. */
function normaliseYaml(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

function checkArticle(input: unknown, markdownBody: string | undefined, now: Date, where: string, resolveImage?: (ref: string) => string): ImportedArticle {
  const at = where ? `${where}: ` : '';
  if (!Value.Check(ImportArticleSchema, input)) {
    const first = [...Value.Errors(ImportArticleSchema, input)].find((e) => e.keyword !== 'boolean') ?? [...Value.Errors(ImportArticleSchema, input)][0];
    const field = first?.instancePath ? first.instancePath.slice(1).replace(/\//g, '.') : '';
    const extra = (first?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
    const required = (first?.params as { requiredProperties?: string[] } | undefined)?.requiredProperties;
    const what = extra ? `unknown field "${extra.join('", "')}"` : required ? `missing "${required.join('", "')}"` : `${field || 'article'} ${first?.message ?? 'is invalid'}`;
    throw new Error(`${at}${what}`);
  }
  const a = input as ImportArticleInput;

  let body: BodyDoc;
  try {
    if (a.bodyDoc !== undefined) body = parseBodyDoc(a.bodyDoc);
    else body = markdownToDoc(markdownBody ?? a.body ?? '');
  } catch (err) {
    if (err instanceof BodyError) throw new Error(`${at}body: ${err.message}`);
    throw err;
  }
  if (!body.content.length) throw new Error(`${at}the body is empty`);

  if (a.hero && resolveImage && !safeUrl(a.hero.image)) a.hero.image = resolveImage(a.hero.image);
  if (a.hero && !safeUrl(a.hero.image)) throw new Error(`${at}hero.image must be an http(s) URL or a site path`);

  const publishedAt = a.published ?? (a.ago ? new Date(now.getTime() - durationMs(a.ago)).toISOString() : null);
  const updatedAt = a.updated ?? (a.updated_ago ? new Date(now.getTime() - durationMs(a.updated_ago)).toISOString() : null);
  const status = a.status ?? 'published';
  if (updatedAt && publishedAt && updatedAt < publishedAt) throw new Error(`${at}"updated" is before "published"`);

  return {
    headline: a.headline.trim(),
    slug: a.slug ?? slugify(a.headline),
    standfirst: (a.standfirst ?? '').trim(),
    section: a.section,
    tags: [...new Set(a.tags ?? [])],
    authors: [...new Set(a.authors ?? [])],
    creditLine: a.credit?.trim() || null,
    hero: a.hero ? { url: a.hero.image, alt: a.hero.alt, caption: a.hero.caption ?? null, credit: a.hero.credit ?? null } : null,
    status,
    publishedAt: status === 'published' ? (publishedAt ?? now.toISOString()) : publishedAt,
    updatedAt,
    language: a.language ?? 'en',
    translationGroup: a.translation ?? null,
    body,
  };
}

function durationMs(spec: string): number {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(spec)!;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000;
}
