import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { AppError } from '../../src/domain/errors.ts';
import type { MailMessage, MailPort } from '../../src/ports.ts';

export interface MailOptions {
  /** smtp:// or smtps:// URL; without it messages are written as .eml files to `outboxDir`. */
  smtpUrl?: string | undefined;
  from: string;
  outboxDir: string;
}

function toNodemailer(from: string, m: MailMessage) {
  return {
    from,
    to: { name: m.to.name, address: m.to.email },
    subject: m.subject,
    text: m.text,
    html: m.html,
    // A stable Message-ID lets a mail server or client drop a retried duplicate.
    messageId: `<${m.idempotencyKey}@kehila>`,
    headers: { 'Content-Language': 'he' },
    attachments: m.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  };
}

/** Real e-mail over SMTP, or .eml files (named by the idempotency key, so a retry overwrites, never doubles). */
export function createMailer(options: MailOptions): MailPort {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(message) {
        try {
          await transport.sendMail(toNodemailer(options.from, message));
        } catch (error) {
          const code = (error as { responseCode?: number }).responseCode ?? 0;
          // 5xx from the server means this message will never go through as it is.
          throw new AppError(
            code >= 500 && code < 600 ? 'bad_request' : 'unavailable',
            `mail: ${(error as Error).message}`,
            {
              retryable: !(code >= 500 && code < 600),
            },
          );
        }
      },
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      await mkdir(options.outboxDir, { recursive: true });
      const info = await stream.sendMail(toNodemailer(options.from, message));
      const file = join(options.outboxDir, `${message.idempotencyKey.replace(/[^\w.-]/g, '_')}.eml`);
      // Written then renamed, so a reader never sees half a message.
      await writeFile(`${file}.tmp`, info.message as Buffer);
      await rename(`${file}.tmp`, file);
    },
  };
}

/** Keeps sent messages in memory, keyed like the file outbox, for tests and benchmarks. */
export function memoryMailer(): MailPort & { sent: Map<string, MailMessage> } {
  const sent = new Map<string, MailMessage>();
  return {
    sent,
    async send(message) {
      sent.set(message.idempotencyKey, message);
    },
  };
}
