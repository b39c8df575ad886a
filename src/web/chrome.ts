import { h, type VNode } from 'preact';
import type { AppDeps } from '../services.js';
import type { Chrome, ErrorPageProps } from './view-types.js';
import { ErrorPage } from './views/error.js';
import { renderDocument } from './render.js';

/** The layout's data: site, assets, navigation and the breaking strip. */
export async function buildChrome(deps: Pick<AppDeps, 'config' | 'content' | 'assets' | 'now'>): Promise<Chrome> {
  const [sections, breaking] = await Promise.all([deps.content.sectionTree(), deps.content.breaking()]);
  return {
    site: { name: deps.config.siteName, url: deps.config.siteUrl },
    assets: deps.assets,
    sections,
    breaking,
    now: deps.now(),
  };
}

/** An error page in the site's look; falls back to a bare chrome when the database is down. */
export async function renderErrorPage(deps: AppDeps, props: ErrorPageProps): Promise<string> {
  let chrome: Chrome;
  try {
    chrome = await buildChrome(deps);
  } catch {
    chrome = { site: { name: deps.config.siteName, url: deps.config.siteUrl }, assets: deps.assets, sections: [], breaking: null, now: deps.now() };
  }
  return renderDocument(h(ErrorPage, { ...props, chrome }) as VNode);
}
