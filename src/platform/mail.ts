import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';

export interface Message {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: Message): Promise<void>;
}

/**
 * Email goes out through SMTP when SMTP_URL is set. Otherwise each message is
 * written to `<dataDir>/outbox/` and logged, so a person running Dispatch
 * locally can open the link it carries.
 */
export function createMailer(opts: { smtpUrl: string | undefined; from: string; dataDir: string; log: FastifyBaseLogger }): Mailer {
  if (opts.smtpUrl) {
    const smtpUrl = opts.smtpUrl;
    // nodemailer (about 13 MB resident) is loaded with the first message, not at start.
    let transport: Promise<Transporter> | undefined;
    return {
      async send(m) {
        transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(smtpUrl));
        await (await transport).sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
        opts.log.info({ to: m.to, subject: m.subject }, 'email sent');
      },
    };
  }
  const outbox = path.join(opts.dataDir, 'outbox');
  return {
    async send(m) {
      await fs.promises.mkdir(outbox, { recursive: true });
      const file = path.join(outbox, `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.txt`);
      const text = `From: ${opts.from}\nTo: ${m.to}\nSubject: ${m.subject}\nDate: ${new Date().toUTCString()}\n\n${m.text}\n`;
      await fs.promises.writeFile(file, text, { mode: 0o600 });
      opts.log.info({ to: m.to, subject: m.subject, file }, 'email written to the outbox (set SMTP_URL to send it)');
    },
  };
}
