import { describe, expect, it } from 'vitest';
import { findLinks, normalizeCommentText, renderCommentHtml, sanitizeCommentHtml } from './comment.sanitizer.js';

const REL = 'rel="nofollow ugc noopener"';

describe('renderCommentHtml', () => {
  it('makes paragraphs at blank lines and line breaks at single newlines', () => {
    expect(renderCommentHtml('First line\nsecond line\n\n\n\nNew paragraph')).toBe('<p>First line<br />second line</p><p>New paragraph</p>');
    expect(renderCommentHtml('Windows\r\nnewlines\r\n\r\ntoo')).toBe('<p>Windows<br />newlines</p><p>too</p>');
  });

  it('escapes everything a reader types', () => {
    expect(renderCommentHtml('<b>bold</b> & "quotes" \'too\'')).toBe('<p>&lt;b&gt;bold&lt;/b&gt; &amp; "quotes" \'too\'</p>');
    expect(renderCommentHtml('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(renderCommentHtml('a < b > c')).toBe('<p>a &lt; b &gt; c</p>');
  });

  it('links http(s) URLs, bare domains and e-mail addresses with rel nofollow ugc', () => {
    expect(renderCommentHtml('See https://example.org/a?b=1&c=2.')).toBe(`<p>See <a href="https://example.org/a?b=1&amp;c=2" ${REL}>https://example.org/a?b=1&amp;c=2</a>.</p>`);
    expect(renderCommentHtml('www.example.com')).toBe(`<p><a href="http://www.example.com" ${REL}>www.example.com</a></p>`);
    expect(renderCommentHtml('write to desk@example.org')).toBe(`<p>write to <a href="mailto:desk@example.org" ${REL}>desk@example.org</a></p>`);
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'ftp://files.example.org', '//evil.example.org/x']) {
      const html = renderCommentHtml(text);
      expect(html, text).not.toContain('<a');
    }
  });

  it('keeps a quote in a URL from breaking out of the attribute', () => {
    const html = renderCommentHtml('https://example.org/"onmouseover="alert(1)');
    // One element, two attributes: the quote stays inside href as &quot;.
    expect(html).toMatch(/^<p><a href="https:\/\/example\.org\/&quot;onmouseover=&quot;alert\(1\)" rel="nofollow ugc noopener">[^<]*<\/a><\/p>$/);
  });

  it('drops control characters and bidi overrides', () => {
    expect(normalizeCommentText('a\u0000b\u202Ec\u2066d\u0007')).toBe('abcd');
    expect(renderCommentHtml('  \n\n  ')).toBe('');
  });
});

describe('sanitizeCommentHtml (the allowlist pass)', () => {
  it('keeps only p, br and a[href] with http/https/mailto, and forces rel', () => {
    expect(sanitizeCommentHtml('<p onclick="x()">hi<img src=x onerror=alert(1)></p>')).toBe('<p>hi</p>');
    expect(sanitizeCommentHtml('<a href="javascript:alert(1)">x</a>')).toBe('x');
    expect(sanitizeCommentHtml('<a href="https://example.org" target="_blank" rel="opener">x</a>')).toBe(`<a href="https://example.org" ${REL}>x</a>`);
    expect(sanitizeCommentHtml('<a href="//evil.example">x</a>')).toBe('x');
    expect(sanitizeCommentHtml('<a href="java\tscript:alert(1)">x</a><a href=" JAVASCRIPT:alert(1)">y</a><a>z</a>')).toBe('xyz');
    expect(sanitizeCommentHtml('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a><a href="/relative">y</a>')).toBe('xy');
    expect(sanitizeCommentHtml('<script>alert(1)</script><style>p{}</style><iframe src="https://x"></iframe>ok')).toBe('ok');
    expect(sanitizeCommentHtml('<svg><script>alert(1)</script></svg>')).toBe('');
  });
});

describe('findLinks', () => {
  it('counts the links that would be made clickable', () => {
    expect(findLinks('https://a.org, www.b.com and c@d.org; not ftp://e.org').map((l) => l.url)).toEqual(['https://a.org', 'http://www.b.com', 'mailto:c@d.org']);
  });
});
