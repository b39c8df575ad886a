/**
 * The data each reader's page view receives. Views do no I/O: routes fetch
 * everything first, then render once.
 */
import type {
  Article, ArticleSummary, AuthorProfile, Page, SectionNode, SectionRef, SpecialCoverage, TagProfile,
} from '../content.model.js';
import type { Discussion } from '../../comments/comment.model.js';
import type { LiveStream } from '../live.model.js';
import type { HubProps } from './hub.js';

export interface HomeProps {
  lead: ArticleSummary | null;
  /** Latest stories after the lead. */
  latest: ArticleSummary[];
  /** One block per top-level section, in section order, each with its newest stories (children included). */
  sectionBlocks: Array<{ section: SectionRef; articles: ArticleSummary[] }>;
  /** Running stories to show as banners (special-coverage tags with recent stories). */
  specialCoverage: SpecialCoverage[];
  /** The most read stories of the last 24 hours, most first (see src/analytics). */
  mostRead?: ArticleSummary[];
}

export interface SectionPageProps {
  section: SectionNode;
  articles: Page<ArticleSummary>;
}

export interface ArticlePageProps {
  article: Article;
  /** Home › World › Africa: site-relative paths and labels, home first. */
  breadcrumb: Array<{ name: string; path: string }>;
  related: ArticleSummary[];
  /** Special coverage this story belongs to, for the banner above it. */
  specialCoverage: SpecialCoverage | null;
  /** The first page of the discussion, rendered under the story (see src/comments). */
  comments?: Discussion;
  /** The most read stories of the last 24 hours, most first (see src/analytics). */
  mostRead?: ArticleSummary[];
  /** A live story's stream (one page of it), read beside the story (see content/live.service.ts). */
  live?: LiveStream | null;
}

export interface TagPageProps {
  tag: TagProfile;
  articles: Page<ArticleSummary>;
  /** A special-coverage tag's hub: the chosen lead and the live story under the tag (first page only). */
  hub?: HubProps | null;
}

export interface AuthorPageProps {
  author: AuthorProfile;
  articles: Page<ArticleSummary>;
}
