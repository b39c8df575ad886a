/**
 * The admin API's output, field by field: nothing reaches a client because a
 * column exists (token hashes, password hashes and the like never do).
 */
import type { Static } from 'typebox';
import type { Author, Section, Tag } from '../platform/db/types.js';
import { paths } from '../content/content.model.js';
import type { RevisionView, StorySummaryView, StoryView } from '../content/story.service.js';
import type { CorrectionRow, RevisionRow } from '../content/story.service.js';
import type { InvitationRow } from '../accounts/invitation.service.js';
import type { Change } from 'diff';
import type { RevisionComparison } from '../content/revision.model.js';
import type {
  AuditListJson, AuthorAdminJson, CorrectionJson, RevisionComparisonJson, RevisionEnvelope, RevisionSummaryJson, SectionAdminJson, StoryJson, StorySummaryJson, TagAdminJson,
  TokenJson, UserAdminJson, InvitationJson,
} from './newsroom.schemas.js';

export function presentStory(v: StoryView, siteUrl: string): Static<typeof StoryJson> {
  const r = v.row;
  const s = v.snapshot;
  return {
    id: r.id,
    status: r.status,
    headline: s.headline,
    standfirst: s.standfirst,
    slug: s.slug,
    path: v.path,
    url: r.status === 'published' ? siteUrl + v.path : null,
    body: s.body,
    section: v.section,
    tags: v.tags,
    authors: v.authors,
    credit: s.credit,
    hero: s.hero,
    seoTitle: s.seoTitle,
    seoDescription: s.seoDescription,
    commentsMode: s.commentsMode,
    language: s.language,
    correction: v.corrections.length ? { note: v.corrections.at(-1)!.note, at: v.corrections.at(-1)!.created_at } : null,
    corrections: v.corrections.map(presentCorrection),
    createdBy: v.createdBy,
    modifiedBy: v.modifiedBy,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    scheduledAt: r.scheduled_at,
    revision: v.revision,
  };
}

export function presentCorrection(c: CorrectionRow): Static<typeof CorrectionJson> {
  return { id: c.id, kind: c.kind, note: c.note, publishedAt: c.created_at, createdBy: c.created_by, editedAt: c.edited_at, editedBy: c.edited_by };
}

export function presentStorySummary(v: StorySummaryView): Static<typeof StorySummaryJson> {
  const r = v.row;
  return {
    id: r.id,
    status: r.status,
    headline: r.headline,
    slug: r.slug,
    path: v.path,
    section: v.section,
    authors: v.authors,
    language: r.language,
    createdBy: v.createdBy,
    modifiedBy: v.modifiedBy,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    scheduledAt: r.scheduled_at,
  };
}

const authorOf = (r: RevisionRow) => (r.author_id !== null ? { id: r.author_id, name: r.author_name ?? '' } : null);

export function presentRevisionSummary({ row, headline }: { row: RevisionRow; headline: string }): Static<typeof RevisionSummaryJson> {
  return { id: row.id, createdAt: row.created_at, author: authorOf(row), tokenId: row.token_id, note: row.note, headline };
}

export function presentRevision(v: RevisionView): Static<typeof RevisionEnvelope>['revision'] {
  const s = v.snapshot;
  return {
    id: v.row.id,
    articleId: v.row.article_id,
    createdAt: v.row.created_at,
    author: authorOf(v.row),
    tokenId: v.row.token_id,
    note: v.row.note,
    snapshot: {
      headline: s.headline,
      standfirst: s.standfirst,
      body: s.body,
      section: v.section,
      tags: v.tags,
      authors: v.authors,
      credit: s.credit,
      hero: s.hero,
      slug: s.slug,
      seoTitle: s.seoTitle,
      seoDescription: s.seoDescription,
      commentsMode: s.commentsMode,
      language: s.language,
    },
  };
}

type TextChangeJson = Static<typeof RevisionComparisonJson>['changed'][number]['changes'][number];

/** A word diff without the library's bookkeeping: the text, and which side has it when only one does. */
function presentChanges(changes: Change[]): TextChangeJson[] {
  return changes.map((c) => (c.added ? { value: c.value, added: true } : c.removed ? { value: c.value, removed: true } : { value: c.value }));
}

/** `a` and `b` are the revisions compared, older first. */
export function presentRevisionComparison(a: RevisionView, b: RevisionView, comparison: RevisionComparison): Static<typeof RevisionComparisonJson> {
  const side = (v: RevisionView) => ({ id: v.row.id, createdAt: v.row.created_at, author: authorOf(v.row), tokenId: v.row.token_id, note: v.row.note });
  return {
    a: side(a),
    b: side(b),
    changed: comparison.changed.map((f) => ({ field: f.field, label: f.label, before: f.before, after: f.after, changes: presentChanges(f.changes) })),
    unchanged: comparison.unchanged,
    body: comparison.body.map((line) => {
      switch (line.kind) {
        case 'folded':
          return { kind: line.kind, count: line.count };
        case 'changed':
          return { kind: line.kind, changes: presentChanges(line.changes) };
        default:
          return { kind: line.kind, text: line.text };
      }
    }),
    bodyChanged: comparison.bodyChanged,
  };
}

export function presentSection(s: Section, all: Section[]): Static<typeof SectionAdminJson> {
  const parent = s.parent_id !== null ? all.find((p) => p.id === s.parent_id) : undefined;
  return {
    id: s.id, slug: s.slug, name: s.name, description: s.description, icon: s.icon, position: s.position,
    parent: parent ? { id: parent.id, slug: parent.slug } : null, path: paths.section(s.slug),
  };
}

export function presentTag(t: Tag): Static<typeof TagAdminJson> {
  return { id: t.id, slug: t.slug, name: t.name, description: t.description, specialCoverage: t.special_coverage === 1, path: paths.tag(t.slug) };
}

export function presentAuthor(a: Author): Static<typeof AuthorAdminJson> {
  return { id: a.id, slug: a.slug, name: a.name, bio: a.bio, photoUrl: a.photo_url, path: paths.author(a.slug) };
}

export function presentUser(u: { id: number; email: string; display_name: string; role: Static<typeof UserAdminJson>['role']; status: string; created_at: string }): Static<typeof UserAdminJson> {
  return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, status: u.status, createdAt: u.created_at };
}

export function presentToken(t: {
  id: number; name: string; role: Static<typeof TokenJson>['role']; created_by: number | null; created_by_name: string | null; created_at: string;
  last_used_at: string | null; revoked_at: string | null;
}): Static<typeof TokenJson> {
  return {
    id: t.id, name: t.name, role: t.role, createdBy: t.created_by !== null ? { id: t.created_by, name: t.created_by_name ?? '' } : null,
    createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at,
  };
}

export function presentAuditEntry(e: {
  id: number; at: string; actor_user_id: number | null; actor_name: string | null; actor_token_id: number | null; token_name: string | null;
  action: string; subject: string; details: string; ip: string | null;
}): Static<typeof AuditListJson>['entries'][number] {
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(e.details) as Record<string, unknown>;
  } catch {
    /* an unreadable entry still shows who did what */
  }
  return {
    id: e.id, at: e.at, actor: { userId: e.actor_user_id, name: e.actor_name, tokenId: e.actor_token_id, tokenName: e.token_name },
    action: e.action, subject: e.subject, details, ip: e.ip,
  };
}

/** Never the link: only its hash is kept, and it went to the invitee. */
export function presentInvitation(i: InvitationRow): Static<typeof InvitationJson> {
  return {
    id: i.id, email: i.email, role: i.role, invitedBy: i.invited_by !== null ? { id: i.invited_by, name: i.invited_by_name ?? '' } : null,
    createdAt: i.created_at, expiresAt: i.expires_at,
  };
}
