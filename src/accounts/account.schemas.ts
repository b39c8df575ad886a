import { Type } from 'typebox';
import { MAX_PASSWORD_LENGTH } from './password.js';

export const Email = Type.String({ format: 'email', maxLength: 254, description: 'Email address' });
export const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
export const DisplayName = Type.String({ minLength: 1, maxLength: 60 });
export const Token = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
/** Where to go after signing in: a path on this site. */
export const Next = Type.Optional(Type.String({ maxLength: 500 }));

export const SignupBody = Type.Object({ email: Email, displayName: DisplayName, password: Password }, { additionalProperties: false });
export const SigninBody = Type.Object({ email: Email, password: Password, next: Next }, { additionalProperties: false });
export const TokenBody = Type.Object({ token: Token }, { additionalProperties: false });
export const ResetBody = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetConfirmBody = Type.Object({ token: Token, password: Password }, { additionalProperties: false });
export const ProfileBody = Type.Object({ displayName: DisplayName }, { additionalProperties: false });
export const PasswordChangeBody = Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false });
export const DeleteBody = Type.Object({ password: Password }, { additionalProperties: false });

export const UserJson = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  commentBanned: Type.Boolean(),
});
export const MeJson = Type.Object({
  user: Type.Union([UserJson, Type.Null()]),
  favorites: Type.Array(Type.Integer(), { description: 'Ids of the stories this reader favorited' }),
});
export const MessageJson = Type.Object({ message: Type.String() });
export const SignedInJson = Type.Object({ user: UserJson });

/** What signup and reset answer (202), whether or not the address has an account: it reveals nothing. */
export const CHECK_EMAIL = 'If that address can be used, we have sent a message to it. Follow the link in it to go on.';
