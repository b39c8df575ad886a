/**
 * Enhancements of the newsroom's stories screens (the pages work without them):
 * forms that destroy something ask first (`data-confirm`), and the media
 * library's upload form refuses a file too large before sending it.
 */

function confirmBeforeSubmit(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target;
    // Only this screen's forms: other screens may ask in their own way.
    if (!(form instanceof HTMLFormElement) || !form.closest('.nr-media')) return;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
}

/** Says at once that a chosen file is too large, instead of after uploading it. */
function checkUploadSize(form: HTMLFormElement): void {
  const max = Number(form.dataset.maxBytes);
  const input = form.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input || !Number.isFinite(max) || max <= 0) return;
  const check = () => {
    const file = input.files?.[0];
    const tooBig = !!file && file.size > max;
    input.setCustomValidity(tooBig ? `This file is ${(file!.size / 1048576).toFixed(1)} MB; an upload may be at most ${Math.round(max / 1048576)} MB.` : '');
    if (tooBig) input.reportValidity();
  };
  input.addEventListener('change', check);
}

function init(): void {
  confirmBeforeSubmit();
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-media-upload]')) checkUploadSize(form);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
