/**
 * An enhancement of the newsroom's People screen (the page works without it):
 * a new API token, shown once, gets a Copy button. Disabling an account and
 * revoking a token or an invitation ask first through confirm.ts.
 */

function addCopyButton(source: HTMLElement): void {
  if (!navigator.clipboard) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'button button--small people-secret__copy';
  button.textContent = 'Copy';
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText((source.textContent ?? '').trim());
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy it by hand';
    }
  });
  source.after(' ', button);
}

function init(): void {
  for (const el of document.querySelectorAll<HTMLElement>('.people [data-copy-source]')) addCopyButton(el);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
