import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { IconSprite, iconsUsedIn } from './icons.js';

/**
 * Renders a page (a <Layout> tree) to a complete HTML document, with the
 * symbols of the icons it uses once, at the end of <body> (a <use> may refer
 * to a symbol further down; the skip link stays the first thing in the body).
 */
export function renderDocument<P>(vnode: VNode<P>): string {
  return '<!doctype html>' + withIconSprite(renderToString(vnode));
}

export function withIconSprite(html: string): string {
  const names = iconsUsedIn(html);
  if (!names.length) return html;
  const sprite = renderToString(<IconSprite names={names} />);
  const end = html.lastIndexOf('</body>');
  const at = end < 0 ? html.length : end;
  return html.slice(0, at) + sprite + html.slice(at);
}
