/**
 * What the admin API's route files share: the policy action every route
 * names, the staff member the parent plugin's hook found, and small pieces of
 * the answers (tags, pagination, an empty 204). The hooks themselves are
 * installed once, by admin-api.routes.ts.
 */
import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { NewsroomAction } from '../accounts/staff.policy.js';
import type { Staff } from '../accounts/staff.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The newsroom policy action an /api/admin route performs (see newsroom.policy.ts). */
    newsroomAction?: NewsroomAction;
  }
  interface FastifyRequest {
    /** Who is acting, set by the newsroom's hook once the policy allowed the action. */
    staff?: Staff;
  }
}

export const TAGS = ['admin'];
export const Deleted = Type.Null({ description: 'Done; nothing to return' });
export const as = (action: NewsroomAction) => ({ newsroomAction: action });

export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw new Error('newsroom route reached without its policy check');
  return req.staff;
}

export const pagination = (page: number, limit: number, total: number) => ({ page, limit, total, totalPages: Math.max(1, Math.ceil(total / limit)) });
