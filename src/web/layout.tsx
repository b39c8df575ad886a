/**
 * The shared page shell: the whole <html> document around a page's content.
 * Everything here is the same for every reader (see DESIGN.md: cacheable HTML).
 */
import type { ComponentChildren } from 'preact';
import type { Chrome, NavSection, PageMeta, PagePreview } from './view-types.js';
import { Icon } from './icons.js';
import { absoluteUrl, feedPath, isSitePath } from './urls.js';

export const FAVICON =
  'data:image/svg+xml,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#b8001f"/>' +
      '<path d="M9 7h7a9 9 0 0 1 0 18H9z" fill="none" stroke="#fff" stroke-width="3.5"/></svg>',
  );

function pathOnly(p: string): string {
  return p.split(/[?#]/)[0] || '/';
}

/** JSON for a `<script>` (JSON-LD, a page's data): nothing in it can close the script. */
export function jsonForScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function pageTitle(meta: PageMeta, siteName: string): string {
  const title = meta.title.trim();
  if (!title || title === siteName) return siteName;
  return `${title} | ${siteName}`;
}

function isExpired(expiresAt: string | null, now: Date): boolean {
  if (!expiresAt) return false;
  const t = Date.parse(expiresAt);
  return !Number.isNaN(t) && t <= now.getTime();
}

function findActive(sections: NavSection[], slug: string | undefined): NavSection | undefined {
  if (!slug) return undefined;
  return sections.find((s) => s.slug === slug || s.children.some((c) => c.slug === slug));
}

function Chevron() {
  return (
    <svg class="chevron" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">
      <path d="m2.5 4.5 3.5 3.5 3.5-3.5" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" />
    </svg>
  );
}

function SectionNav({ sections, meta }: { sections: NavSection[]; meta: PageMeta }) {
  // Error and other noindex pages are not "at" their canonical path: highlight nothing.
  const here = meta.noindex ? null : pathOnly(meta.canonicalPath);
  const active = findActive(sections, meta.activeSection);
  // aria-current="page" when the link is this very page; "true" when the page is inside that section.
  const current = (slug: string, path: string): 'page' | 'true' | undefined =>
    path === here ? 'page' : slug === meta.activeSection || slug === active?.slug ? 'true' : undefined;
  return (
    <nav class="site-nav" aria-label="Sections">
      <div class="wrap">
        <ul class="site-nav__list">
          <li class="site-nav__item">
            <a class="site-nav__link" href="/" aria-current={here === '/' ? 'page' : undefined}>
              Home
            </a>
          </li>
          {sections.map((s) => (
            <li class={`site-nav__item${s.children.length ? ' has-children' : ''}`}>
              <a class="site-nav__link" href={s.path} aria-current={current(s.slug, s.path)}>
                {s.name}
              </a>
              {s.children.length ? (
                <details class="site-nav__more">
                  <summary>
                    <span class="visually-hidden">More in {s.name}</span>
                    <Chevron />
                  </summary>
                  <ul class="site-nav__menu">
                    {s.children.map((c) => (
                      <li>
                        <a href={c.path} aria-current={current(c.slug, c.path)}>
                          {c.name}
                        </a>
                      </li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </div>
      {active && active.children.length ? (
        <div class="site-subnav">
          <div class="wrap">
            <ul class="site-subnav__list" aria-label={`In ${active.name}`}>
              <li>
                <a href={active.path} aria-current={active.path === here ? 'page' : undefined}>
                  All {active.name}
                </a>
              </li>
              {active.children.map((c) => (
                <li>
                  <a href={c.path} aria-current={current(c.slug, c.path)}>
                    {c.name}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
    </nav>
  );
}

/** The organisation's pages (content/site-pages.ts serves them), and the corrections log, in the footer of every page. */
const FOOTER_PAGES: ReadonlyArray<[string, string]> = [
  ['/about', 'About us'],
  ['/contact', 'Contact'],
  ['/corrections-policy', 'Corrections policy'],
  ['/corrections', 'Corrections'],
  ['/privacy', 'Privacy'],
  ['/terms', 'Terms'],
];
/** Pages a reader is sent back to after signing in are never the account forms themselves. */
const NOT_A_NEXT = /^\/(?:signin|signup|signout|reset)(?:[/?]|$)/;

/**
 * The reader's corner of the header, the same for everyone (the page is
 * cached): a plain "Sign in" link. For a signed-in reader the page's script
 * puts the menu in its place (the name, then Account, Favorites and Sign out),
 * from /api/v1/me (src/client/account-menu.ts).
 */
function ReaderMenu({ here }: { here: string }) {
  const next = isSitePath(here) && !NOT_A_NEXT.test(here) ? here : '/';
  return (
    <div class="site-account" data-account="">
      <a class="site-account__signin" href={`/signin?next=${encodeURIComponent(next)}`} data-account-signin="">
        Sign in
      </a>
    </div>
  );
}

/** The site's feeds, then the page's own, in each format. */
function FeedLinks({ siteName, feed }: { siteName: string; feed: PageMeta['feed'] }) {
  const formats = [
    ['rss', 'application/rss+xml', 'RSS'],
    ['atom', 'application/atom+xml', 'Atom'],
    ['json', 'application/feed+json', 'JSON Feed'],
  ] as const;
  const own = feed && feed.path !== '/' ? feed : null;
  return (
    <>
      {formats.map(([format, type, label]) => (
        <link rel="alternate" type={type} title={`${siteName} (${label})`} href={feedPath('/', format)} />
      ))}
      {own
        ? formats.map(([format, type, label]) => (
            <link rel="alternate" type={type} title={`${own.title} | ${siteName} (${label})`} href={feedPath(own.path, format)} />
          ))
        : null}
    </>
  );
}

/** With `preview`, the page as staff see it before it is public: never indexed, with the preview banner and its stylesheets. */
export function Layout({ chrome, meta: pageMeta, preview, children }: { chrome: Chrome; meta: PageMeta; preview?: PagePreview; children: ComponentChildren }) {
  const { site, assets, sections, breaking, now } = chrome;
  const meta: PageMeta = preview ? { ...pageMeta, noindex: true } : pageMeta;
  const title = pageTitle(meta, site.name);
  const canonical = site.url + meta.canonicalPath;
  const showBreaking = breaking && breaking.text.trim() && !isExpired(breaking.expiresAt, now);
  const image = meta.image ? { ...meta.image, url: absoluteUrl(site.url, meta.image.url) } : null;
  const shareTitle = meta.title.trim() || site.name;
  const structured = meta.structuredData ? (Array.isArray(meta.structuredData) ? meta.structuredData : [meta.structuredData]) : [];
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {meta.description ? <meta name="description" content={meta.description} /> : null}
        {meta.noindex ? <meta name="robots" content="noindex" /> : <link rel="canonical" href={canonical} />}
        {meta.noindex
          ? null
          : meta.alternates?.map((a) => <link rel="alternate" hreflang={a.hreflang} href={absoluteUrl(site.url, a.path)} />)}
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" content="#ffffff" media="(prefers-color-scheme: light)" />
        <meta name="theme-color" content="#15171a" media="(prefers-color-scheme: dark)" />
        <meta property="og:site_name" content={site.name} />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        <meta property="og:title" content={shareTitle} />
        {meta.description ? <meta property="og:description" content={meta.description} /> : null}
        {meta.noindex ? null : <meta property="og:url" content={canonical} />}
        {image ? <meta property="og:image" content={image.url} /> : null}
        {image?.width ? <meta property="og:image:width" content={String(image.width)} /> : null}
        {image?.height ? <meta property="og:image:height" content={String(image.height)} /> : null}
        {image ? <meta property="og:image:alt" content={image.alt} /> : null}
        {meta.article ? (
          <>
            <meta property="article:published_time" content={meta.article.publishedTime} />
            <meta property="article:modified_time" content={meta.article.modifiedTime} />
            <meta property="article:section" content={meta.article.section} />
            {meta.article.tags.map((t) => (
              <meta property="article:tag" content={t} />
            ))}
            {meta.article.authorUrls.map((u) => (
              <meta property="article:author" content={u} />
            ))}
          </>
        ) : null}
        <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
        <meta name="twitter:title" content={shareTitle} />
        {meta.description ? <meta name="twitter:description" content={meta.description} /> : null}
        {image ? <meta name="twitter:image" content={image.url} /> : null}
        {image ? <meta name="twitter:image:alt" content={image.alt} /> : null}
        <FeedLinks siteName={site.name} feed={meta.feed} />
        <link rel="icon" href={FAVICON} />
        {assets.css.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {preview?.stylesheets.map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {assets.js.map((src) => (
          <script type="module" src={src}></script>
        ))}
        {structured.map((data) => (
          <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonForScript(data) }} />
        ))}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        {preview ? (
          <div class="preview-banner" role="region" aria-label="Preview">
            {preview.banner}
          </div>
        ) : null}
        <header class="site-header" role="banner">
          <div class="wrap site-header__bar">
            <a class="site-logo" href="/">
              {site.name}
            </a>
            {/* A plain GET form: works without JavaScript, and the results page is cacheable. */}
            <form class="site-search" action="/search" method="get" role="search" aria-label="Site search">
              <label class="visually-hidden" for="site-search-q">
                Search stories
              </label>
              <input id="site-search-q" class="site-search__input" type="search" name="q" placeholder="Search" maxLength={200} autocomplete="off" />
              <button class="site-search__button" type="submit">
                <Icon name="search" size={18} />
                <span class="visually-hidden">Search</span>
              </button>
            </form>
            {/* The same link for everyone; the page's script adds the reader's count. */}
            <a class="site-header__favorites" href="/favorites" data-favorites-link="">
              <Icon name="star" size={18} />
              <span>Favorites</span>
              <span class="site-header__favorites-count" data-favorites-count="" hidden></span>
            </a>
            <ReaderMenu here={meta.canonicalPath} />
          </div>
          <SectionNav sections={sections} meta={meta} />
        </header>
        {showBreaking ? (
          <div class="breaking" role="region" aria-label="Breaking news">
            <div class="wrap breaking__inner">
              <strong class="breaking__label">Breaking</strong>
              {breaking.path ? (
                <a class="breaking__text" href={breaking.path}>
                  {breaking.text}
                </a>
              ) : (
                <span class="breaking__text">{breaking.text}</span>
              )}
            </div>
          </div>
        ) : null}
        <main id="main" tabIndex={-1} class="site-main">
          <div class="wrap">{children}</div>
        </main>
        <footer class="site-footer" role="contentinfo">
          <div class="wrap">
            <div class="site-footer__top">
              <a class="site-logo site-logo--footer" href="/">
                {site.name}
              </a>
            </div>
            {sections.length ? (
              <nav aria-label="Footer">
                <ul class="site-footer__sections">
                  {sections.map((s) => (
                    <li>
                      <a class="site-footer__section" href={s.path}>
                        {s.name}
                      </a>
                      {s.children.length ? (
                        <ul>
                          {s.children.map((c) => (
                            <li>
                              <a href={c.path}>{c.name}</a>
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            <nav aria-label="About us" class="site-footer__about">
              <ul class="site-footer__pages">
                {FOOTER_PAGES.map(([path, name]) => (
                  <li>
                    <a href={path}>{name}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="site-footer__legal">
              <p>
                © {now.getUTCFullYear()} {site.name}
              </p>
              <p>Built with Dispatch</p>
            </div>
          </div>
        </footer>
      </body>
    </html>
  );
}
