import { h, type VNode } from 'preact';
import type { Assets, BreakingStrip, Chrome, ErrorPageProps, NavSection } from './view-types.js';
import { ErrorPage } from './views/error.js';
import { renderDocument } from './render.js';

/** Where the layout's data comes from (the app's services: the content service supplies sections and the strip). */
export interface ChromeSources {
  config: { siteName: string; siteUrl: string };
  content: { sectionTree(): Promise<NavSection[]>; breaking(): Promise<BreakingStrip | null> };
  assets: Assets;
  now: () => Date;
}

/** The layout's data: site, assets, navigation and the breaking strip. */
export async function buildChrome(deps: ChromeSources): Promise<Chrome> {
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
export async function renderErrorPage(deps: ChromeSources, props: ErrorPageProps): Promise<string> {
  let chrome: Chrome;
  try {
    chrome = await buildChrome(deps);
  } catch {
    chrome = { site: { name: deps.config.siteName, url: deps.config.siteUrl }, assets: deps.assets, sections: [], breaking: null, now: deps.now() };
  }
  return renderDocument(h(ErrorPage, { ...props, chrome }) as VNode);
}
