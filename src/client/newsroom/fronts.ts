/**
 * Drag and drop on a front's arranged stories (views/fronts.tsx): dropping a
 * story on another puts it in that place, and the new order is posted with
 * the page's own order form, as the ↑/↓ buttons post it. Without
 * JavaScript (or with a keyboard) the buttons do the same.
 */
function enhance(list: HTMLOListElement): void {
  const form = document.querySelector<HTMLFormElement>('form[data-front-order]');
  const input = form?.querySelector<HTMLInputElement>('input[name="slots"]');
  if (!form || !input) return;
  let dragged: HTMLLIElement | null = null;
  const items = () => [...list.querySelectorAll<HTMLLIElement>('li[data-slot-id]')];

  list.addEventListener('dragstart', (event) => {
    const item = (event.target as Element).closest<HTMLLIElement>('li[data-slot-id]');
    if (!item || !event.dataTransfer) return;
    dragged = item;
    item.classList.add('is-dragging');
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', item.dataset.slotId ?? '');
  });

  list.addEventListener('dragover', (event) => {
    const over = (event.target as Element).closest<HTMLLIElement>('li[data-slot-id]');
    if (!dragged || !over) return;
    event.preventDefault(); // this is a place to drop
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    for (const li of items()) li.classList.toggle('is-drop-target', li === over && li !== dragged);
  });

  list.addEventListener('dragend', () => {
    for (const li of items()) li.classList.remove('is-dragging', 'is-drop-target');
    dragged = null;
  });

  list.addEventListener('drop', (event) => {
    const target = (event.target as Element).closest<HTMLLIElement>('li[data-slot-id]');
    if (!dragged || !target || target === dragged) return;
    event.preventDefault();
    const order = items();
    const from = order.indexOf(dragged);
    const to = order.indexOf(target);
    // The dragged story takes the target's place; the ones between move one step.
    if (from < to) target.after(dragged);
    else target.before(dragged);
    input.value = items().map((li) => li.dataset.slotId).join(',');
    list.setAttribute('aria-busy', 'true');
    form.submit();
  });
}

for (const list of document.querySelectorAll<HTMLOListElement>('ol[data-front-slots]')) enhance(list);
