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
  /** Shared by the versions of one story in different languages (hreflang); null: no translations. */
  translation_group: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a `scheduled` story goes live (the scheduler publishes it then). */
  scheduled_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  seo_title: ColumnType<string | null, string | null | undefined, string | null>;
  seo_description: ColumnType<string | null, string | null | undefined, string | null>;
  /** The staff member who created the story (its owner, for contributors' rights). */
  created_by: ColumnType<number | null, number | null | undefined, number | null>;
  modified_by: ColumnType<number | null, number | null | undefined, number | null>;
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

/** Plain text of a published story, as the full-text index reads it (see src/search). */
export interface SearchDocumentTable {
  article_id: number;
  /** Copied from the story, so searches filter and sort without reading the articles table. */
  published_at: Timestamp;
  section_id: number;
  headline: string;
  standfirst: string;
  body: string;
}

/** Every save of a story: its full editable state as JSON (see src/newsroom/story.model.ts). */
export interface ArticleRevisionTable {
  id: Generated<number>;
  article_id: number;
  author_id: number | null;
  token_id: number | null;
  created_at: Timestamp;
  snapshot: string;
  note: string | null;
}

/** Bearer tokens for the admin API; only the SHA-256 of the token is kept. */
export interface ApiTokenTable {
  id: Generated<number>;
  name: string;
  token_hash: string;
  role: Role;
  /** The user it acts for (null: made on the command line); it ends when that user is disabled. */
  created_by: number | null;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_token_id: number | null;
  /** e.g. `article.publish`, `user.update`. */
  action: string;
  /** e.g. `article:42`, `section:7`, `site:breaking`. */
  subject: string;
  /** JSON object. */
  details: string;
  ip: string | null;
}

export type SlugKind = 'section' | 'tag' | 'author';

/** Old slugs of renamed sections, tags and authors: their old addresses answer 301. */
export interface SlugRedirectTable {
  kind: SlugKind;
  old_slug: string;
  target_id: number;
  created_at: Timestamp;
}

/**
 * How many stories with status published and a publication time (embargoed ones too) a section
 * (its own, not its subsections'), a tag or an author has: kept by database triggers on every write
 * (migration 2026-12-07T1100-published-counts), never written by the app.
 */
export interface PublishedCountTable {
  kind: 'section' | 'tag' | 'author';
  ref_id: number;
  published: number;
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
  published_counts: PublishedCountTable;
  site_settings: SiteSettingTable;
  users: UserTable;
  sessions: SessionTable;
  email_tokens: EmailTokenTable;
  favorites: FavoriteTable;
  comments: CommentTable;
  comment_reports: CommentReportTable;
  search_documents: SearchDocumentTable;
  article_revisions: ArticleRevisionTable;
  api_tokens: ApiTokenTable;
  audit_log: AuditLogTable;
  slug_redirects: SlugRedirectTable;
  media: MediaTable;
  staff_totp: StaffTotpTable;
  totp_recovery_codes: TotpRecoveryCodeTable;
  totp_pending: TotpPendingTable;
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

/** One image in the media library; its files are re-encoded variants under <data>/media/uploads/. */
export interface MediaTable {
  id: Generated<number>;
  /** Content hash of the upload; every variant's file name starts with it. */
  file_base: string;
  /** Of the image as shown (after applying its EXIF orientation). */
  width: number;
  height: number;
  /** What the upload was, by its content: jpeg, png, webp or avif. */
  format: string;
  /** Size of the upload as sent. */
  bytes: number;
  alt: string;
  caption: string | null;
  credit: string | null;
  uploaded_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** JSON array of MediaVariant (see media/media.model.ts). */
  variants: string;
}

/** A staff member's TOTP secret; enabled once the first code was confirmed. */
export interface StaffTotpTable {
  user_id: number;
  secret: string;
  enabled_at: Timestamp | null;
  /** The last accepted time step, so a code is accepted once (bigint: a string or number by driver). */
  last_step: ColumnType<number | string | null, number | null | undefined, number | null>;
  created_at: Timestamp;
}

/** One-time recovery codes, stored as SHA-256; a used code is deleted. */
export interface TotpRecoveryCodeTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: Timestamp;
}

/** A password step that awaits its second factor (SHA-256 of the token; not a session). */
export interface TotpPendingTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** An emailed invitation to a staff role; only the SHA-256 of its one-time link is kept. */
export interface StaffInvitationTable {
  id: Generated<number>;
  /** Lowercased, trimmed. */
  email: string;
  role: Role;
  token_hash: string;
  /** The admin who sent it (null once that account is deleted). */
  invited_by: number | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  /** The account that accepted it. */
  accepted_user_id: number | null;
  revoked_at: Timestamp | null;
}

// Declaration merging: tables added after the list above was written.
export interface Database {
  staff_invitations: StaffInvitationTable;
  wire_story_sources: WireStorySourceTable;
}

export type WireProviderFormat = 'auto' | 'rss' | 'atom' | 'ninjs' | 'newsml-g2' | 'nitf';
export type WireTransport = 'http' | 'folder' | 'push';
export type WireQuarantineStatus = 'open' | 'retried' | 'discarded';

/** An agency feed: what it sends, how it arrives, and its polling state (see src/wires). */
export interface WireProviderTable {
  id: Generated<number>;
  name: string;
  display_name: string;
  credit: string;
  format: WireProviderFormat;
  transport: WireTransport;
  url: string | null;
  interval_seconds: number;
  push_secret: string | null;
  etag: string | null;
  last_modified: string | null;
  last_success_at: Timestamp | null;
  last_error_at: Timestamp | null;
  last_error_code: string | null;
  last_error_message: string | null;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  next_poll_at: Timestamp;
  enabled: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One agency item (one guid per provider), with the current version's fields the desk filters on. */
export interface WireItemTable {
  id: Generated<number>;
  provider_id: number;
  guid: string;
  current_seq: number;
  version: number;
  version_time: Timestamp | null;
  format: string;
  headline: string;
  language: string | null;
  urgency: number | null;
  subjects: string;
  embargo_at: Timestamp | null;
  pubstatus: string;
  signal: string | null;
  received_at: Timestamp;
  updated_at: Timestamp;
  /** The wire story (group) it belongs to; null until grouped (items stored before grouping existed). */
  group_id: number | null;
}

/** Every version of a wire item as it arrived: the normalized item as JSON. */
export interface WireItemVersionTable {
  id: Generated<number>;
  item_id: number;
  seq: number;
  version: number;
  version_time: Timestamp | null;
  item: string;
  raw: string | null;
  received_at: Timestamp;
}

/** A document or item that could not be read, kept with its raw payload for retry or discard. */
export interface WireQuarantineTable {
  id: Generated<number>;
  provider_id: number;
  guid: string | null;
  reason: string;
  raw: string;
  raw_hash: string;
  content_type: string | null;
  status: WireQuarantineStatus;
  received_at: Timestamp;
  resolved_at: Timestamp | null;
}

/** Push signatures seen within the timestamp window (replay protection shared by every process). */
export interface WirePushSignatureTable {
  signature_hash: string;
  provider_id: number;
  seen_at: Timestamp;
}

/** A wire story: items about one event across agencies and versions, grouped at ingest (src/wires/grouping). */
export interface WireGroupTable {
  id: Generated<number>;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  representative_item_id: number | null;
  headline: string;
  item_count: number;
  provider_count: number;
}

/** An item's grouping fingerprint: sorted shingle hashes and MinHash signature, little-endian uint32 bytes. */
export interface WireItemFingerprintTable {
  item_id: number;
  group_id: number;
  at: Timestamp;
  bucket: number;
  shingles: Uint8Array;
  signature: Uint8Array;
}

/** An item's LSH band keys, filed under its time bucket. */
export interface WireItemBandTable {
  band_key: string;
  bucket: number;
  item_id: number;
}

export interface Database {
  wire_groups: WireGroupTable;
  wire_item_fingerprints: WireItemFingerprintTable;
  wire_item_bands: WireItemBandTable;
  wire_providers: WireProviderTable;
  wire_items: WireItemTable;
  wire_item_versions: WireItemVersionTable;
  wire_quarantine: WireQuarantineTable;
  wire_push_signatures: WirePushSignatureTable;
}

/** Which wire items (and versions) a story was made from ("Use this"). */
export interface WireStorySourceTable {
  id: Generated<number>;
  article_id: number;
  item_id: number;
  seq: number;
  seen_seq: number;
  created_at: Timestamp;
}

export type CorrectionKind = 'correction' | 'clarification' | 'update';

/** One entry of a story's corrections log: kept forever, shown in order (see content/correction.store.ts). */
export interface ArticleCorrectionTable {
  id: Generated<number>;
  article_id: number;
  kind: CorrectionKind;
  note: string;
  /** When it was published: the date readers see; an edit of the wording never moves it. */
  created_at: Timestamp;
  created_by: number | null;
  edited_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
  edited_by: ColumnType<number | null, number | null | undefined, number | null>;
}

export type SitePageSlug = 'about' | 'contact' | 'corrections-policy' | 'privacy' | 'terms';

/** A page an organisation needs (About, Contact…): one row per fixed slug, once an admin has saved it. */
export interface SitePageTable {
  slug: SitePageSlug;
  title: string;
  summary: string;
  /** The body as a JSON document (see content/body.ts), like a story's, written in the same editor. */
  body: string;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface Database {
  article_corrections: ArticleCorrectionTable;
  site_pages: SitePageTable;
}

/** The day's random salt for reader hashes (most read); only today's is kept. */
export interface ReadSaltTable {
  day: string;
  salt: string;
  created_at: Timestamp;
}

/** A reader (salted hash of address and user agent) who read a story today; pruned when the day changes. */
export interface StoryReadSeenTable {
  day: string;
  article_id: number;
  reader_hash: string;
}

/** Readers counted per story per UTC hour (each reader once per story per day). */
export interface StoryReadsHourlyTable {
  article_id: number;
  hour: Timestamp;
  reads: number;
}

export interface Database {
  read_salts: ReadSaltTable;
  story_read_seen: StoryReadSeenTable;
  story_reads_hourly: StoryReadsHourlyTable;
}

export type FrontLayoutStatus = 'draft' | 'scheduled' | 'live' | 'retired';

/** A layout of the home page or a section front (see src/content/front.service.ts). */
export interface FrontLayoutTable {
  id: Generated<number>;
  /** "home", or "section:<id>". */
  front: string;
  status: FrontLayoutStatus;
  /** How many of the newest stories fill the front after the arranged ones. */
  latest_count: number;
  go_live_at: Timestamp | null;
  went_live_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** One arranged story of a layout; position 0 is the lead. */
export interface FrontSlotTable {
  layout_id: number;
  position: number;
  article_id: number;
}

export interface Database {
  front_layouts: FrontLayoutTable;
  front_slots: FrontSlotTable;
}

export type FrontLayoutRow = Selectable<FrontLayoutTable>;

/** A story's live coverage: running from started_at until ended_at. */
export interface LiveCoverageTable {
  article_id: number;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  started_by: number | null;
  /** Bumped by every change of the stream (a post added, edited, pinned, deleted; the end). */
  revision: ColumnType<number, number | undefined, number>;
}

export type LivePostKind = 'text' | 'image' | 'embed' | 'quote';

/** One short post of a live story. */
export interface LivePostTable {
  id: Generated<number>;
  article_id: number;
  author_id: number | null;
  kind: LivePostKind;
  /** The body as a JSON document (see content/body.ts), like a story's. */
  body: string;
  /** The Markdown it was written in. */
  markdown: ColumnType<string, string | undefined, string>;
  media_url: string | null;
  media_alt: string | null;
  attribution: string | null;
  card_title: string | null;
  card_description: string | null;
  card_site: string | null;
  pinned: ColumnType<number, number | undefined, number>;
  key_event: ColumnType<number, number | undefined, number>;
  key_event_title: string | null;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
}

/** A special-coverage tag's hub page: the story editors chose to lead it with. */
export interface SpecialCoverageHubTable {
  tag_id: number;
  lead_article_id: number | null;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface Database {
  live_coverages: LiveCoverageTable;
  live_posts: LivePostTable;
  special_coverage_hubs: SpecialCoverageHubTable;
}

/**
 * The article page's read model (see content/article-page.store.ts): one row per published
 * story, built when it is published or edited, read with one query per page.
 */
export interface ArticlePageTable {
  article_id: number;
  /** JSON: the Article as its page shows it (comment count read live from articles). */
  doc: string;
  /** JSON: the story's card (ArticleSummary) as other pages show it. */
  card: string;
  /** articles.modified_at the row was built from; a row behind its story is rebuilt. */
  source_modified_at: Timestamp;
  built_at: Timestamp;
}

/** A story's related stories, in the order its page shows them. */
export interface ArticlePageRelatedTable {
  article_id: number;
  position: number;
  related_id: number;
}

export interface Database {
  article_pages: ArticlePageTable;
  article_page_related: ArticlePageRelatedTable;
}
