import { describe, expect, it } from 'vitest';
import { markdownToDoc, parseBodyDoc } from '../../content/body.js';
import { jsonForScript } from '../../web/layout.js';
import { EMPTY_FIELDS, linkHrefOf, storyInputOf, tagSlugsOf, toBodyDoc } from './editor-form.js';

const known = [{ slug: 'water', name: 'Water' }, { slug: 'climate-crisis', name: 'Climate crisis' }];

describe('the editor form', () => {
  it('reads a comma list of tags by name or slug, new ones as slugs', () => {
    expect(tagSlugsOf('Water, climate crisis , CLIMATE-CRISIS, Río Grande,, ', known)).toEqual(['water', 'climate-crisis', 'rio-grande']);
    expect(tagSlugsOf('', known)).toEqual([]);
  });

  it('keeps links readers can follow and refuses script URLs', () => {
    expect(linkHrefOf('example.com/a b')).toBe('https://example.com/a%20b');
    expect(linkHrefOf('https://example.com/x')).toBe('https://example.com/x');
    expect(linkHrefOf('/africa/12-x')).toBe('/africa/12-x');
    expect(linkHrefOf('mailto:desk@example.com')).toBe('mailto:desk@example.com');
    for (const bad of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,x', '//evil.example', '/\\evil.example', '/a\\b', 'https:\\\\evil.example', 'vbscript:x', 'just words', '']) {
      expect(linkHrefOf(bad)).toBeNull();
    }
  });

  it('sends the slug only when it was set by hand', () => {
    const f = { ...EMPTY_FIELDS, headline: 'New headline', section: 'africa', slug: 'old-headline' };
    expect(storyInputOf(f, { knownTags: known, savedSlug: 'old-headline', savedHeadline: 'Old headline' }).slug).toBeUndefined();
    expect(storyInputOf({ ...f, slug: 'my-slug' }, { knownTags: known, savedSlug: 'old-headline', savedHeadline: 'Old headline' }).slug).toBe('my-slug');
    // Saved by hand earlier: it stays, even when the headline changes.
    expect(storyInputOf({ ...f, slug: 'my-slug' }, { knownTags: known, savedSlug: 'my-slug', savedHeadline: 'Old headline' }).slug).toBe('my-slug');
    const input = storyInputOf({ ...f, heroUrl: ' /media/a.jpg ', heroAlt: 'A', credit: ' ', commentsMode: 'sideways' }, { knownTags: known, savedSlug: null, savedHeadline: null });
    expect(input).toMatchObject({ hero: { url: '/media/a.jpg', alt: 'A', caption: null, credit: null }, credit: null, commentsMode: null, section: 'africa' });
  });

  it('reduces the editor\'s document to what body.ts keeps, unchanged for a stored body', () => {
    const stored = markdownToDoc('## Head\n\nText with **bold**, *it* and [a link](https://example.com/).\n\n> Quote\n\n3. three\n4. four\n\n- a\n- b\n\n---\n\n![Alt](/media/p.jpg "Cap — Credit")');
    expect(toBodyDoc(JSON.parse(JSON.stringify(stored)))).toEqual(stored);
    const fromEditor = {
      type: 'doc',
      content: [
        { type: 'paragraph' },
        { type: 'paragraph', attrs: { textAlign: null }, content: [{ type: 'text', text: 'x', marks: [{ type: 'strike' }, { type: 'link', attrs: { href: 'javascript:alert(1)', target: '_blank' } }, { type: 'bold' }] }] },
        { type: 'codeBlock', content: [{ type: 'text', text: 'dropped' }] },
        { type: 'orderedList', attrs: { start: 1, type: null }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
        { type: 'image', attrs: { src: '/media/a.jpg', alt: 'A', caption: '', credit: null, title: 'x' } },
        { type: 'paragraph' },
      ],
    };
    const doc = toBodyDoc(fromEditor);
    expect(doc).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'bold' }] }] },
        { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
        { type: 'image', attrs: { src: '/media/a.jpg', alt: 'A', caption: null, credit: null } },
      ],
    });
    expect(() => parseBodyDoc(doc)).not.toThrow();
  });

  it('embeds JSON that cannot close its script', () => {
    const text = jsonForScript({ s: '</script><!-- & \u2028' });
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual({ s: '</script><!-- & \u2028' });
  });
});
