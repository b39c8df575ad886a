/** Multipart bodies for `app.inject`, as a browser's form would send them. */
import type { App } from '../../src/app.js';

export interface Part {
  name: string;
  value: string | Buffer;
  filename?: string;
  type?: string;
}

/** A multipart body as a browser's form would send it: a string without a filename is a field, anything else a file. */
export async function multipartBody(parts: Part[]): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  for (const p of parts) {
    if (typeof p.value === 'string' && p.filename === undefined) form.append(p.name, p.value);
    else form.append(p.name, new Blob([typeof p.value === 'string' ? p.value : new Uint8Array(p.value)], { type: p.type ?? 'application/octet-stream' }), p.filename ?? 'upload');
  }
  const req = new Request('http://x/', { method: 'POST', body: form });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
}

/** POSTs parts as a multipart form through `app.inject` (with the caller's headers, e.g. a cookie). */
export async function postMultipart(t: { app: App }, url: string, parts: Part[], headers: Record<string, string> = {}) {
  const { body, contentType } = await multipartBody(parts);
  return t.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload: body });
}
