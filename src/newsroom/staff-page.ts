/**
 * What every newsroom HTML page does first: find the staff member from the
 * session, check the policy for the page's action, and build the chrome.
 * Someone not signed in is sent to sign in and back; a reader or a role
 * without the permission gets the policy's refusal as an error page.
 * Pages are never cached (no-store) and never indexed.
 */
import { h, type VNode } from 'preact';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../services.js';
import { type CurrentUser } from '../accounts/session.js';
import { buildChrome } from '../web/chrome.js';
import { renderDocument } from '../web/render.js';
import type { Chrome } from '../web/view-types.js';
import { authorize, mayAttempt, type NewsroomAction } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';
import { NewsroomLayout, type NewsroomLayoutProps, type NewsroomUser } from './views/layout.js';

export interface StaffPage {
  /** The actor for services and policies. */
  staff: Staff;
  /** The signed-in staff member, for the layout. */
  user: NewsroomUser & { email: string };
  chrome: Chrome;
}

const HTML = 'text/html; charset=utf-8';

/** The sign-in page, coming back to `url` afterwards. */
export function signInUrl(url: string): string {
  return `/signin?next=${encodeURIComponent(url)}`;
}

/**
 * The staff member may open this page, or null when the reply already went
 * out (a redirect to sign in). Throws the policy's refusal otherwise.
 */
export async function staffPage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, action: NewsroomAction): Promise<StaffPage | null> {
  const current: CurrentUser | null = await deps.sessions.current(req);
  if (!current) {
    const back = req.method === 'GET' ? req.url : '/newsroom';
    await reply.code(req.method === 'GET' ? 302 : 303).header('Location', signInUrl(back)).header('Cache-Control', 'no-store').send();
    return null;
  }
  const staff: Staff = { role: current.role, userId: current.id, tokenId: null, ip: req.ip ?? null };
  authorize(mayAttempt(staff, action));
  const chrome = await buildChrome(deps);
  return { staff, user: { id: current.id, displayName: current.displayName, role: current.role, email: current.email }, chrome };
}

/** Sends a newsroom page: the layout around `children`, never cached. */
export function sendNewsroomPage(reply: FastifyReply, page: StaffPage, props: Omit<NewsroomLayoutProps, 'chrome' | 'user'>, status = 200): FastifyReply {
  const html = renderDocument(h(NewsroomLayout, { ...props, chrome: page.chrome, user: page.user }) as VNode);
  return reply.code(status).header('Cache-Control', 'no-store').header('X-Robots-Tag', 'noindex').type(HTML).send(html);
}

/**
 * After a form POST: back to `url` with a notice code the page turns into
 * its own words (Post/Redirect/Get, so a reload does not repeat the action).
 */
export function seeOther(reply: FastifyReply, url: string, done?: string): FastifyReply {
  const target = done ? `${url}${url.includes('?') ? '&' : '?'}done=${encodeURIComponent(done)}` : url;
  return reply.code(303).header('Location', target).header('Cache-Control', 'no-store').send();
}
