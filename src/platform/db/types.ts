import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Times are stored as ISO-8601 UTC strings (`2026-11-29T21:52:00.000Z`) in both
 * databases, so ordering by the column is ordering by time and the same query
 * text serves SQLite and PostgreSQL.
 */
type Timestamp = string;

export interface SectionTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  parent_id: number | null;
  position: number;
  /** Key of the section's icon in the site's icon set (see web/icons.tsx). */
  icon: string;
  created_at: Timestamp;
}

export interface AuthorTable {
  id: Generated<number>;
  slug: string;
  name: string;
  bio: string;
  photo_url: string | null;
  created_at: Timestamp;
}

export interface TagTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  /** 1 when the tag names a running story shown as a banner ("special coverage"). */
  special_coverage: number;
  created_at: Timestamp;
}

export type ArticleStatus = 'draft' | 'review' | 'scheduled' | 'published' | 'unpublished';

export interface ArticleTable {
  id: Generated<number>;
  slug: string;
  headline: string;
  standfirst: string;
  /** The body as a JSON document (see content/body.ts), as the rich-text editor produces it. */
  body: string;
  section_id: number;
  /** Credit shown in the byline, e.g. "Staff, Agencies". */
  credit_line: string | null;
  hero_image_url: string | null;
  hero_image_alt: string | null;
  hero_caption: string | null;
  hero_credit: string | null;
  status: ArticleStatus;
  language: string;
  published_at: Timestamp | null;
  /** Set when the story is edited after publication; shown as "Updated …". */
  updated_at: Timestamp | null;
  created_at: Timestamp;
  modified_at: Timestamp;
  comment_count: ColumnType<number, number | undefined, number>;
  /** null: the site-wide default. */
  comments_mode: ColumnType<CommentsMode | null, CommentsMode | null | undefined, CommentsMode | null>;
}

export type CommentsMode = 'open' | 'closed' | 'premoderated';
export type Role = 'reader' | 'contributor' | 'editor' | 'admin';
export type UserStatus = 'pending' | 'active' | 'disabled';

export interface UserTable {
  id: Generated<number>;
  /** Lowercased, trimmed. */
  email: string;
  display_name: string;
  /** argon2id PHC string; null until the user sets a password. */
  password_hash: string | null;
  role: Role;
  /** pending: signed up, email not yet confirmed. */
  status: UserStatus;
  comment_banned_at: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionTable {
  /** SHA-256 of the cookie's random id: a database leak does not hand out sessions. */
  id_hash: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export type EmailTokenPurpose = 'signup' | 'reset';

export interface EmailTokenTable {
  token_hash: string;
  user_id: number;
  purpose: EmailTokenPurpose;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface FavoriteTable {
  user_id: number;
  article_id: number;
  created_at: Timestamp;
}

export type CommentStatus = 'pending' | 'approved' | 'rejected' | 'held';

export interface CommentTable {
  id: Generated<number>;
  article_id: number;
  user_id: number | null;
  parent_id: number | null;
  /** The text as the reader wrote it. */
  body: string;
  /** Safe HTML made from `body` by the allowlist sanitizer. */
  body_html: string;
  /** pending: waits for a moderator (pre-moderated story); held: caught by a rule, with held_reason. */
  status: CommentStatus;
  held_reason: string | null;
  featured: ColumnType<number, number | undefined, number>;
  report_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

export interface CommentReportTable {
  id: Generated<number>;
  comment_id: number;
  user_id: number | null;
  reason: string;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
}

export interface ArticleTagTable {
  article_id: number;
  tag_id: number;
  position: number;
}

export interface ArticleAuthorTable {
  article_id: number;
  author_id: number;
  position: number;
}

export interface SiteSettingTable {
  key: string;
  value: string;
}

export interface Database {
  sections: SectionTable;
  authors: AuthorTable;
  tags: TagTable;
  articles: ArticleTable;
  article_tags: ArticleTagTable;
  article_authors: ArticleAuthorTable;
  site_settings: SiteSettingTable;
  users: UserTable;
  sessions: SessionTable;
  email_tokens: EmailTokenTable;
  favorites: FavoriteTable;
  comments: CommentTable;
  comment_reports: CommentReportTable;
}

export type User = Selectable<UserTable>;
export type Comment = Selectable<CommentTable>;

export type Section = Selectable<SectionTable>;
export type NewSection = Insertable<SectionTable>;
export type Author = Selectable<AuthorTable>;
export type NewAuthor = Insertable<AuthorTable>;
export type Tag = Selectable<TagTable>;
export type NewTag = Insertable<TagTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type NewArticleRow = Insertable<ArticleTable>;
export type ArticleRowUpdate = Updateable<ArticleTable>;
