import { describe, expect, it } from 'vitest';
import { BodyError, bodyImageSrcs, bodyText, markdownToDoc, parseBodyDoc, renderBody, type BodyDoc } from './body.js';
import type { ImageSources } from './content.model.js';

describe('markdownToDoc + renderBody', () => {
  it('renders headings, paragraphs, quotes, lists, links and figures', () => {
    const doc = markdownToDoc(
      [
        'First **bold** and *italic* text with [a link](https://example.org/report).',
        '## A subheading',
        '> "We will rebuild," said the mayor.',
        '- one\n- two',
        '1. first\n2. second',
        '![Fields at dawn](/media/demo/fields.svg "Farmers at work — Dispatch illustration")',
      ].join('\n\n'),
    );
    const html = renderBody(doc);
    expect(html).toContain('<p>First <strong>bold</strong> and <em>italic</em> text with <a href="https://example.org/report" rel="noopener">a link</a>.</p>');
    expect(html).toContain('<h2>A subheading</h2>');
    expect(html).toContain('<blockquote><p>&quot;We will rebuild,&quot; said the mayor.</p></blockquote>');
    expect(html).toContain('<ul><li><p>one</p></li><li><p>two</p></li></ul>');
    expect(html).toContain('<ol><li><p>first</p></li><li><p>second</p></li></ol>');
    expect(html).toContain('<figure class="body-figure"><img src="/media/demo/fields.svg" alt="Fields at dawn"');
    expect(html).toContain('<figcaption>Farmers at work <span class="credit">Dispatch illustration</span></figcaption>');
  });

  it('drops raw HTML and unsafe link schemes', () => {
    const doc = markdownToDoc('<script>alert(1)</script>\n\nClick [here](javascript:alert(1)) or <img src=x onerror=alert(1)>.\n\n![x](javascript:alert(2))');
    const html = renderBody(doc);
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
    expect(html).toContain('Click here or');
  });

  it('escapes text and attributes of a hand-made document', () => {
    const html = renderBody({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '<b>"hi"</b>', marks: [{ type: 'link', attrs: { href: 'https://x.test/?a="b"' } }] }] },
        { type: 'image', attrs: { src: '/a.svg', alt: '" onload="alert(1)' } },
      ],
    });
    expect(html).toContain('&lt;b&gt;&quot;hi&quot;&lt;/b&gt;');
    expect(html).toContain('alt="&quot; onload=&quot;alert(1)"');
    expect(html).toContain('href="https://x.test/?a=%22b%22"');
  });

  it('ignores unknown node types when rendering', () => {
    const html = renderBody({ type: 'doc', content: [{ type: 'iframe' } as never, { type: 'paragraph', content: [{ type: 'text', text: 'ok' }] }] });
    expect(html).toBe('<p>ok</p>');
  });
});

describe('renderBody with a base URL', () => {
  const doc = markdownToDoc(
    [
      'See [the section](/africa), [the report](https://example.org/r?a=1&b=2), [mail](mailto:desk@example.org) and [another site](//evil.test/x).',
      '## Under [a heading](/tag/water)',
      '> Quoted, with [a link](/author/amara-diallo "t").',
      '- In a list: ![skipped inline image](/media/x.png) [here](/world)',
      '![A dam](/media/test/kesra.svg "The dam — Dispatch")',
      '![Remote](https://images.example.org/p.jpg)',
    ].join('\n\n'),
  );
  const html = renderBody(doc, { baseUrl: 'https://news.example.com' });

  it('makes every link and image to a site path absolute, wherever it sits', () => {
    expect(html).toContain('<a href="https://news.example.com/africa">the section</a>');
    expect(html).toContain('<h2>Under <a href="https://news.example.com/tag/water">a heading</a></h2>');
    expect(html).toContain('<a href="https://news.example.com/author/amara-diallo">a link</a>');
    expect(html).toContain('<a href="https://news.example.com/world">here</a>');
    expect(html).toContain('<img src="https://news.example.com/media/test/kesra.svg" alt="A dam"');
    expect(html).not.toMatch(/(href|src)="\/(?!\/)/);
  });

  it('leaves other URLs, and everything else, as without it', () => {
    expect(html).toContain('<a href="https://example.org/r?a=1&amp;b=2" rel="noopener">the report</a>');
    expect(html).toContain('<a href="mailto:desk@example.org" rel="noopener">mail</a>');
    expect(html).toContain('<img src="https://images.example.org/p.jpg" alt="Remote"');
    expect(html).not.toContain('evil.test');
    expect(html.replaceAll('https://news.example.com/', '/')).toBe(renderBody(doc));
  });
});

describe('parseBodyDoc', () => {
  it('accepts a stored document', () => {
    const doc = markdownToDoc('Hello');
    expect(parseBodyDoc(JSON.stringify(doc))).toEqual(doc);
  });
  it.each([
    ['not json', '{', 'not valid JSON'],
    ['not a doc', { type: 'paragraph' }, 'must be a document'],
    ['unknown block', { type: 'doc', content: [{ type: 'video' }] }, 'unknown block type "video"'],
    ['bad image', { type: 'doc', content: [{ type: 'image', attrs: { src: 'javascript:1' } }] }, 'image needs a src'],
    ['bad list', { type: 'doc', content: [{ type: 'bulletList', content: [{ type: 'paragraph' }] }] }, 'listItem'],
  ])('refuses %s', (_name, input, message) => {
    expect(() => parseBodyDoc(input)).toThrow(BodyError);
    expect(() => parseBodyDoc(input)).toThrow(message);
  });
});

describe('links and marks', () => {
  const linked = (href: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href } }] }] }] });

  it('refuses at input a link that is not a site path or an http(s)/mailto URL, and marks that are not a list', () => {
    for (const href of ['/\\evil.example', '//evil.example', 'javascript:alert(1)']) expect(() => parseBodyDoc(linked(href)), href).toThrow(BodyError);
    expect(() => parseBodyDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: 5 }] }] })).toThrow(/marks must be an array/);
    expect(() => parseBodyDoc({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }] })).toThrow(/unknown mark/);
    expect(parseBodyDoc(linked('mailto:desk@example.org'))).toBeTruthy();
  });

  it('shows a stored bad link as its text, and a malformed stored body without failing', () => {
    expect(renderBody(linked('/\\evil.example') as BodyDoc)).toBe('<p>here</p>');
    const odd = { type: 'doc', content: [
      { type: 'paragraph', content: [{ type: 'text', text: 'a', marks: 5 }, null, { type: 'text', text: 'b', marks: [null, { type: 'bold' }] }] },
      { type: 'bulletList', content: { not: 'a list' } },
      { type: 'paragraph', content: 'text' },
      null,
    ] } as unknown as BodyDoc;
    expect(renderBody(odd)).toBe('<p>a<strong>b</strong></p><ul></ul>');
    expect(bodyText(odd)).toBe('ab');
  });

  it('makes a Markdown link to anywhere else plain text', () => {
    expect(renderBody(markdownToDoc('See [this](/\\evil.example) and [that](/africa).'))).toBe('<p>See this and <a href="/africa">that</a>.</p>');
  });
});

describe('bodyText', () => {
  it('gives the plain words of a body', () => {
    expect(bodyText(markdownToDoc('## Head\n\nOne *two* three.\n\n- four'))).toBe('Head One two three. four');
  });
});

describe('renderBody with library images', () => {
  const LIB = '/media/uploads/ab/ab0123456789abcdef012345-1280-0a1b2c3d.webp';
  const sources: ImageSources = {
    srcset: '/media/uploads/ab/ab0123456789abcdef012345-320-00000000.webp 320w, /media/uploads/ab/ab0123456789abcdef012345-1280-0a1b2c3d.webp 1280w',
    sizes: '(min-width: 46rem) 42rem, 100vw',
    width: 2400,
    height: 1600,
  };
  const doc: BodyDoc = {
    type: 'doc',
    content: [
      { type: 'image', attrs: { src: LIB, alt: 'Flooded fields', caption: 'After the rain' } },
      { type: 'image', attrs: { src: 'https://images.example/photo.jpg', alt: 'Elsewhere' } },
      { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'image', attrs: { src: ` ${LIB}`, alt: 'Again, in a list' } }] }] },
    ],
  };

  it('gives library images srcset, sizes, width and height, and leaves other images as they were', () => {
    const html = renderBody(doc, { images: new Map([[LIB, sources]]) });
    const imgs = html.match(/<img [^>]*>/g)!;
    expect(imgs).toHaveLength(3);
    expect(imgs[0]).toBe(
      `<img src="${LIB}" srcset="${sources.srcset}" sizes="(min-width: 46rem) 42rem, 100vw" width="2400" height="1600" alt="Flooded fields" loading="lazy" decoding="async">`,
    );
    expect(imgs[1]).toBe('<img src="https://images.example/photo.jpg" alt="Elsewhere" loading="lazy" decoding="async">');
    // Looked up by the src as shown: trimmed, like every src.
    expect(imgs[2]).toContain(`srcset="${sources.srcset}"`);
  });

  it('renders exactly as before without the map', () => {
    const html = renderBody(doc);
    expect(html).not.toMatch(/srcset|sizes=|width=|height=/);
    expect(html).toContain(`<img src="${LIB}" alt="Flooded fields" loading="lazy" decoding="async">`);
    expect(renderBody(doc, { images: new Map() })).toBe(html);
  });

  it('escapes what the map holds and drops dimensions that are not whole numbers', () => {
    const hostile = { srcset: '/a.webp 1w" onerror="alert(1)', sizes: '100vw"><script>', width: 'x' as unknown as number, height: 10 };
    const html = renderBody(doc, { images: new Map([[LIB, hostile]]) });
    expect(html).not.toMatch(/<script|" onerror=/);
    expect(html).toContain('srcset="/a.webp 1w&quot; onerror=&quot;alert(1)" sizes="100vw&quot;&gt;&lt;script&gt;" alt="Flooded fields"');
  });

  it('lists the srcs of every image of a body, nested ones included, as the renderer looks them up', () => {
    expect(bodyImageSrcs(doc)).toEqual([LIB, 'https://images.example/photo.jpg', LIB]);
    expect(bodyImageSrcs(markdownToDoc('> ![q](/media/demo/q.svg)\n\n![bad](javascript:alert(1))'))).toEqual(['/media/demo/q.svg']);
  });
});
