/** The admin API from the newsroom's scripts: a JSON answer, or the message to show. */

export type ApiResult<T> = { ok: true; status: number; data: T } | { ok: false; status: number; message: string; code?: string };

export async function api<T = unknown>(method: string, url: string, body?: unknown): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    return { ok: false, status: 0, message: 'The newsroom could not be reached. Check your connection; nothing was lost here.' };
  }
  let data: unknown = null;
  try {
    data = res.status === 204 ? null : await res.json();
  } catch {
    /* not JSON */
  }
  if (res.ok) return { ok: true, status: res.status, data: data as T };
  const error = (data as { error?: { message?: string; code?: string } } | null)?.error;
  if (res.status === 401) return { ok: false, status: 401, message: 'You are signed out. Sign in again in another tab, then try again: your changes are still here.' };
  return { ok: false, status: res.status, message: error?.message ?? `The server answered ${res.status}.`, ...(error?.code ? { code: error.code } : {}) };
}
