/**
 * Chromium for the browser tests (test/e2e): Debian's, through
 * playwright-core. Without it those tests are skipped, except under CI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/platform/paths.js';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
/** No Chromium here, and not under CI (where a missing browser is a failure). */
export const SKIP_BROWSER = !HAVE_CHROMIUM && !process.env.CI;
/** Where the screenshots go (the README's come from there). */
export const SHOTS = path.join(projectRoot, 'test-results');

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Starts Chromium, with the screenshot folder ready. */
export function launchBrowser(): Promise<Browser> {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
}

/** Signs in with the sign-in form, as a person would, and waits to arrive at `next`. */
export async function signInWithForm(page: Page, site: string, account: { email: string; password: string }, next: string): Promise<void> {
  await page.goto(`${site}/signin?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${site}${next}`);
}
