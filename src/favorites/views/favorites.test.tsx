import { describe, expect, it } from 'vitest';
import type { ArticleSummary, SectionRef } from '../../content/content.model.js';
import { renderDocument } from '../../web/render.js';
import type { Chrome } from '../../web/view-types.js';
import type { FavoriteEntry } from '../favorite.service.js';
import { FavoritesPage, storiesLabel } from './favorites.js';

const NOW = new Date('2026-11-29T21:52:00Z');
const chrome: Chrome = { site: { name: 'The Dispatch', url: 'https://news.example.com' }, assets: { css: [], js: [] }, sections: [], breaking: null, now: NOW };
const africa: SectionRef = { id: 1, slug: 'africa', name: 'Africa', description: '', icon: 'globe', path: '/africa', parent: null };

function summary(id: number, headline: string): ArticleSummary {
  return {
    id, slug: 'story', path: `/africa/${id}-story`, headline, standfirst: '', section: africa, authors: [], creditLine: null, hero: null,
    language: 'en', publishedAt: '2026-11-28T10:00:00.000Z', updatedAt: null, commentCount: 0,
  };
}

const entries: FavoriteEntry[] = [
  { articleId: 2, savedAt: '2026-11-29T20:52:00.000Z', headline: 'Rains <return>', available: true, article: summary(2, 'Rains <return>') },
  { articleId: 1, savedAt: '2026-11-27T21:52:00.000Z', headline: 'A story taken down', available: false, article: null },
];

describe('FavoritesPage', () => {
  const html = renderDocument(<FavoritesPage chrome={chrome} signedIn favorites={{ items: entries, page: 1, pageSize: 20, total: 2, totalPages: 1 }} />);

  it('is personal: not indexed, titled for the reader', () => {
    expect(html).toContain('<title>Your favorites | The Dispatch</title>');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it('links the stories still published, with when they were saved', () => {
    expect(html).toContain('<a href="/africa/2-story">Rains &lt;return></a>');
    expect(html).toMatch(/Saved <time datetime="2026-11-29T20:52:00.000Z"[^>]*>one hour ago<\/time>/);
  });

  it('keeps an unpublished story, unlinked and marked', () => {
    expect(html).toContain('favorite-item--gone');
    expect(html).toContain('No longer available');
    expect(html).not.toContain('href="/africa/1-');
  });

  it('has a remove form for each, named for the story', () => {
    expect(html).toContain('action="/favorites/2/remove"');
    expect(html).toContain('action="/favorites/1/remove"');
    expect(html).toContain('from your favorites</span>');
  });

  it('explains favorites to a signed-out reader', () => {
    const out = renderDocument(<FavoritesPage chrome={chrome} signedIn={false} />);
    expect(out).toContain('href="/signin?next=%2Ffavorites"');
    expect(out).toMatch(/<section[^>]+data-local-favorites[^>]+hidden/);
    expect(out).not.toContain('/remove"');
  });

  it('has an empty state and pagination', () => {
    expect(renderDocument(<FavoritesPage chrome={chrome} signedIn favorites={{ items: [], page: 1, pageSize: 20, total: 0, totalPages: 1 }} />)).toContain('You have not saved any stories yet.');
    const page2 = renderDocument(<FavoritesPage chrome={chrome} signedIn favorites={{ items: entries, page: 2, pageSize: 2, total: 5, totalPages: 3 }} />);
    expect(page2).toContain('Page 2 of 3');
    expect(page2).toContain('<title>Your favorites: page 2 | The Dispatch</title>');
    expect(storiesLabel(1)).toBe('1 saved story');
    expect(storiesLabel(5000)).toBe('5,000 saved stories');
  });
});
