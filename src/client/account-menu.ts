/**
 * The header's reader menu. The cached page carries only a "Sign in" link (the
 * same for everyone); for a signed-in reader (/api/v1/me) this puts a menu in
 * its place: a button with the reader's name and aria-expanded, over a list of
 * Account, Favorites (Newsroom for staff) and Sign out, a real POST form (the
 * CSRF guard accepts it as a same-site request). Escape, a click elsewhere or
 * tabbing away closes it.
 */
import { loadMe } from './me.js';

const STAFF_ROLES = new Set(['contributor', 'editor', 'admin']);

function link(href: string, text: string): HTMLLIElement {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  li.append(a);
  return li;
}

function signOutItem(): HTMLLIElement {
  const li = document.createElement('li');
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/signout';
  const button = document.createElement('button');
  button.type = 'submit';
  button.className = 'site-account__signout';
  button.textContent = 'Sign out';
  form.append(button);
  li.append(form);
  return li;
}

function buildMenu(user: { displayName: string; role: string }): { menu: HTMLElement; toggle: HTMLButtonElement; list: HTMLUListElement } {
  const menu = document.createElement('div');
  menu.className = 'site-account__menu';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'site-account__button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', 'site-account-list');
  toggle.dataset.accountToggle = '';
  const hidden = document.createElement('span');
  hidden.className = 'visually-hidden';
  hidden.textContent = 'Your account: ';
  const name = document.createElement('span');
  name.className = 'site-account__name';
  name.textContent = user.displayName;
  toggle.append(hidden, name);
  const list = document.createElement('ul');
  list.id = 'site-account-list';
  list.className = 'site-account__list';
  list.hidden = true;
  list.append(link('/account', 'Account'), link('/favorites', 'Favorites'));
  if (STAFF_ROLES.has(user.role)) list.append(link('/newsroom', 'Newsroom'));
  list.append(signOutItem());
  menu.append(toggle, list);
  return { menu, toggle, list };
}

function setOpen(toggle: HTMLButtonElement, list: HTMLElement, open: boolean): void {
  toggle.setAttribute('aria-expanded', String(open));
  list.hidden = !open;
}

function enhance(root: HTMLElement, user: { displayName: string; role: string }): void {
  const { menu, toggle, list } = buildMenu(user);
  root.querySelector('[data-account-signin]')?.remove();
  root.append(menu);

  toggle.addEventListener('click', () => setOpen(toggle, list, toggle.getAttribute('aria-expanded') !== 'true'));
  document.addEventListener('click', (event) => {
    if (!menu.contains(event.target as Node)) setOpen(toggle, list, false);
  });
  menu.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || list.hidden) return;
    setOpen(toggle, list, false);
    toggle.focus();
  });
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
