/**
 * The header's reader menu. The cached page carries a "Sign in" link and a
 * hidden menu; with the reader's name from /api/v1/me this shows the menu
 * (a button with aria-expanded over a list of links and the Sign out form)
 * instead of the link. Escape or a click elsewhere closes it.
 */
import { loadMe } from './me.js';

const STAFF_ROLES = new Set(['contributor', 'editor', 'admin']);

function setOpen(toggle: HTMLButtonElement, list: HTMLElement, open: boolean): void {
  toggle.setAttribute('aria-expanded', String(open));
  list.hidden = !open;
}

function enhance(root: HTMLElement, user: { displayName: string; role: string }): void {
  const signin = root.querySelector<HTMLElement>('[data-account-signin]');
  const menu = root.querySelector<HTMLElement>('[data-account-menu]');
  const toggle = root.querySelector<HTMLButtonElement>('[data-account-toggle]');
  const list = root.querySelector<HTMLElement>('[data-account-list]');
  const name = root.querySelector<HTMLElement>('[data-account-name]');
  if (!signin || !menu || !toggle || !list || !name) return;
  name.textContent = user.displayName;
  const staff = root.querySelector<HTMLElement>('[data-account-staff]');
  if (staff) staff.hidden = !STAFF_ROLES.has(user.role);
  signin.hidden = true;
  menu.hidden = false;

  toggle.addEventListener('click', () => setOpen(toggle, list, toggle.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('click', (event) => {
    if (!menu.contains(event.target as Node)) setOpen(toggle, list, false);
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || list.hidden) return;
    setOpen(toggle, list, false);
    toggle.focus();
  });
  // Tabbing out of the menu closes it.
  menu.addEventListener('focusout', (event) => {
    if (!menu.contains(event.relatedTarget as Node | null)) setOpen(toggle, list, false);
  });
}

const root = document.querySelector<HTMLElement>('[data-account]');
if (root) {
  void loadMe().then((me) => {
    if (me?.user) enhance(root, me.user);
  });
}
