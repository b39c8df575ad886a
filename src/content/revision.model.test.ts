import { describe, expect, it } from 'vitest';
import { markdownToDoc } from './body.js';
import type { StorySnapshot } from './story.model.js';
import type { RevisionView } from './story.service.js';
import { bodyLines, compareBodies, comparedOf, compareRevisions, COMPARED_FIELDS, revisionPair } from './revision.model.js';

function revision(id: number, over: Partial<StorySnapshot> = {}, more: Partial<RevisionView> = {}): RevisionView {
  const snapshot: StorySnapshot = {
    headline: 'Rains return to the valley',
    standfirst: 'Farmers wait.',
    body: markdownToDoc('The first rain fell on Tuesday.'),
    sectionId: 1,
    tagIds: [],
    authorIds: [],
    credit: null,
    hero: null,
    slug: 'rains-return-to-the-valley',
    seoTitle: null,
    seoDescription: null,
    commentsMode: null,
    language: 'en',
    ...over,
  };
  return {
    row: { id, article_id: 7, author_id: 3, author_name: 'Amara', token_id: null, created_at: '2025-03-01T10:00:00.000Z', snapshot: JSON.stringify(snapshot), note: null },
    snapshot,
    section: { id: 1, slug: 'africa', name: 'Africa' },
    tags: [],
    authors: [],
    ...more,
  };
}

describe('a revision as compared', () => {
  it('reads every field as text, with the defaults an editor would see', () => {
    const r = comparedOf(revision(1, {}, { section: null, tags: [{ id: 1, slug: 'water', name: 'Water' }, { id: 2, slug: 'drought', name: 'Drought' }] }));
    expect(r).toMatchObject({ id: 1, author: 'Amara', note: null, createdAt: '2025-03-01T10:00:00.000Z' });
    expect(r.fields.map((f) => f.field)).toEqual(COMPARED_FIELDS.map(([field]) => field));
    const value = (field: string) => r.fields.find((f) => f.field === field)?.value;
    expect(value('section')).toBe('(a deleted section)');
    expect(value('tags')).toBe('Water, Drought');
    expect(value('commentsMode')).toBe('site default');
    expect(value('heroAlt')).toBe('');
  });
});

describe('which revisions are compared', () => {
  it('defaults to the latest change, and puts the older first', () => {
    expect(revisionPair([9, 5, 2])).toEqual([5, 9]);
    expect(revisionPair([9, 5, 2], 2)).toEqual([2, 9]);
    expect(revisionPair([9, 5, 2], undefined, 5)).toEqual([5, 5]);
    expect(revisionPair([9, 5, 2], 9, 2)).toEqual([2, 9]);
    // One revision: compared with itself. None: nothing to compare.
    expect(revisionPair([4])).toEqual([4, 4]);
    expect(revisionPair([])).toBeUndefined();
  });
});

describe('two revisions compared', () => {
  it('names the changed fields word by word, keeps both texts, and lists the unchanged ones', () => {
    const a = comparedOf(revision(1));
    const b = comparedOf(revision(2, { headline: 'Rains return to the northern valley', seoTitle: 'Rain at last' }));
    const c = compareRevisions(a, b);
    expect(c.changed.map((f) => f.field)).toEqual(['headline', 'seoTitle']);
    const headline = c.changed[0]!;
    expect(headline).toMatchObject({ label: 'Headline', before: 'Rains return to the valley', after: 'Rains return to the northern valley' });
    expect(headline.changes.filter((x) => x.added).map((x) => x.value.trim())).toEqual(['northern']);
    expect(headline.changes.some((x) => x.removed)).toBe(false);
    expect(c.changed[1]).toMatchObject({ label: 'SEO title', before: '', after: 'Rain at last' });
    expect(c.unchanged).toContain('Standfirst');
    expect(c.unchanged).not.toContain('Headline');
    expect(c).toMatchObject({ bodyChanged: false, body: [{ kind: 'same', text: 'The first rain fell on Tuesday.' }] });
  });

  it('says the body changed when a paragraph did', () => {
    const c = compareRevisions(comparedOf(revision(1)), comparedOf(revision(2, { body: markdownToDoc('The first heavy rain fell on Tuesday.') })));
    expect(c.changed).toEqual([]);
    expect(c.bodyChanged).toBe(true);
    const line = c.body[0]!;
    expect(line.kind === 'changed' && line.changes.filter((x) => x.added).map((x) => x.value.trim())).toEqual(['heavy']);
  });
});

describe('the body as lines', () => {
  it('writes one line per paragraph, heading, list item and image, links kept', () => {
    const doc = markdownToDoc('## Up the valley\n\nSee [the map](https://example.com/map).\n\n- one\n- two\n\n1. first\n\n> Quoted.\n\n---\n\n![A dry well](/media/well.jpg)');
    expect(bodyLines(doc)).toEqual([
      '## Up the valley',
      'See [the map](https://example.com/map).',
      '• one',
      '• two',
      '1. first',
      '> Quoted.',
      '———',
      '[Image /media/well.jpg | alt: A dry well]',
    ]);
  });

  it('pairs changed paragraphs, marks lone ones added or removed, and folds long unchanged stretches', () => {
    const a = markdownToDoc('One.\n\nTwo.\n\nThree.\n\nFour.\n\nThe rain fell.\n\nGone.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.');
    const b = markdownToDoc('One.\n\nTwo.\n\nThree.\n\nFour.\n\nThe heavy rain fell.\n\nFive.\n\nSix.\n\nSeven.\n\nEight.\n\nAdded.');
    const lines = compareBodies(a, b);
    expect(lines[0]).toEqual({ kind: 'folded', count: 3 });
    expect(lines[1]).toEqual({ kind: 'same', text: 'Four.' });
    expect(lines[2]!.kind).toBe('changed');
    expect(lines[3]).toEqual({ kind: 'removed', text: 'Gone.' });
    expect(lines[4]).toEqual({ kind: 'same', text: 'Five.' });
    expect(lines[5]).toEqual({ kind: 'folded', count: 2 });
    expect(lines[6]).toEqual({ kind: 'same', text: 'Eight.' });
    expect(lines[7]).toEqual({ kind: 'added', text: 'Added.' });
    expect(lines).toHaveLength(8);
  });

  it('pairs changed paragraphs word by word, then adds what is left over', () => {
    const a = markdownToDoc('One.\n\nTwo.\n\nThree.\n\nFour.\n\nThe rain fell.\n\nGone.');
    const b = markdownToDoc('One.\n\nTwo.\n\nThree.\n\nFour.\n\nThe heavy rain fell.\n\nNew.\n\nAdded.');
    const lines = compareBodies(a, b);
    expect(lines[0]).toEqual({ kind: 'folded', count: 3 });
    expect(lines[1]).toEqual({ kind: 'same', text: 'Four.' });
    const changed = lines.filter((l) => l.kind === 'changed');
    expect(changed).toHaveLength(2);
    expect(changed[0]!.kind === 'changed' && changed[0]!.changes.filter((c) => c.added).map((c) => c.value.trim())).toEqual(['heavy']);
    expect(lines.at(-1)).toEqual({ kind: 'added', text: 'Added.' });
  });
});
