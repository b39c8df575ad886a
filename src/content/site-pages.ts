/**
 * The pages an organisation needs: About, Contact, Corrections policy,
 * Privacy, Terms. Each has a fixed address and a sensible default text until
 * an admin writes its own in the newsroom; the body is a story's body
 * document (content/body.ts), written in the newsroom's story editor. The
 * default texts are kept here as Markdown, read into that document.
 */
import type { SitePageSlug } from '../platform/db/types.js';

export interface SitePageDefault {
  slug: SitePageSlug;
  /** The name in the footer and the newsroom's list. */
  name: string;
  title: string;
  summary: string;
  markdown: string;
}

export const SITE_PAGE_SLUGS: readonly SitePageSlug[] = ['about', 'contact', 'corrections-policy', 'privacy', 'terms'];

export function isSitePageSlug(slug: string): slug is SitePageSlug {
  return (SITE_PAGE_SLUGS as readonly string[]).includes(slug);
}

/** What each page says before an admin has written it: true of any site run on Dispatch, and plain about what it does not know. */
export const SITE_PAGE_DEFAULTS: Record<SitePageSlug, SitePageDefault> = {
  about: {
    slug: 'about', name: 'About us', title: 'About us',
    summary: 'Who we are and how we work.',
    markdown: 'We are an independent newsroom. We report what we can verify, say where it comes from, and correct what we get wrong.\n\n'
      + 'Our editors decide what we publish. Stories carry the names of the people who wrote them, or the agencies whose copy they use.',
  },
  contact: {
    slug: 'contact', name: 'Contact', title: 'Contact us',
    summary: 'How to reach the newsroom.',
    markdown: 'To tell us about a story, a mistake or a problem with the site, write to the newsroom. We read every message, though we cannot answer them all.\n\n'
      + 'To report a comment, use the "Report" link under it: the moderators see it at once.',
  },
  'corrections-policy': {
    slug: 'corrections-policy', name: 'Corrections policy', title: 'Corrections policy',
    summary: 'When we get something wrong, we say so.',
    markdown: 'When we publish something that is wrong, we correct it on the story and say what we changed, with the date. '
      + 'We never quietly change a fact.\n\n'
      + '- A **correction** fixes a factual error.\n- A **clarification** makes clearer something that could mislead.\n- An **update** adds what has happened since.\n\n'
      + 'Every one is kept: it stays on the story, in its feed, and on [our corrections page](/corrections). We may fix a typing mistake in a note, but we never delete one.',
  },
  privacy: {
    slug: 'privacy', name: 'Privacy', title: 'Privacy',
    summary: 'What we keep about you, and why.',
    markdown: 'You can read this site without an account, and we set no advertising or tracking cookies.\n\n'
      + 'If you create an account we keep your email address, your name, your favorites and your comments, to run the account. '
      + 'You can delete your account at any time from its page; your comments then stay without your name.',
  },
  terms: {
    slug: 'terms', name: 'Terms', title: 'Terms of use',
    summary: 'The rules for using this site.',
    markdown: 'Our stories are for your own reading. Quote them briefly with a link; ask us before republishing them.\n\n'
      + 'Comments must keep to the subject and to the law, and must not attack other readers. Moderators may hold or remove a comment, '
      + 'and close an account that keeps breaking these rules.',
  },
};
