/**
 * The account's HTML forms as a browser posts them (the form parser in platform/validation.ts: every
 * field a string), one schema per form, as the JSON API has its own
 * (account.schemas.ts). They type the body and drop fields no form has
 * (`additionalProperties: false`: a form's body is validated with removal,
 * see platform/validation.ts).
 *
 * They are loose on purpose: a field left out reads as empty (`default: ''`)
 * and any field may be as long as before they had schemas, so the page
 * answers with its own words and the form again ("Enter a valid email
 * address.", "That password is not right.") rather than a bare 400, and the
 * service checks the values as it does for the API. A list for a one-value
 * field, or a value past the cap, is refused with the site's 400 page.
 * Forms that post no fields (sign out, set up two-step sign-in) have no body
 * schema: they read nothing, and a POST without a body still reaches them.
 */
import { Type } from 'typebox';

/** What any field of these forms accepted before they had schemas (the catch-all FormBody had it). */
const FIELD_MAX = 2000;

/** A one-value field; left out, it reads as ''. */
const Field = () => Type.String({ maxLength: FIELD_MAX, default: '' });
const closed = { additionalProperties: false } as const;

/** /signin: the address, the password, and where to go afterwards. */
export const SigninForm = Type.Object({ email: Field(), password: Field(), next: Field() }, closed);

/** /signin/totp, the second step: the code, the token of the password step, and where to go afterwards. */
export const TotpSigninForm = Type.Object({ code: Field(), pendingToken: Field(), next: Field() }, closed);

export const SignupForm = Type.Object({ email: Field(), displayName: Field(), password: Field() }, closed);

/** /signup/confirm: the emailed link's token (a hidden field). */
export const ConfirmSignupForm = Type.Object({ token: Field() }, closed);

export const ResetForm = Type.Object({ email: Field() }, closed);

/** /reset/confirm: the emailed link's token and the new password. */
export const NewPasswordForm = Type.Object({ token: Field(), password: Field() }, closed);

export const ProfileForm = Type.Object({ displayName: Field() }, closed);

export const PasswordChangeForm = Type.Object({ currentPassword: Field(), newPassword: Field() }, closed);

/** Deleting the account, confirmed with its password. */
export const DeleteAccountForm = Type.Object({ password: Field() }, closed);

/** Turning two-step sign-in on, or new recovery codes: a code from the app. */
export const TotpCodeForm = Type.Object({ code: Field() }, closed);

/** Turning two-step sign-in off: the password and a code (or a recovery code). */
export const TotpDisableForm = Type.Object({ password: Field(), code: Field() }, closed);
