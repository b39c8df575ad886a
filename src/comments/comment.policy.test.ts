import { describe, expect, it } from 'vitest';
import type { CommentsMode, Role } from '../platform/db/types.js';
import {
  canBan, canDelete, canEdit, canManageSettings, canModerate, canPost, canReport, canSetArticleMode, needsPremoderation, type Actor, type CommentFacts,
} from './comment.policy.js';

const ROLES: Role[] = ['reader', 'contributor', 'editor', 'admin'];
const MODES: CommentsMode[] = ['open', 'premoderated', 'closed'];
const NOW = new Date('2026-11-29T12:00:00Z');
const WINDOW = 15 * 60_000;
const actor = (role: Role, over: Partial<Actor> = {}): Actor => ({ id: 1, role, commentBanned: false, ...over });
const comment = (over: Partial<CommentFacts> = {}): CommentFacts => ({
  userId: 1, status: 'approved', createdAt: new Date(NOW.getTime() - 60_000).toISOString(), deletedAt: null, ...over,
});
const status = (v: true | { status: number }) => (v === true ? 'ok' : v.status);

describe('canPost', () => {
  const table: Array<[string, Actor | null, CommentsMode, 'ok' | number]> = [];
  for (const mode of MODES) {
    table.push([`signed out, ${mode}`, null, mode, 401]);
    for (const role of ROLES) {
      table.push([`${role}, ${mode}`, actor(role), mode, mode === 'closed' ? 403 : 'ok']);
      table.push([`banned ${role}, ${mode}`, actor(role, { commentBanned: true }), mode, 403]);
    }
  }
  it.each(table)('%s', (_name, who, mode, expected) => {
    expect(status(canPost(who, mode))).toBe(expected);
  });
});

describe('needsPremoderation', () => {
  it.each(ROLES.flatMap((role) => MODES.map((mode) => [role, mode, mode === 'premoderated' && (role === 'reader' || role === 'contributor')] as const)))(
    '%s on a %s story: %s', (role, mode, expected) => {
      expect(needsPremoderation(actor(role), mode)).toBe(expected);
    },
  );
});

describe('canEdit', () => {
  const late = comment({ createdAt: new Date(NOW.getTime() - WINDOW - 1000).toISOString() });
  const table: Array<[string, Actor | null, CommentFacts, CommentsMode, 'ok' | number]> = [
    ['author within the window', actor('reader'), comment(), 'open', 'ok'],
    ['author, pending comment', actor('reader'), comment({ status: 'pending' }), 'premoderated', 'ok'],
    ['author after the window', actor('reader'), late, 'open', 403],
    ['author, closed story', actor('reader'), comment(), 'closed', 403],
    ['banned author', actor('reader', { commentBanned: true }), comment(), 'open', 403],
    ['author, rejected comment', actor('reader'), comment({ status: 'rejected' }), 'open', 403],
    ['author, deleted comment', actor('reader'), comment({ deletedAt: NOW.toISOString() }), 'open', 404],
    ['someone else', actor('reader', { id: 2 }), comment(), 'open', 403],
    ['an editor (not the author)', actor('editor', { id: 2 }), comment(), 'open', 403],
    ['an admin (not the author)', actor('admin', { id: 2 }), comment(), 'open', 403],
    ['signed out', null, comment(), 'open', 401],
  ];
  it.each(table)('%s', (_name, who, c, mode, expected) => {
    expect(status(canEdit(who, c, mode, NOW, WINDOW))).toBe(expected);
  });
});

describe('canDelete', () => {
  const table: Array<[string, Actor | null, CommentFacts, 'ok' | number]> = [
    ['author', actor('reader'), comment(), 'ok'],
    ['author, long after', actor('reader'), comment({ createdAt: '2020-01-01T00:00:00.000Z' }), 'ok'],
    ['banned author', actor('reader', { commentBanned: true }), comment(), 'ok'],
    ['another reader', actor('reader', { id: 2 }), comment(), 403],
    ['a contributor', actor('contributor', { id: 2 }), comment(), 403],
    ['an editor', actor('editor', { id: 2 }), comment(), 'ok'],
    ['an admin', actor('admin', { id: 2 }), comment(), 'ok'],
    ['already deleted', actor('reader'), comment({ deletedAt: NOW.toISOString() }), 404],
    ['signed out', null, comment(), 401],
  ];
  it.each(table)('%s', (_name, who, c, expected) => {
    expect(status(canDelete(who, c))).toBe(expected);
  });
});

describe('canReport', () => {
  const table: Array<[string, Actor | null, CommentFacts, 'ok' | number]> = [
    ['another reader, approved', actor('reader', { id: 2 }), comment(), 'ok'],
    ['a banned reader may still report', actor('reader', { id: 2, commentBanned: true }), comment(), 'ok'],
    ['the author', actor('reader'), comment(), 403],
    ['pending comment', actor('reader', { id: 2 }), comment({ status: 'pending' }), 404],
    ['held comment', actor('reader', { id: 2 }), comment({ status: 'held' }), 404],
    ['deleted comment', actor('reader', { id: 2 }), comment({ deletedAt: NOW.toISOString() }), 404],
    ['signed out', null, comment(), 401],
  ];
  it.each(table)('%s', (_name, who, c, expected) => {
    expect(status(canReport(who, c))).toBe(expected);
  });
});

describe('staff powers by role', () => {
  const expected: Record<Role, { moderate: 'ok' | number; mode: 'ok' | number; settings: 'ok' | number }> = {
    reader: { moderate: 403, mode: 403, settings: 403 },
    contributor: { moderate: 403, mode: 403, settings: 403 },
    editor: { moderate: 'ok', mode: 'ok', settings: 403 },
    admin: { moderate: 'ok', mode: 'ok', settings: 'ok' },
  };
  it.each(ROLES)('%s', (role) => {
    const who = actor(role);
    expect({
      moderate: status(canModerate(who)), mode: status(canSetArticleMode(who)), settings: status(canManageSettings(who)),
    }).toEqual(expected[role]);
  });
  it('refuses the signed out with 401', () => {
    expect([canModerate(null), canSetArticleMode(null), canManageSettings(null)].map(status)).toEqual([401, 401, 401]);
  });
});

describe('canBan', () => {
  const table: Array<[Role, Role, 'ok' | number]> = [];
  for (const by of ROLES) {
    for (const target of ROLES) {
      const moderator = by === 'editor' || by === 'admin';
      const staffTarget = target === 'editor' || target === 'admin';
      table.push([by, target, !moderator ? 403 : staffTarget ? 403 : 'ok']);
    }
  }
  it.each(table)('%s bans a %s', (by, target, expected) => {
    expect(status(canBan(actor(by), { id: 2, role: target }))).toBe(expected);
  });
  it('refuses banning oneself and the signed out', () => {
    expect(status(canBan(actor('admin'), { id: 1, role: 'admin' }))).toBe(403);
    expect(status(canBan(actor('editor'), { id: 1, role: 'reader' }))).toBe(403);
    expect(status(canBan(null, { id: 2, role: 'reader' }))).toBe(401);
  });
});
