/**
 * The newsroom's HTML forms as a browser posts them: the form parser (platform/validation.ts) gives
 * every field as a string, and a repeated field (ticked checkboxes) as a
 * list. Each POST route validates and types its body with its own schema
 * here, as the admin API does its JSON (newsroom.schemas.ts); the editor's
 * form is in editor.routes.tsx.
 *
 * What the schemas leave to the pages, on purpose:
 * - A field left out reads as empty (`default: ''`, filled in by the
 *   validator), so the page answers with its own words ("Give the tag a
 *   name.") and the form again, rather than a bare 400.
 * - A free-text field allows more than the page does (the same cap as the
 *   old catch-all form schema), so "The name is 95 characters long; the most
 *   is 80" is the page's message too.
 * - Fields no form has are dropped (`additionalProperties: false`: a form's
 *   body is validated with removal, see platform/validation.ts), so a body has exactly the fields typed here.
 * What no page sends (a list for a one-value field, a value past the cap, a
 * body that is not a form) is refused with the site's 400 page.
 * Forms that post no fields at all (delete, clear, restore buttons) have no
 * body schema: they read nothing, and a POST without a body still reaches them.
 */
import { MULTILINE } from '../platform/validation.js';
import { Type, type Static } from 'typebox';
import { TEXT_LIMITS } from '../media/media.schemas.js';

/** What the management screens accepted in any field before they had schemas of their own. */
const SCREEN_TEXT = 20_000;
/** What the People forms and the invitation accepted in any field (the catch-all FormBody had it). */
const PLAIN_TEXT = 2000;
/** A hidden field or a control with values of the page's own (a checkbox's "on", a section id). */
const CONTROL = 40;

/** A one-value field; left out, it reads as ''. */
const Field = (maxLength: number) => Type.String({ maxLength, default: '' });
/** A textarea: line breaks allowed. */
const Lines = (maxLength: number) => Type.String({ maxLength, default: '', ...MULTILINE });
const closed = { additionalProperties: false } as const;

// --- sections, tags, authors, breaking news, settings --------------------------------------

/**
 * A section created or edited. `parent` is absent from the edit form of a
 * section with subsections (it stays where it is), so it is the one field
 * without a default.
 */
export const SectionForm = Type.Object(
  {
    name: Field(SCREEN_TEXT),
    slug: Field(SCREEN_TEXT),
    parent: Type.Optional(Type.String({ maxLength: SCREEN_TEXT })),
    icon: Field(SCREEN_TEXT),
    description: Lines(SCREEN_TEXT),
  },
  closed,
);
export type SectionForm = Static<typeof SectionForm>;

/** An ↑/↓ button: the whole new order as comma-separated ids, and the section that moved. */
export const SectionOrderForm = Type.Object({ ids: Field(SCREEN_TEXT), moved: Field(CONTROL) }, closed);

export const TagForm = Type.Object(
  { name: Field(SCREEN_TEXT), slug: Field(SCREEN_TEXT), description: Lines(SCREEN_TEXT), specialCoverage: Field(CONTROL) },
  closed,
);
export type TagForm = Static<typeof TagForm>;

/** A special-coverage hub's lead: a story's id, or 'none'. */
export const HubLeadForm = Type.Object({ lead: Field(CONTROL) }, closed);

export const AuthorForm = Type.Object({ name: Field(SCREEN_TEXT), slug: Field(SCREEN_TEXT), bio: Lines(SCREEN_TEXT) }, closed);

/** The strip: its text, an optional link, and an expiry as a time (UTC) or in so many hours. */
export const BreakingForm = Type.Object(
  { text: Field(SCREEN_TEXT), path: Field(SCREEN_TEXT), expiresAt: Field(SCREEN_TEXT), expiresInHours: Field(SCREEN_TEXT) },
  closed,
);

/** The roles that must use two-step sign-in: one ticked box arrives as a string, several as a list; none, as []. */
export const SecuritySettingsForm = Type.Object(
  {
    form: Field(CONTROL),
    requireTotpFor: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20, default: [] }),
  },
  closed,
);

/** How the discussion starts: a mode, an age in days, and banned words one a line. */
export const CommentSettingsForm = Type.Object(
  { defaultMode: Field(SCREEN_TEXT), closeAfterDays: Field(SCREEN_TEXT), bannedWords: Lines(SCREEN_TEXT) },
  closed,
);

// --- fronts ---------------------------------------------------------------------------

/**
 * A front's draft as every arranging form posts it (↑, ↓, Remove, Add, the
 * newest count, a drag): the whole order of story ids, comma-separated, the
 * newest count, and a story to add at the end.
 */
export const FrontDraftForm = Type.Object({ slots: Field(2000), latestCount: Field(CONTROL), add: Field(CONTROL) }, closed);

/** Publish the draft now, or at a time (UTC). */
export const FrontPublishForm = Type.Object({ when: Field(CONTROL), at: Field(CONTROL) }, closed);

// --- people ---------------------------------------------------------------------------

/** Where a People form goes back to (the list with its filter); every People form carries it. */
const back = { back: Field(PLAIN_TEXT) };

/** A one-button People form (disable, enable, revoke). */
export const PeopleButtonForm = Type.Object(back, closed);

export const RoleChangeForm = Type.Object({ ...back, role: Field(PLAIN_TEXT) }, closed);

export const InvitationForm = Type.Object({ ...back, email: Field(PLAIN_TEXT), role: Field(PLAIN_TEXT) }, closed);

export const TokenForm = Type.Object({ ...back, name: Field(PLAIN_TEXT), role: Field(PLAIN_TEXT) }, closed);

/** The invitee's answer on /invite: the link's token, and a new account's name and password (or the reader account's password). */
export const InviteAcceptForm = Type.Object({ token: Field(PLAIN_TEXT), displayName: Field(PLAIN_TEXT), password: Field(PLAIN_TEXT) }, closed);

// --- the media library -------------------------------------------------------------------

/** Where a library form came from, to go back to it (hidden fields, all strings). */
const LibraryReturn = {
  page: Type.Optional(Type.String({ pattern: '^[0-9]{0,5}$' })),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  missing: Type.Optional(Type.String({ maxLength: 10 })),
};

/** An image's texts. */
export const MediaTextForm = Type.Object({
  alt: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.alt, ...MULTILINE })),
  caption: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.caption, ...MULTILINE })),
  credit: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.credit })),
  ...LibraryReturn,
}, closed);

/** Deleting an image: only where to go back to. */
export const LibraryReturnForm = Type.Object(LibraryReturn, closed);
