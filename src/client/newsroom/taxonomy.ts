/**
 * Enhancements of the newsroom's management screens (sections, tags, authors,
 * breaking news); the pages work without them. A form marked
 * `data-tx-confirm` (delete, clear) asks before it is sent.
 */
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.txConfirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
