/**
 * /newsroom/settings (admins): the site-wide settings staff change in the
 * browser: two-step sign-in for staff roles, the discussion's defaults, and
 * (read-only, it is configuration) how long an idle staff session lasts.
 */
import { CheckboxField, SelectField, TextArea, TextField, TxForm, type FormState, type FormValues } from './taxonomy-fields.js';

export const TOTP_ROLES = [
  { role: 'contributor', label: 'Contributors' },
  { role: 'editor', label: 'Editors' },
  { role: 'admin', label: 'Admins' },
] as const;

export interface CommentSettingsView {
  defaultMode: 'open' | 'closed' | 'premoderated';
  closeAfterDays: number;
  bannedWords: string[];
}

export function commentSettingsValues(s: CommentSettingsView): FormValues {
  return { defaultMode: s.defaultMode, closeAfterDays: String(s.closeAfterDays), bannedWords: s.bannedWords.join('\n') };
}

export interface SettingsScreenProps {
  /** The roles ticked in the security form (as saved, or as just submitted). */
  requireTotpFor: string[];
  /** Whether the admin looking has set up two-step sign-in. */
  selfEnrolled: boolean;
  comments: FormState;
  staffIdleMinutes: number;
  /** Which form the page's error is about. */
  invalidForm?: 'security' | 'comments' | null;
}

function minutesText(m: number): string {
  if (m % 60 === 0) return `${m / 60} ${m === 60 ? 'hour' : 'hours'}`;
  return `${m} minutes`;
}

export function SettingsScreen({ requireTotpFor, selfEnrolled, comments, staffIdleMinutes, invalidForm }: SettingsScreenProps) {
  const security: FormState = { values: {}, invalid: invalidForm === 'security' ? 'requireTotpFor' : null };
  return (
    <>
      <section class="nr-panel" aria-labelledby="tx-security">
        <h2 id="tx-security">Staff sign-in</h2>
        <TxForm action="/newsroom/settings/security" submit="Save sign-in settings">
          {/* So the form always posts something, even with every box unticked. */}
          <input type="hidden" name="form" value="security" />
          <fieldset class="tx-fieldset">
            <legend>Require two-step sign-in (an authenticator app) for</legend>
            {TOTP_ROLES.map(({ role, label }) => (
              <CheckboxField form="security" name="requireTotpFor" value={role} label={label} state={security} checked={requireTotpFor.includes(role)} />
            ))}
            <p class="field__hint">
              Staff in a ticked role who have not set up an authenticator app can still sign in, but the newsroom and the admin API refuse them
              until they do.
              {selfEnrolled ? null : ' You have not set one up yourself, so you cannot require it for admins yet.'}
            </p>
          </fieldset>
        </TxForm>
        <dl class="tx-facts">
          <dt>Idle staff sessions end after</dt>
          <dd>
            {minutesText(staffIdleMinutes)} without use. This is configuration, not a setting: change <code>STAFF_IDLE_MINUTES</code> in the
            server's environment and restart.
          </dd>
        </dl>
      </section>
      <section class="nr-panel" aria-labelledby="tx-comments">
        <h2 id="tx-comments">Comments</h2>
        <TxForm action="/newsroom/settings/comments" submit="Save comment settings">
          <SelectField
            form="comments"
            name="defaultMode"
            label="Comments on stories without their own setting"
            state={comments}
            options={[
              { value: 'open', label: 'Open: approved comments show at once' },
              { value: 'premoderated', label: 'Pre-moderated: every comment waits for a moderator' },
              { value: 'closed', label: 'Closed: no new comments' },
            ]}
            hint="A story's own setting, where it has one, wins."
          />
          <TextField
            form="comments"
            name="closeAfterDays"
            type="number"
            label="Close comments on stories older than (days)"
            state={comments}
            required
            hint="0 keeps them open. Applies to stories that follow the default."
          />
          <TextArea
            form="comments"
            name="bannedWords"
            label="Banned words and phrases, one a line"
            state={comments}
            rows={6}
            hint="A comment containing one is held for a moderator, who sees which word caught it."
          />
        </TxForm>
      </section>
    </>
  );
}
