/**
 * The favorites script's pure parts: the device-local list and what a button
 * says. No DOM, so they are unit-tested under Node.
 */

/** localStorage key of the ids a signed-out reader saved, oldest first. */
export const LOCAL_KEY = 'dispatch.favorites';
/** As many as one merge may carry (the server's MAX_MERGE_IDS). */
export const MAX_LOCAL = 500;

const MAX_ID = 2147483647;

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= MAX_ID;
}

/** Reads the stored list; anything unexpected counts as an empty list, never as an error. */
export function parseLocalIds(raw: string | null): number[] {
  if (!raw) return [];
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  const ids = [...new Set(data.filter(isId))];
  return ids.slice(-MAX_LOCAL);
}

/** The list with `id` saved last (newest), once. */
export function withId(ids: number[], id: number): number[] {
  return [...ids.filter((x) => x !== id), id];
}

export function withoutId(ids: number[], id: number): number[] {
  return ids.filter((x) => x !== id);
}

export type ButtonVariant = 'article' | 'card';

export interface ButtonText {
  /** The button's visible (article) or visually hidden (card) label. */
  label: string;
  /** Tooltip. */
  title: string;
}

export const SIGN_IN_HINT = 'Sign in to keep your favorites on every device.';

export function buttonText(variant: ButtonVariant, saved: boolean, signedIn: boolean): ButtonText {
  if (!saved) return { label: variant === 'card' ? 'Save' : 'Add to favorites', title: 'Add to favorites' };
  if (signedIn) return { label: 'Saved', title: 'Saved to your favorites. Press again to remove it.' };
  return { label: variant === 'card' ? 'Saved' : 'Saved on this device', title: `Saved on this device. ${SIGN_IN_HINT}` };
}

export function storiesText(n: number): string {
  return n === 1 ? '1 story' : `${n} stories`;
}

/** What the live region says after a change. */
export function changeMessage(saved: boolean, signedIn: boolean, count: number): string {
  if (!saved) return `Removed from your favorites. ${storiesText(count)} saved.`;
  if (signedIn) return `Saved to your favorites. ${storiesText(count)} saved.`;
  return `Saved on this device. ${SIGN_IN_HINT}`;
}
