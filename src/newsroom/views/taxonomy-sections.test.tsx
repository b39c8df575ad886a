import { describe, expect, it } from 'vitest';
import type { Section } from '../../platform/db/types.js';
import { orderAfterMove, sectionTree } from './taxonomy-sections.js';

const section = (id: number, position: number, parent_id: number | null = null): Section =>
  ({ id, slug: `s${id}`, name: `S${id}`, description: '', icon: 'news', parent_id, position, created_at: '2026-01-01T00:00:00.000Z' }) as Section;

// World(1) > Africa(2), Asia(3); Politics(4); Business(5)
const sections = [section(4, 3), section(1, 0), section(3, 2, 1), section(2, 1, 1), section(5, 4)];

describe('sectionTree', () => {
  it('groups subsections under their parents, in order', () => {
    expect(sectionTree(sections).map((b) => [b.section.id, b.children.map((c) => c.id)])).toEqual([[1, [2, 3]], [4, []], [5, []]]);
  });

  it('keeps a section whose parent is gone at the top level', () => {
    expect(sectionTree([section(7, 0, 99)]).map((b) => b.section.id)).toEqual([7]);
  });
});

describe('orderAfterMove', () => {
  const tree = sectionTree(sections);

  it('swaps a top-level section with its neighbour, its subsections going with it', () => {
    expect(orderAfterMove(tree, 4, -1)).toEqual([4, 1, 2, 3, 5]);
    expect(orderAfterMove(tree, 1, 1)).toEqual([4, 1, 2, 3, 5]);
    expect(orderAfterMove(tree, 5, -1)).toEqual([1, 2, 3, 5, 4]);
  });

  it('moves a subsection only among its siblings', () => {
    expect(orderAfterMove(tree, 3, -1)).toEqual([1, 3, 2, 4, 5]);
    expect(orderAfterMove(tree, 2, -1)).toBeNull();
    expect(orderAfterMove(tree, 3, 1)).toBeNull();
  });

  it('cannot move past either end, nor an unknown section', () => {
    expect(orderAfterMove(tree, 1, -1)).toBeNull();
    expect(orderAfterMove(tree, 5, 1)).toBeNull();
    expect(orderAfterMove(tree, 42, 1)).toBeNull();
  });
});
