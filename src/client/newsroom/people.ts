/**
 * Enhancements of the newsroom's People screen (the page works without them):
 * disabling an account and revoking a token or an invitation ask first
 * (`data-confirm`), and a new API token, shown once, gets a Copy button.
 */

function confirmBeforeSubmit(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    // Only this screen's forms: other screens may ask in their own way.
    if (!(form instanceof HTMLFormElement) || !form.closest('.people')) return;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}

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
  if (!document.querySelector('.people')) return;
  confirmBeforeSubmit();
  for (const el of document.querySelectorAll<HTMLElement>('.people [data-copy-source]')) addCopyButton(el);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
