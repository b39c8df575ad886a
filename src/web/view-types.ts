/**
 * The data each page view receives. Views do no I/O: routes fetch everything
 * first, then render once.
 */
import type { ComponentChildren } from 'preact';

export interface SiteInfo {
  name: string;
  /** Absolute base URL without trailing slash, e.g. https://news.example.com */
  url: string;
}

/** Hashed client bundles from Vite's manifest (site-relative URLs). */
export interface Assets {
  css: string[];
  js: string[];
  /** The newsroom's own bundle (the editor and staff screens), linked only on /newsroom pages. */
  newsroom?: { css: string[]; js: string[] };
}

/** A section as the navigation shows it (the content domain's section tree has this shape). */
export interface NavSection {
  slug: string;
  name: string;
  path: string;
  /** Icon key (see icons.tsx). */
  icon: string;
  children: Array<{ slug: string; name: string; path: string }>;
}

/** The breaking-news strip at the top of every page. */
export interface BreakingStrip {
  text: string;
  path: string | null;
  /** ISO time after which the strip is no longer shown, or null for no expiry. */
  expiresAt: string | null;
}

/** Everything the shared layout needs besides the page's own content. */
export interface Chrome {
  site: SiteInfo;
  assets: Assets;
  /** Top-level sections with their children, in order, for the navigation. */
  sections: NavSection[];
  breaking: BreakingStrip | null;
  /** Render time; relative times are computed against it (the client script refreshes them). */
  now: Date;
}

export interface PageMeta {
  title: string;
  description?: string;
  /** Site-relative canonical path, e.g. /africa?page=2 */
  canonicalPath: string;
  /** Slug of the section to highlight in the navigation. */
  activeSection?: string;
  /** Adds <meta name="robots" content="noindex"> (error pages). */
  noindex?: boolean;
  /** Open Graph type for link previews; "website" unless given. */
  ogType?: 'website' | 'article';
  /** Share image for link previews (site-relative or absolute URL), with its size in pixels when known. */
  image?: { url: string; alt: string; width?: number; height?: number };
  /** schema.org data (e.g. NewsArticle), emitted as JSON-LD in the head: one script per object. */
  structuredData?: Record<string, unknown> | Array<Record<string, unknown>>;
  /** Open Graph article:* tags for a story. */
  article?: { publishedTime: string; modifiedTime: string; section: string; tags: string[]; authorUrls: string[] };
  /** The page's own feeds (besides the site's): `<link rel="alternate">` to path/feed.xml, atom.xml, feed.json. */
  feed?: { title: string; path: string };
  /** The same page in other languages (hreflang), itself included. */
  alternates?: Array<{ hreflang: string; path: string }>;
}

/**
 * A page shown to staff before it is public (the newsroom's preview): never
 * indexed (as with `PageMeta.noindex`), with a banner at the top saying so.
 */
export interface PagePreview {
  /** What the banner says (the layout puts it in a labelled region at the top of the page). */
  banner: ComponentChildren;
  /** Stylesheets to link after the site's (site-relative URLs): the newsroom's, which styles the banner. */
  stylesheets: string[];
}

export interface ErrorPageProps {
  status: number;
  title: string;
  message: string;
}
