/**
 * The pieces of two-step sign-in (TOTP) on the account pages: the second
 * sign-in form, the setup step, the recovery codes shown once, and the
 * /account page's section. Components and form specs only; no I/O.
 */
import type { FormSpec } from './forms.js';

/** The second sign-in form (after a right password), for the HTML sign-in. */
export function totpSigninForm(pendingToken: string, next: string): FormSpec {
  return {
    action: '/signin/totp', submit: 'Verify',
    fields: [
      { name: 'code', label: 'Code from your authenticator app (or a recovery code)', autocomplete: 'one-time-code', maxLength: 20 },
      { name: 'pendingToken', label: '', type: 'hidden', value: pendingToken },
      { name: 'next', label: '', type: 'hidden', value: next },
    ],
  };
}

/** The base32 secret in groups of four, as authenticator apps show and accept it. */
export const groupedSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

/** The first step of the HTML enrolment: scan (or type) the secret, then confirm with a code. */
export function TotpSetupIntro({ secret, qrSrc }: { secret: string; qrSrc: string }) {
  return (
    <div class="totp-setup">
      <p>
        1. Open your authenticator app (any app for “TOTP” codes, such as a password manager) and scan this code:
      </p>
      <p>
        <img class="totp-setup__qr" src={qrSrc} width={200} height={200} alt="QR code with the key for your authenticator app (the same key is written below)" />
      </p>
      <p>
        Or type this key into the app by hand: <code class="totp-setup__secret" data-secret={secret}>{groupedSecret(secret)}</code>
      </p>
      <p>2. Enter the 6-digit code the app shows now, to check that it works. Two-step sign-in is on from then.</p>
    </div>
  );
}

export const totpConfirmForm: FormSpec = {
  action: '/account/totp/confirm', submit: 'Turn on two-step sign-in',
  fields: [{ name: 'code', label: 'Code from your authenticator app', autocomplete: 'one-time-code', maxLength: 6, minLength: 6 }],
};

/** Shown once, right after enrolment: only hashes of the codes are kept. */
export function RecoveryCodesIntro({ codes }: { codes: string[] }) {
  return (
    <div class="totp-recovery">
      <p>
        <strong>Save these recovery codes now</strong> (print them, or keep them in a password manager). Each works once instead of a code from your app,
        if you lose your phone. They are not shown again.
      </p>
      <ol class="totp-recovery__codes">
        {codes.map((c) => (
          <li>
            <code>{c}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * The /account page's section: set it up; or, once on, make new recovery codes
 * (a current code, as POST /api/v1/me/totp/recovery-codes) and turn it off
 * (password and a code, as DELETE /api/v1/me/totp). The heading goes on the first form.
 * `recoveryCodeCount` is how many new codes a replacement gives.
 */
export function totpAccountForms(
  status: { enabled: boolean; recoveryCodesLeft: number; required: boolean },
  recoveryCodeCount: number,
): Array<FormSpec & { heading?: string }> {
  if (!status.enabled) {
    return [{
      heading: `Two-step sign-in: off${status.required ? ' (your role must use it)' : ''}`,
      action: '/account/totp/setup', submit: 'Set up two-step sign-in', fields: [],
    }];
  }
  const left = status.recoveryCodesLeft;
  return [
    {
      heading: `Two-step sign-in: on (${left} recovery ${left === 1 ? 'code' : 'codes'} left)`,
      action: '/account/totp/recovery-codes', submit: 'Make new recovery codes',
      fields: [{
        name: 'code', label: 'Code from your app', autocomplete: 'one-time-code', minLength: 6, maxLength: 6,
        hint: `Gives you ${recoveryCodeCount} new recovery codes, shown once; your old ones stop working.`,
      }],
    },
    {
      action: '/account/totp/disable', submit: 'Turn off two-step sign-in', danger: true,
      fields: [
        { name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password', hint: 'Turning it off needs your password and a current code.' },
        { name: 'code', label: 'Code from your app (or a recovery code)', autocomplete: 'one-time-code', maxLength: 20 },
      ],
    },
  ];
}
