import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('passwordProblem', () => {
  it.each([
    ['short1', /at least 10/],
    ['password123', /most common/],
    ['qwertyuiop', /most common/],
    ['aaaaaaaaaaaa', /repeated|common/],
    ['x'.repeat(1025), /at most 1024/],
  ])('refuses %s', (pw, why) => {
    expect(passwordProblem(pw)).toMatch(why);
  });

  it('refuses the email address as password', () => {
    expect(passwordProblem('Reader@Example.org', 'reader@example.org')).toMatch(/email/);
  });

  it.each(['correct horse battery staple', 'Ünïcödé–pässwörd✓', '🦊🦊🦊 fox in the snow', 'x'.repeat(64) + 'y'.repeat(200)])('accepts %s', (pw) => {
    expect(passwordProblem(pw)).toBeNull();
  });
});

describe('hashPassword / verifyPassword', () => {
  it('uses argon2id with OWASP parameters and never truncates', async () => {
    const long = 'a-long-passphrase-'.repeat(10); // 180 characters
    const hash = await hashPassword(long);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect((await verifyPassword(hash, long)).ok).toBe(true);
    expect((await verifyPassword(hash, long.slice(0, -1))).ok).toBe(false);
    expect((await verifyPassword(hash, long + 'x')).ok).toBe(false);
  });

  it('matches the same characters however they were composed (NFKC)', async () => {
    const hash = await hashPassword('caf\u00e9 au lait ☕');
    expect((await verifyPassword(hash, 'cafe\u0301 au lait ☕')).ok).toBe(true);
  });

  it('asks for a rehash of a hash made with weaker parameters', async () => {
    const weak = await hashPassword('correct horse battery staple', { memoryCost: 4096, timeCost: 1 });
    expect(await verifyPassword(weak, 'correct horse battery staple')).toEqual({ ok: true, needsRehash: true });
    const strong = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(strong, 'correct horse battery staple')).toEqual({ ok: true, needsRehash: false });
    expect(await verifyPassword('not a hash', 'x')).toEqual({ ok: false, needsRehash: false });
  });
});
