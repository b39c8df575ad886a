import { describe, expect, it } from 'vitest';
import { parseBodyDoc, renderBody } from '../content/body.js';
import { htmlToBody, htmlToText, linkHref, textToBody, xmlToBody } from './html-body.js';
import { parseXml } from './xml.js';

describe('agency HTML to our body document', () => {
  it('keeps paragraphs, headings, lists, blockquotes, bold, italic and links', () => {
    const doc = htmlToBody(
      '<h1>Top</h1><h3>Sub</h3><h6>Small</h6><p>The <b>mayor</b> and <em>council</em> <a href="https://example.org/x">met</a>.</p>' +
        '<blockquote><p>Quote</p></blockquote><ul><li>one</li><li><p>two</p></li></ul><ol start="3"><li>three</li></ol><hr><p>a<br>b</p>',
    );
    expect(doc.content).toEqual([
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Top' }] },
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Sub' }] },
      { type: 'heading', attrs: { level: 4 }, content: [{ type: 'text', text: 'Small' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The ' },
          { type: 'text', text: 'mayor', marks: [{ type: 'bold' }] },
          { type: 'text', text: ' and ' },
          { type: 'text', text: 'council', marks: [{ type: 'italic' }] },
          { type: 'text', text: ' ' },
          { type: 'text', text: 'met', marks: [{ type: 'link', attrs: { href: 'https://example.org/x' } }] },
          { type: 'text', text: '.' },
        ],
      },
      { type: 'blockquote', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Quote' }] }] },
      {
        type: 'bulletList',
        content: [
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] },
          { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'two' }] }] },
        ],
      },
      { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'three' }] }] }] },
      { type: 'horizontalRule' },
      { type: 'paragraph', content: [{ type: 'text', text: 'a' }, { type: 'hardBreak' }, { type: 'text', text: 'b' }] },
    ]);
    expect(() => parseBodyDoc(doc)).not.toThrow();
  });

  it('drops scripts, styles, iframes, objects, forms and images with their content, and every attribute but href', () => {
    const hostile =
      '<p onclick="steal()" style="color:red">Safe <span onmouseover="x()">text</span></p>' +
      '<script>document.cookie</script><style>p{}</style><iframe src="https://evil.example/"></iframe>' +
      '<object data="x.swf">fallback</object><form action="/x"><input value="secret"></form>' +
      '<img src="https://evil.example/i.jpg" onerror="alert(1)"><svg><script>alert(2)</script></svg><noscript>ns</noscript>';
    const doc = htmlToBody(hostile);
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'Safe text' }] }]);
    const html = renderBody(doc);
    for (const bad of ['<script', 'onclick', 'onerror', 'onmouseover', 'style', 'iframe', 'cookie', 'secret', 'alert', '<img']) {
      expect(html).not.toContain(bad);
    }
  });

  it('keeps only http(s) links: javascript:, data: and mailto: lose the link but keep the text', () => {
    const doc = htmlToBody(
      '<p><a href="javascript:alert(1)">a</a> <a href="data:text/html,x">b</a> <a href="mailto:x@y.z">c</a> <a href=" JAVASCRIPT:alert(1)">d</a></p>',
    );
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'a b c d' }] }]);
  });

  it('resolves a relative link against the item’s own address (it is the agency’s page, not ours), and drops it without one', () => {
    expect(linkHref('/harbour/notices', 'https://wire.example/stories/a')).toBe('https://wire.example/harbour/notices');
    expect(linkHref('/harbour/notices', null)).toBeNull();
    expect(linkHref('//evil.example/x', null)).toBeNull();
    const doc = htmlToBody('<p><a href="/x">site</a></p>');
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'site' }] }]);
  });

  it('wraps loose text and inline elements in paragraphs and leaves no empty ones', () => {
    const doc = htmlToBody('Loose <b>bold</b> text<p>  </p><div>In a div<p>para</p></div>');
    expect(doc.content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'Loose ' }, { type: 'text', text: 'bold', marks: [{ type: 'bold' }] }, { type: 'text', text: ' text' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'In a div' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'para' }] },
    ]);
  });

  it('reads markup nested past 64 levels as plain text, without recursing into it', () => {
    const deep = `<p>${'<span>'.repeat(50_000)}deep text${'</span>'.repeat(50_000)}</p>`;
    const doc = htmlToBody(deep);
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'deep text' }] }]);
    const hidden = htmlToBody(`<p>${'<span>'.repeat(100)}deep<script>evil()</script> text${'</span>'.repeat(100)}</p>`);
    expect(hidden.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'deep text' }] }]);
  });

  it('decodes HTML entities once (no double decoding into markup)', () => {
    const doc = htmlToBody('<p>Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt; &eacute;</p>');
    expect(doc.content).toEqual([{ type: 'paragraph', content: [{ type: 'text', text: 'Fish & chips <script>alert(1)</script> é' }] }]);
    expect(renderBody(doc)).toBe('<p>Fish &amp; chips &lt;script&gt;alert(1)&lt;/script&gt; é</p>');
  });

  it('reads XHTML and NITF elements parsed by the XML reader (NITF hl2 is a subheading, block a container, media dropped)', () => {
    const root = parseXml(
      '<body.content><p>One <em>two</em></p><hl2>Sub</hl2><block><p>In block</p><media><media-caption>cap</media-caption></media></block></body.content>',
    );
    expect(xmlToBody(root.children).content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'One ' }, { type: 'text', text: 'two', marks: [{ type: 'italic' }] }] },
      { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Sub' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'In block' }] },
    ]);
  });

  it('turns plain text into paragraphs at blank lines, or at line ends when there are none', () => {
    expect(textToBody('One\nstill one\n\nTwo').content).toEqual([
      { type: 'paragraph', content: [{ type: 'text', text: 'One still one' }] },
      { type: 'paragraph', content: [{ type: 'text', text: 'Two' }] },
    ]);
    expect(textToBody('Line one\r\nLine two\n').content).toHaveLength(2);
    expect(textToBody('   ').content).toEqual([]);
  });

  it('gives the visible text of escaped HTML titles', () => {
    expect(htmlToText('Valdoro finds <em>new</em> comet<script>x</script>')).toBe('Valdoro finds new comet');
    expect(htmlToText('Fish &amp; chips')).toBe('Fish & chips');
    expect(htmlToText('  ')).toBeNull();
  });
});
