/**
 * Which of our sections a wire item probably belongs in, from its subjects:
 * IPTC Media Topic top-level codes first, then words in the subject names,
 * each naming section slugs in order of preference (the first that exists on
 * this site wins); otherwise the fallback (a "world"/"news" section, or the
 * first section). A suggestion only: the editor changes it in the story.
 * Pure, no I/O.
 */
import type { WireSubject } from './wire.model.js';

/** IPTC Media Topic top-level codes → our section slugs, most likely first. */
export const MEDTOP_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  'medtop:01000000': ['culture', 'arts'],
  'medtop:02000000': ['world', 'news'],
  'medtop:03000000': ['world', 'news'],
  'medtop:04000000': ['economy', 'business'],
  'medtop:05000000': ['education', 'world'],
  'medtop:06000000': ['environment', 'science'],
  'medtop:07000000': ['health', 'science'],
  'medtop:08000000': ['culture', 'world'],
  'medtop:09000000': ['economy', 'business'],
  'medtop:10000000': ['lifestyle', 'culture'],
  'medtop:11000000': ['politics', 'world'],
  'medtop:12000000': ['culture', 'world'],
  'medtop:13000000': ['science', 'technology'],
  'medtop:14000000': ['world', 'news'],
  'medtop:15000000': ['sport', 'sports'],
  'medtop:16000000': ['world', 'politics'],
  'medtop:17000000': ['science', 'environment'],
};

/** Words in a subject's name → section slugs (for narrower codes, other vocabularies and RSS categories). */
export const SUBJECT_WORDS: ReadonlyArray<[RegExp, readonly string[]]> = [
  [/\bsport|football|soccer|tennis|cricket|athletic|olympic|rugby|race\b|regatta|sailing/i, ['sport', 'sports']],
  [/politic|election|parliament|government|minister|diplomac/i, ['politics', 'world']],
  [/econom|business|financ|market|trade|labour|employment|bank|budget|energy/i, ['economy', 'business']],
  [/scien|technolog|research|space|climate|environment|weather/i, ['science', 'environment', 'technology']],
  [/\bart|culture|entertainment|music|film|theatre|literature|museum|media\b/i, ['culture', 'arts']],
  [/health|medic|hospital|disease/i, ['health', 'science']],
  [/opinion|comment|editorial/i, ['opinion']],
];

const FALLBACK = ['world', 'news'];

export function suggestSection(subjects: readonly WireSubject[], sectionSlugs: readonly string[]): string | null {
  const exists = new Set(sectionSlugs);
  const pick = (slugs: readonly string[]) => slugs.find((s) => exists.has(s)) ?? null;
  for (const s of subjects) {
    const code = s.code?.toLowerCase() ?? '';
    const top = /^medtop:\d{8}$/.test(code) ? MEDTOP_SECTIONS[code] : undefined;
    const hit = top ? pick(top) : null;
    if (hit) return hit;
  }
  for (const s of subjects) {
    for (const [re, slugs] of SUBJECT_WORDS) {
      if (s.name && re.test(s.name)) {
        const hit = pick(slugs);
        if (hit) return hit;
      }
    }
  }
  return pick(FALLBACK) ?? sectionSlugs[0] ?? null;
}
