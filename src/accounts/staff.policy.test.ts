import { describe, expect, it } from 'vitest';
import type { ArticleStatus, Role } from '../platform/db/types.js';
import {
  can, mayAttempt, mayCreateTags, NEWSROOM_ACTIONS, seesAllStories, type Actor, type NewsroomAction, type StorySubject,
} from './staff.policy.js';

const STATUSES: ArticleStatus[] = ['draft', 'review', 'scheduled', 'published', 'unpublished'];
const ME = 7;
const SOMEONE_ELSE = 8;

/**
 * The rules written out by hand, one line per action, independent of the
 * implementation: what a contributor may do (never / always / to their own
 * stories whatever their status / to their own drafts only), and whether
 * editors and admins may.
 */
type ContributorRule = 'never' | 'always' | 'own' | 'own-draft';
const RULES: Record<NewsroomAction, { contributor: ContributorRule; editor: boolean; admin: boolean }> = {
  'article.list': { contributor: 'always', editor: true, admin: true },
  'article.create': { contributor: 'always', editor: true, admin: true },
  'article.read': { contributor: 'own', editor: true, admin: true },
  'article.revisions': { contributor: 'own', editor: true, admin: true },
  'article.edit': { contributor: 'own-draft', editor: true, admin: true },
  'article.restore': { contributor: 'own-draft', editor: true, admin: true },
  'article.delete': { contributor: 'own-draft', editor: true, admin: true },
  'article.submit': { contributor: 'own-draft', editor: true, admin: true },
  'article.publish': { contributor: 'never', editor: true, admin: true },
  'article.unpublish': { contributor: 'never', editor: true, admin: true },
  'article.correct': { contributor: 'never', editor: true, admin: true },
  'section.list': { contributor: 'always', editor: true, admin: true },
  'section.manage': { contributor: 'never', editor: false, admin: true },
  'tag.list': { contributor: 'always', editor: true, admin: true },
  'tag.manage': { contributor: 'never', editor: true, admin: true },
  'author.list': { contributor: 'always', editor: true, admin: true },
  'author.manage': { contributor: 'never', editor: true, admin: true },
  'breaking.manage': { contributor: 'never', editor: true, admin: true },
  'front.manage': { contributor: 'never', editor: true, admin: true },
  'user.list': { contributor: 'never', editor: false, admin: true },
  'user.manage': { contributor: 'never', editor: false, admin: true },
  'page.manage': { contributor: 'never', editor: false, admin: true },
  'token.manage': { contributor: 'never', editor: false, admin: true },
  'audit.read': { contributor: 'never', editor: false, admin: true },
  'invitation.manage': { contributor: 'never', editor: false, admin: true },
  'wire.read': { contributor: 'always', editor: true, admin: true },
  'wire.quarantine': { contributor: 'never', editor: true, admin: true },
  'wire.manage': { contributor: 'never', editor: false, admin: true },
  'live.manage': { contributor: 'never', editor: true, admin: true },
};

function expected(role: Role | null, action: NewsroomAction, story: StorySubject | undefined): boolean {
  if (role === null || role === 'reader') return false;
  const rule = RULES[action];
  if (role === 'admin') return rule.admin;
  if (role === 'editor') return rule.editor;
  switch (rule.contributor) {
    case 'never':
      return false;
    case 'always':
      return true;
    case 'own':
      return story?.ownerId === ME;
    case 'own-draft':
      return story?.ownerId === ME && (story.status === 'draft' || story.status === 'review');
  }
}

const actors: Array<[string, Actor | null]> = [
  ['anonymous', null],
  ...(['reader', 'contributor', 'editor', 'admin'] as Role[]).map((role): [string, Actor] => [role, { role, userId: ME }]),
];
const subjects: Array<[string, StorySubject | undefined]> = [
  ['no story', undefined],
  ...STATUSES.flatMap((status): Array<[string, StorySubject]> => [
    [`own ${status}`, { ownerId: ME, status }],
    [`someone else's ${status}`, { ownerId: SOMEONE_ELSE, status }],
    [`nobody's ${status}`, { ownerId: null, status }],
  ]),
];

describe('the newsroom policy, as a full matrix', () => {
  it('covers every action in the hand-written rules', () => {
    expect(Object.keys(RULES).sort()).toEqual([...NEWSROOM_ACTIONS].sort());
  });

  const cases = actors.flatMap(([who, actor]) =>
    NEWSROOM_ACTIONS.flatMap((action) => subjects.map(([what, story]) => ({ who, actor, action, what, story }))),
  );

  it(`answers all ${cases.length} combinations of role × action × story as written`, () => {
    const wrong: string[] = [];
    for (const { who, actor, action, what, story } of cases) {
      const verdict = can(actor, action, story);
      const want = expected(actor?.role ?? null, action, story);
      if ((verdict === true) !== want) wrong.push(`${who} ${action} on ${what}: got ${JSON.stringify(verdict)}, want ${want}`);
      if (verdict !== true) expect(verdict.status).toBe(actor ? 403 : 401);
    }
    expect(wrong).toEqual([]);
  });

  it('refuses anonymous visitors with 401 and readers with 403, for every action', () => {
    for (const action of NEWSROOM_ACTIONS) {
      expect(can(null, action)).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(can({ role: 'reader', userId: ME }, action, { ownerId: ME, status: 'draft' })).toMatchObject({ status: 403, code: 'forbidden' });
    }
  });

  it('gives a token made on the command line (no user) no own stories', () => {
    const token: Actor = { role: 'contributor', userId: null };
    expect(can(token, 'article.edit', { ownerId: null, status: 'draft' })).not.toBe(true);
    expect(can(token, 'article.create')).toBe(true);
    expect(can({ role: 'editor', userId: null }, 'article.publish', { ownerId: null, status: 'review' })).toBe(true);
  });
});

describe('mayAttempt (the route hook, before the story is loaded)', () => {
  it('lets through exactly the roles that could do the action to some story', () => {
    for (const [who, actor] of actors) {
      for (const action of NEWSROOM_ACTIONS) {
        const someStory = subjects.some(([, story]) => can(actor, action, story) === true);
        expect(mayAttempt(actor, action) === true, `${who} ${action}`).toBe(someStory);
      }
    }
  });
});

describe('listing and tags', () => {
  it('shows contributors only their own stories; editors and admins everything', () => {
    expect(seesAllStories({ role: 'contributor', userId: ME })).toBe(false);
    expect(seesAllStories({ role: 'editor', userId: ME })).toBe(true);
    expect(seesAllStories({ role: 'admin', userId: ME })).toBe(true);
  });

  it('creates unknown tags from a story only for editors and admins', () => {
    expect(mayCreateTags({ role: 'contributor', userId: ME })).toBe(false);
    expect(mayCreateTags({ role: 'editor', userId: ME })).toBe(true);
  });
});
