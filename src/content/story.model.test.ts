import { describe, expect, it } from 'vitest';
import { markdownToDoc } from './body.js';
import type { ArticleStatus } from '../platform/db/types.js';
import { imagesMissingAlt, moveProblem, publishProblems, publishTiming, PUBLISH_GRACE_MS } from './story.model.js';
import type { WorkflowMove } from './story.model.js';

const STATUSES: ArticleStatus[] = ['draft', 'review', 'scheduled', 'published', 'unpublished'];

describe('workflow moves', () => {
  const allowed: Record<WorkflowMove, ArticleStatus[]> = {
    submit: ['draft'],
    publish: ['draft', 'review', 'scheduled', 'unpublished'],
    schedule: ['draft', 'review', 'scheduled', 'unpublished'],
    unpublish: ['published', 'scheduled'],
    delete: ['draft', 'review', 'unpublished'],
    correct: ['published'],
  };
  for (const [move, from] of Object.entries(allowed) as Array<[WorkflowMove, ArticleStatus[]]>) {
    it(`${move}: allowed from ${from.join(', ')} only`, () => {
      for (const status of STATUSES) {
        const problem = moveProblem(status, move);
        if (from.includes(status)) expect(problem).toBeNull();
        else expect(problem).toMatch(/cannot be/);
      }
    });
  }
});

describe('fit to publish', () => {
  it('needs a headline, a body and alt text on every image', () => {
    expect(publishProblems({ headline: 'Rains return', hero: null, body: markdownToDoc('Text.') })).toEqual([]);
    expect(publishProblems({ headline: ' ', hero: null, body: markdownToDoc('') })).toEqual(['It needs a headline.', 'It needs a body.']);
    const body = markdownToDoc('Intro.\n\n![](/media/a.jpg)\n\n> ![  ](/media/b.jpg)\n\n![A dam](/media/c.jpg)');
    expect(imagesMissingAlt({ hero: { url: '/media/h.jpg', alt: '', caption: null, credit: null }, body })).toEqual([
      'the hero image', 'body image 1 (/media/a.jpg)', 'body image 2 (/media/b.jpg)',
    ]);
    expect(publishProblems({ headline: 'x', hero: null, body })[0]).toMatch(/Alt text is required.*body image 1/);
  });
});

describe('publication time', () => {
  const now = new Date('2026-11-29T12:00:00.000Z');
  it('publishes now without a time, or with a time within the grace', () => {
    expect(publishTiming(undefined, now)).toEqual({ kind: 'now' });
    expect(publishTiming(new Date(now.getTime() - PUBLISH_GRACE_MS + 1000).toISOString(), now)).toEqual({ kind: 'now' });
  });
  it('schedules a future time and refuses the past, far future and nonsense', () => {
    expect(publishTiming('2026-11-29T12:00:01Z', now)).toEqual({ kind: 'schedule', at: '2026-11-29T12:00:01.000Z' });
    expect(publishTiming('2026-11-29T11:50:00Z', now)).toMatchObject({ kind: 'refused', message: expect.stringMatching(/in the past/) });
    expect(publishTiming('2030-01-01T00:00:00Z', now)).toMatchObject({ kind: 'refused' });
    expect(publishTiming('tomorrow', now)).toMatchObject({ kind: 'refused' });
  });
});
