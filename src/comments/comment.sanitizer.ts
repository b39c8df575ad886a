/**
 * A reader's comment is plain text. It becomes HTML in two steps: build the
 * markup ourselves from escaped text (paragraphs, line breaks, links found by
 * linkify-it), then pass the result through sanitize-html with an allowlist
 * (p, br, a[href] with http/https/mailto). The second step is a safety net:
 * even if the first had a bug, nothing a reader writes can run script.
 */
import { createRequire } from 'node:module';
import type sanitizeHtml from 'sanitize-html';
import { LinkifyIt } from 'linkify-it';
import { escapeHtml } from '../web/escape.js';

// sanitize-html (with htmlparser2 and postcss, about 13 MB resident) is loaded
// when the first comment is posted, not at start: reading pages never needs it.
const require = createRequire(import.meta.url);
let sanitizer: typeof sanitizeHtml | undefined;

export const LINK_REL = 'nofollow ugc noopener';

const SCHEMES = ['http', 'https', 'mailto'];
const STRICT_URL = /^(?:https?:\/\/|mailto:)[^\s]/i;

// Absolute http(s) and mailto: links, bare domains like www.example.org (made
// http://) and e-mail addresses; no ftp: and no protocol-relative //host links.
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true }).add('ftp:', null).add('//', null);

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'a'],
  allowedAttributes: { a: ['href', 'rel'] },
  allowedSchemes: SCHEMES,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  enforceHtmlBoundary: false,
  parseStyleAttributes: false,
  transformTags: {
    // A link keeps only an absolute http(s)/mailto href and our rel; any other link becomes its bare text.
    a: (_tagName, attribs): sanitizeHtml.Tag => {
      const href = (attribs.href ?? '').trim();
      return STRICT_URL.test(href) ? { tagName: 'a', attribs: { href, rel: LINK_REL } } : { tagName: 'span', attribs: {} };
    },
  },
};

/** C0/C1 control characters (except tab and newline) and the bidi overrides that can disguise text. */
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** The text as we keep it: Unix newlines, no control characters, no leading or trailing blank space. */
export function normalizeCommentText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE_CHARS, '').replace(/[ \t]+$/gm, '').trim();
}


export interface FoundLink {
  text: string;
  url: string;
}

/** The links linkify-it finds in a text, as they would be made clickable. */
export function findLinks(text: string): FoundLink[] {
  return (linkify.match(text) ?? [])
    .filter((m) => isAllowedUrl(m.url))
    .map((m) => ({ text: m.text, url: m.url }));
}

function isAllowedUrl(url: string): boolean {
  const m = /^([a-z][a-z0-9+.-]*):/i.exec(url);
  return !!m && SCHEMES.includes(m[1]!.toLowerCase());
}

function linkifyEscaped(text: string): string {
  const matches = (linkify.match(text) ?? []).filter((m) => isAllowedUrl(m.url));
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += escapeHtml(text.slice(at, m.index));
    out += `<a href="${escapeHtml(m.url)}" rel="${LINK_REL}">${escapeHtml(m.text)}</a>`;
    at = m.lastIndex;
  }
  return out + escapeHtml(text.slice(at));
}

/** Safe HTML for a comment's text: paragraphs at blank lines, <br> at single newlines, links clickable. */
export function renderCommentHtml(text: string): string {
  const paragraphs = normalizeCommentText(text)
    .split(/\n[ \t]*\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const html = paragraphs.map((p) => `<p>${p.split('\n').map(linkifyEscaped).join('<br />')}</p>`).join('');
  return sanitizeCommentHtml(html);
}

/** The allowlist pass on its own (exported for tests and for HTML from elsewhere). */
export function sanitizeCommentHtml(html: string): string {
  sanitizer ??= require('sanitize-html') as typeof sanitizeHtml;
  return sanitizer(html, SANITIZE_OPTIONS);
}
