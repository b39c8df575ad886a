/** The mail the app sent: in tests it is written to files in the data folder's outbox. */
import fs from 'node:fs';
import path from 'node:path';

/** Every message sent so far, oldest first, as raw text. */
export function outbox(t: { dataDir: string }): string[] {
  const dir = path.join(t.dataDir, 'outbox');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort().map((f) => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
}

/**
 * The link (`https?://…/<kind>?token=…`) in the newest message to `to` that has one
 * (kind: `signup/confirm`, `reset/confirm`, `invite`); throws when there is none.
 */
export function mailedLink(t: { dataDir: string }, to: string, kind: string): string {
  const pattern = new RegExp(`(https?://\\S+/${kind}\\?token=[\\w-]+)`);
  const mail = outbox(t).filter((m) => m.includes(`To: ${to.toLowerCase()}`) && pattern.test(m)).pop();
  const link = mail && pattern.exec(mail)?.[1];
  if (!link) throw new Error(`no ${kind} link mailed to ${to}`);
  return link;
}

/** The token of that link. */
export function mailedToken(t: { dataDir: string }, to: string, kind: string): string {
  return new URL(mailedLink(t, to, kind)).searchParams.get('token')!;
}
