/**
 * Forms that destroy something ask first: a form marked
 * `data-confirm="Question?"` (views/controls.tsx's PostButton) is sent only
 * when the question is answered OK. Without JavaScript it is sent at once.
 * One listener for every newsroom screen, so no form asks twice.
 */
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
