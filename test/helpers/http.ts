/**
 * Requests to the app under test, as the tests make them: over the network
 * with fetch (as a browser or a client would), or through `app.inject` for
 * the JSON API. Nothing is added that the caller did not ask for: who the
 * request is from (`as`), the body's content type, and the caller's headers.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { InjectOptions } from 'fastify';
import type { App } from '../../src/app.js';

/** The methods `app.inject` takes (light-my-request's list). */
export type HTTPMethods = NonNullable<InjectOptions['method']>;

/** Who a request comes from: a browser session's `Cookie` header value, or an API token. */
export type Credentials = { cookie: string } | { token: string };

/** Form fields as a browser sends them: a name given more than once is an array. */
export type FormFields = Record<string, string | string[]>;

export interface RequestOptions {
  as?: Credentials | undefined;
  /** A JSON body (sent with `content-type: application/json`). */
  json?: unknown;
  /** A URL-encoded form body (sent with `content-type: application/x-www-form-urlencoded`); wins over `json`. */
  form?: FormFields | undefined;
  /** Sent last: they win over anything above. */
  headers?: Record<string, string> | undefined;
}

export interface ApiOptions {
  as?: Credentials | undefined;
  /** Sent as JSON when given. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

export interface ApiResult<T> {
  status: number;
  /** The parsed JSON, or null when the answer has no body (204). */
  body: T | null;
  headers: OutgoingHttpHeaders;
}

/** A page as the browser gets it. */
export interface PageResult {
  status: number;
  location: string | null;
  headers: Headers;
  html: string;
}

/** The `Cookie` or `Authorization` header for the caller; none for an empty cookie or nobody. */
export function authHeaders(as: Credentials | undefined): Record<string, string> {
  if (!as) return {};
  if ('token' in as) return { authorization: `Bearer ${as.token}` };
  return as.cookie ? { cookie: as.cookie } : {};
}

/** The headers of a request from one of the site's own pages. */
export function sameOrigin(siteUrl: string): Record<string, string> {
  return { origin: siteUrl, 'sec-fetch-site': 'same-origin' };
}

/** A URL-encoded form body, repeating a name for each value of an array. */
export function formBody(fields: FormFields): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) params.append(name, v);
  return params.toString();
}

/** The first cookie a response sets, as `name=value` (empty when it sets none). */
export function cookieOf(res: Response): string {
  return res.headers.get('set-cookie')?.split(';')[0] ?? '';
}

/** Reads a response as a page: status, where it redirects, headers and the HTML. */
export async function pageOf(res: Response): Promise<PageResult> {
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, html: await res.text() };
}

/** A response's JSON, or null when it has no body (204). */
export async function jsonOf<T>(res: Response): Promise<T | null> {
  return res.status === 204 ? null : ((await res.json()) as T);
}

/** fetch() against the listening server at `siteUrl`, not following redirects. */
export function request(siteUrl: string, method: string, path: string, { as, json, form, headers = {} }: RequestOptions = {}): Promise<Response> {
  let body: string | undefined;
  let type: Record<string, string> = {};
  if (form) {
    body = formBody(form);
    type = { 'content-type': 'application/x-www-form-urlencoded' };
  } else if (json !== undefined) {
    body = JSON.stringify(json);
    type = { 'content-type': 'application/json' };
  }
  return fetch(siteUrl + path, { method, redirect: 'manual', headers: { ...authHeaders(as), ...type, ...headers }, body });
}

/** A JSON API call through `app.inject` (no network): the status, the parsed body and the headers. */
export async function injectApi<T>(app: App, method: HTTPMethods, url: string, { as, body, headers = {} }: ApiOptions = {}): Promise<ApiResult<T>> {
  const res = await app.inject({
    method,
    url,
    headers: { ...authHeaders(as), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as T) : null, headers: res.headers };
}
