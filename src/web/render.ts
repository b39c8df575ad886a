import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/** Renders a page (a <Layout> tree) to a complete HTML document. */
export function renderDocument<P>(vnode: VNode<P>): string {
  return '<!doctype html>' + renderToString(vnode);
}
