import { describe, expect, it } from 'vitest';
import type { Role } from '../platform/db/types.js';
import { canMedia, MEDIA_ACTIONS, type MediaAction } from './media.policy.js';

const roles: Array<Role | null> = [null, 'reader', 'contributor', 'editor', 'admin'];

/** The whole matrix, written out: who may attempt what. */
const EXPECTED: Record<MediaAction, Array<Role | null>> = {
  'media.upload': ['contributor', 'editor', 'admin'],
  'media.list': ['contributor', 'editor', 'admin'],
  'media.read': ['contributor', 'editor', 'admin'],
  'media.edit': ['contributor', 'editor', 'admin'],
  'media.delete': ['editor', 'admin'],
};

describe('media policy', () => {
  for (const action of MEDIA_ACTIONS) {
    for (const role of roles) {
      const allowed = EXPECTED[action].includes(role);
      it(`${role ?? 'anonymous'} ${allowed ? 'may' : 'may not'} ${action}`, () => {
        const verdict = canMedia(role ? { role, userId: 7 } : null, action);
        if (allowed) expect(verdict).toBe(true);
        else expect(verdict).toMatchObject({ status: role ? 403 : 401 });
      });
    }
  }

  it('lets contributors edit only what they uploaded; editors and admins anything', () => {
    expect(canMedia({ role: 'contributor', userId: 7 }, 'media.edit', { uploadedBy: 7 })).toBe(true);
    expect(canMedia({ role: 'contributor', userId: 7 }, 'media.edit', { uploadedBy: 8 })).toMatchObject({ status: 403 });
    expect(canMedia({ role: 'contributor', userId: 7 }, 'media.edit', { uploadedBy: null })).toMatchObject({ status: 403 });
    expect(canMedia({ role: 'contributor', userId: null }, 'media.edit', { uploadedBy: null })).toMatchObject({ status: 403 });
    expect(canMedia({ role: 'editor', userId: 9 }, 'media.edit', { uploadedBy: 8 })).toBe(true);
    expect(canMedia({ role: 'admin', userId: null }, 'media.edit', { uploadedBy: 8 })).toBe(true);
    expect(canMedia({ role: 'reader', userId: 8 }, 'media.edit', { uploadedBy: 8 })).toMatchObject({ status: 403 });
  });
});
