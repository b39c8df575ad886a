/**
 * A reader in a real browser: signs up (following the emailed link), signs in,
 * favorites a story in place and finds it on /favorites, posts a comment and a
 * reply, reports another reader's comment; a moderator approves a held comment
 * and the reader then sees it on the story. Debian's Chromium via playwright-core.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startDemoApp, type TestApp } from '../helpers/app.js';
import { buildUser, signedInUser } from '../helpers/accounts.js';
import { postComment } from '../helpers/factories.js';
import { mailedLink } from '../helpers/mail.js';
import { launchBrowser, SHOTS, signInWithForm, SKIP_BROWSER as SKIP } from '../helpers/browser.js';
import { hashPassword } from '../../src/accounts/password.js';

const PASSWORD = 'harbour lights at midnight';

let t: TestApp;
let browser: Browser;
let story: { id: number; path: string; headline: string };
let moderatorEmail: string;

beforeAll(async () => {
  if (SKIP) return;
  t = await startDemoApp({ build: { commentLimits: { minGapMs: 0 } } });
  const { articles } = (await (await t.get('/api/v1/articles?section=economy&limit=1')).json()) as { articles: Array<{ id: number; url: string; headline: string }> };
  story = { id: articles[0]!.id, path: new URL(articles[0]!.url).pathname, headline: articles[0]!.headline };
  moderatorEmail = 'desk@example.org';
  await buildUser(t.db.kysely, { email: moderatorEmail, role: 'editor', displayName: 'Night Desk', passwordHash: await hashPassword(PASSWORD) });
  // Another reader has already said something under the story.
  const other = await signedInUser(t.db.kysely, { displayName: 'Marisol' });
  const { res } = await postComment(t, story.id, other, 'The central bank should have moved sooner, in my view.');
  expect(res.status).toBe(201);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const signIn = (page: Page, email: string, next: string) => signInWithForm(page, t.url, { email, password: PASSWORD }, next);

describe.skipIf(SKIP)('a reader in the browser', () => {
  it('signs up, signs in, favorites in place, comments, replies, reports; a moderator approves a held comment', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    // Sign up and follow the emailed link.
    await page.goto(`${t.url}/signup`);
    await page.getByLabel('Email').fill('june@example.org');
    await page.getByLabel('Display name').fill('June R.');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Check your email');
    await page.goto(mailedLink(t, 'june@example.org', 'signup/confirm'));
    await page.getByRole('button', { name: 'Confirm my account' }).click();
    await page.waitForURL(/\/account\?welcome=1$/);
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Welcome');

    // Sign out, then sign in again and land on the story.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${t.url}/`);
    await signIn(page, 'june@example.org', story.path);
    await expect.poll(() => page.locator('h1').textContent()).toBe(story.headline);

    // Favorite and unfavorite in place: no navigation, the button says so.
    const favorite = page.locator('.article__actions .favorite-button');
    await expect.poll(() => favorite.getAttribute('aria-pressed')).toBe('false');
    await favorite.click();
    await expect.poll(() => favorite.getAttribute('aria-pressed')).toBe('true');
    expect(page.url()).toBe(`${t.url}${story.path}`);
    await favorite.click();
    await expect.poll(() => favorite.getAttribute('aria-pressed')).toBe('false');
    await favorite.click();
    await expect.poll(() => favorite.getAttribute('aria-pressed')).toBe('true');
    await page.goto(`${t.url}/favorites`);
    await expect.poll(() => page.locator('main').textContent()).toContain(story.headline);

    // Post a comment and a reply in place.
    await page.goto(`${t.url}${story.path}`);
    const form = page.locator('[data-comments-form]');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.locator('textarea').fill('Rates held again: what does that mean for mortgages?');
    await form.getByRole('button').click();
    const mine = page.locator('article.comment', { hasText: 'what does that mean for mortgages' });
    await expect.poll(() => mine.count()).toBe(1);
    await expect.poll(() => mine.locator('.comment__author').textContent()).toBe('June R.');
    await mine.getByRole('button', { name: 'Reply' }).click();
    await page.locator('.comment-inline-form textarea').fill('To answer myself: fixed deals stay put for now.');
    await page.getByRole('button', { name: 'Post reply' }).click();
    const reply = page.locator('.comment-replies article.comment', { hasText: 'fixed deals stay put' });
    await expect.poll(() => reply.count()).toBe(1);

    // Report another reader's comment.
    const theirs = page.locator('article.comment', { hasText: 'should have moved sooner' });
    await theirs.getByRole('button', { name: 'Report' }).click();
    await page.locator('.comment-inline-form input').fill('Off topic');
    await page.locator('.comment-inline-form').getByRole('button', { name: 'Report' }).click();
    await expect.poll(() => theirs.textContent()).toContain('A moderator will look at it');

    // A comment caught by the banned-words list waits for a moderator.
    await form.locator('textarea').fill('Is this a casino bonus for the banks? Serious question.');
    await form.getByRole('button').click();
    await expect.poll(() => page.locator('[data-comments-status]').textContent()).toMatch(/moderat/i);
    await page.screenshot({ path: path.join(SHOTS, 'discussion-desktop.png'), fullPage: true });

    // A moderator approves it.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const mod = await desk.newPage();
    await signIn(mod, moderatorEmail, '/newsroom/comments');
    const held = mod.locator('.mod-item', { hasText: 'casino bonus' });
    await expect.poll(() => held.count()).toBe(1);
    await expect.poll(() => held.textContent()).toMatch(/Held:/);
    await mod.screenshot({ path: path.join(SHOTS, 'moderation-queue.png'), fullPage: true });
    await held.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => mod.locator('.mod-item', { hasText: 'casino bonus' }).count()).toBe(0);
    await desk.close();

    // The reader sees it on the (cached) story page.
    await page.reload();
    await expect.poll(() => page.locator('article.comment', { hasText: 'casino bonus for the banks' }).count()).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });
});
