/**
 * An enhancement of the newsroom's media library (the page works without it):
 * the upload form refuses a file too large before sending it. Deleting an
 * image asks first through confirm.ts.
 */

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
  for (const form of document.querySelectorAll<HTMLFormElement>('form[data-media-upload]')) checkUploadSize(form);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
