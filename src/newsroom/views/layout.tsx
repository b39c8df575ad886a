/**
 * The newsroom's page shell: a staff-only document (never cached, never
 * indexed) with the newsroom's navigation down the side. It links the site's
 * stylesheet (buttons, fields, typography) and the newsroom's own bundle.
 */
import type { ComponentChildren } from 'preact';
import type { Role } from '../../platform/db/types.js';
import type { Chrome } from '../../web/view-types.js';
import { FAVICON } from '../../web/layout.js';
import { can, type Actor } from '../../accounts/staff.policy.js';
import { canModerate } from '../../comments/comment.policy.js';

export interface NewsroomUser {
  id: number;
  displayName: string;
  role: Role;
}

/** The screens of the newsroom, in the order of the navigation. */
export type NewsroomScreen =
  | 'stories' | 'new-story' | 'wires' | 'media' | 'comments' | 'sections' | 'tags' | 'authors' | 'breaking' | 'fronts' | 'people' | 'audit' | 'settings' | 'site-pages';

/** Whether the actor may open a screen: the same policy answers the page's route gives. */
const may = (action: Parameters<typeof can>[1]) => (actor: Actor) => can(actor, action) === true;

const NAV: Array<{ screen: NewsroomScreen; href: string; label: string; may: (actor: Actor) => boolean }> = [
  { screen: 'stories', href: '/newsroom', label: 'Stories', may: may('article.list') },
  { screen: 'new-story', href: '/newsroom/stories/new', label: 'New story', may: may('article.create') },
  { screen: 'wires', href: '/newsroom/wires', label: 'Wire desk', may: may('wire.read') },
  { screen: 'media', href: '/newsroom/media', label: 'Media library', may: may('article.create') },
  { screen: 'comments', href: '/newsroom/comments', label: 'Comments', may: (actor) => canModerate({ id: actor.userId, role: actor.role }) === true },
  { screen: 'sections', href: '/newsroom/sections', label: 'Sections', may: may('section.manage') },
  { screen: 'tags', href: '/newsroom/tags', label: 'Tags', may: may('tag.manage') },
  { screen: 'authors', href: '/newsroom/authors', label: 'Authors', may: may('author.manage') },
  { screen: 'fronts', href: '/newsroom/fronts', label: 'Fronts', may: may('front.manage') },
  { screen: 'breaking', href: '/newsroom/breaking', label: 'Breaking news', may: may('breaking.manage') },
  { screen: 'site-pages', href: '/newsroom/pages', label: 'Site pages', may: may('page.manage') },
  { screen: 'people', href: '/newsroom/people', label: 'People', may: may('user.manage') },
  { screen: 'audit', href: '/newsroom/audit', label: 'Audit log', may: may('audit.read') },
  { screen: 'settings', href: '/newsroom/settings', label: 'Settings', may: may('user.manage') },
];

export interface NewsroomLayoutProps {
  chrome: Chrome;
  user: NewsroomUser;
  /** The page's title (the document title adds "Newsroom | Site"). */
  title: string;
  /** Which navigation entry to mark as current. */
  screen?: NewsroomScreen;
  /** A confirmation after an action (role=status). */
  notice?: string | null;
  /** What went wrong with the last action (role=alert). */
  error?: string | null;
  /** Wider main column (the editor). */
  wide?: boolean;
  children: ComponentChildren;
}

export function NewsroomLayout({ chrome, user, title, screen, notice, error, wide, children }: NewsroomLayoutProps) {
  const { site, assets } = chrome;
  const bundle = assets.newsroom ?? { css: [], js: [] };
  const actor = { role: user.role, userId: user.id };
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${title} | Newsroom | ${site.name}`}</title>
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href={FAVICON} />
        {[...assets.css, ...bundle.css].map((href) => (
          <link rel="stylesheet" href={href} />
        ))}
        {bundle.js.map((src) => (
          <script type="module" src={src}></script>
        ))}
      </head>
      <body class="newsroom">
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="nr-header" role="banner">
          <a class="nr-header__brand" href="/newsroom">
            {site.name} <span>Newsroom</span>
          </a>
          <div class="nr-header__user">
            <a href="/" class="nr-header__site">
              View site
            </a>
            <a href="/account" class="nr-header__account">
              {user.displayName} <span class="nr-role">{user.role}</span>
            </a>
            <form method="post" action="/signout" class="nr-header__signout">
              <button type="submit" class="button button--small">
                Sign out
              </button>
            </form>
          </div>
        </header>
        <div class="nr-shell">
          <nav class="nr-nav" aria-label="Newsroom">
            <ul>
              {NAV.filter((n) => n.may(actor)).map((n) => (
                <li>
                  <a href={n.href} aria-current={n.screen === screen ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main" tabIndex={-1} class={`nr-main${wide ? ' nr-main--wide' : ''}`}>
            <h1 class="nr-title">{title}</h1>
            {error ? (
              <p class="nr-alert nr-alert--error" role="alert">
                {error}
              </p>
            ) : null}
            {notice ? (
              <p class="nr-alert nr-alert--notice" role="status">
                {notice}
              </p>
            ) : null}
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
