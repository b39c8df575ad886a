/**
 * /newsroom/breaking (editors): the breaking-news strip at the top of every
 * page, whether it is showing now, a form to set it (with an expiry in UTC,
 * or in so many hours) and a button to clear it.
 */
import { RelTime } from '../../web/components.js';
import type { BreakingSetting } from '../../content/taxonomy.service.js';
import { ButtonForm, TextField, TxForm, utcInputValue, utcText, type FormState, type FormValues } from './taxonomy-fields.js';
import { safeUrl } from '../../web/urls.js';

export function breakingFormValues(b: BreakingSetting | null): FormValues {
  return { text: b?.text ?? '', path: b?.path ?? '', expiresAt: utcInputValue(b?.expiresAt ?? null), expiresInHours: '' };
}

/** Whether the strip shows on the site at `now` (as the site's layout decides). */
export function isLive(b: BreakingSetting | null, now: Date): boolean {
  return !!b && !!b.text.trim() && (!b.expiresAt || Date.parse(b.expiresAt) > now.getTime());
}

function CurrentStrip({ current, now }: { current: BreakingSetting | null; now: Date }) {
  if (!current) return <p class="tx-status tx-status--off">No strip is set: the site shows no breaking news.</p>;
  const live = isLive(current, now);
  return (
    <>
      <p class={`tx-status ${live ? 'tx-status--live' : 'tx-status--expired'}`}>
        {live ? (
          <strong>Live now on every page.</strong>
        ) : (
          <>
            <strong>Expired</strong>: it is no longer shown. Set it again or clear it.
          </>
        )}
      </p>
      <dl class="tx-facts">
        <dt>Text</dt>
        <dd>{current.text}</dd>
        <dt>Links to</dt>
        <dd>{safeUrl(current.path) ? <a href={safeUrl(current.path)!}>{current.path}</a> : current.path ? current.path : <span class="tx-muted">Nowhere (plain text)</span>}</dd>
        <dt>{live || !current.expiresAt ? 'Expires' : 'Expired'}</dt>
        <dd>
          {current.expiresAt ? (
            <>
              {utcText(current.expiresAt)} (<RelTime iso={current.expiresAt} now={now} />)
            </>
          ) : (
            'Never: it stays until cleared.'
          )}
        </dd>
      </dl>
    </>
  );
}

export function BreakingScreen({ current, now, form }: { current: BreakingSetting | null; now: Date; form: FormState }) {
  return (
    <>
      <section class="nr-panel" aria-labelledby="tx-breaking-now">
        <h2 id="tx-breaking-now">Now</h2>
        <CurrentStrip current={current} now={now} />
        {current ? <ButtonForm action="/newsroom/breaking/clear" label="Clear the strip" danger confirm="Take the breaking-news strip off the site now?" /> : null}
      </section>
      <section class="nr-panel" aria-labelledby="tx-breaking-set">
        <h2 id="tx-breaking-set">{current ? 'Change the strip' : 'Set a strip'}</h2>
        <p class="tx-muted">It shows at the top of every page of the site as soon as you save it.</p>
        <TxForm action="/newsroom/breaking" submit="Show this strip">
          <TextField form="breaking" name="text" label="Text" state={form} required maxLength={300} hint="One line, up to 300 characters." />
          <TextField
            form="breaking"
            name="path"
            label="Link (optional)"
            state={form}
            maxLength={2000}
            placeholder="/world/123-story-slug"
            hint="A path on this site (starting with /) or an http(s) address. Leave it empty for plain text."
          />
          <fieldset class="tx-fieldset">
            <legend>Expiry (optional)</legend>
            <TextField
              form="breaking"
              name="expiresAt"
              type="datetime-local"
              label="Take it down at (UTC)"
              state={form}
              hint={`The time zone is UTC: it is ${utcText(now.toISOString())} now.`}
            />
            <TextField
              form="breaking"
              name="expiresInHours"
              type="number"
              label="Or: take it down in this many hours"
              state={form}
              hint="If given, this replaces the time above. Leave both empty to keep the strip until it is cleared."
            />
          </fieldset>
        </TxForm>
      </section>
    </>
  );
}
