/**
 * Who is reading: one GET /api/v1/me per page, shared by every script on it
 * (the header's menu, favorites, the discussion). The page's HTML is the same
 * for everyone; this answer is the only personal thing, and it is never cached.
 */
export interface MeUser {
  id: number;
  email: string;
  displayName: string;
  role: string;
  commentBanned: boolean;
}

export interface MeAnswer {
  user: MeUser | null;
  favorites: number[];
}

let pending: Promise<MeAnswer | null> | null = null;

async function fetchMe(): Promise<MeAnswer | null> {
  try {
    const res = await fetch('/api/v1/me', { credentials: 'same-origin', headers: { accept: 'application/json' } });
    // Anything but a 200 (no accounts yet, an outage) reads as "we do not know": scripts treat it as signed out.
    if (res.status !== 200) return null;
    const data = (await res.json()) as Partial<MeAnswer> | null;
    const user = data?.user && typeof data.user.id === 'number' ? data.user : null;
    return { user, favorites: Array.isArray(data?.favorites) ? data.favorites : [] };
  } catch {
    return null;
  }
}

/** The page's one /api/v1/me answer (null when it could not be had). */
export function loadMe(): Promise<MeAnswer | null> {
  pending ??= fetchMe();
  return pending;
}
