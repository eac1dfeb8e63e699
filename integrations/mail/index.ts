import nodemailer from 'nodemailer';
import { AppError } from '../../src/domain/errors.ts';
import { maskPersonalData } from '../../src/domain/text.ts';
import type { MailMessage, MailPort, Person } from '../../src/ports.ts';
import { assertApplicationId, forgetInOutbox, isAboutApplication, writeToOutbox } from './outbox.ts';

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
    // Screen readers and translation offers read the language from here before any part is opened.
    headers: { 'Content-Language': m.language ?? 'he' },
    attachments: m.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A remote error's text with no personal data: addresses and phones masked, the recipient's own never shown. */
export function scrubMailError(text: string, to: Person): string {
  let out = maskPersonalData(text);
  // What the patterns cannot know (a name) or may miss (an address with quotes in it): the recipient's own.
  for (const [value, by] of [
    [to.email.trim(), '[email]'],
    [to.name.trim(), '[name]'],
  ] as const) {
    if (value.length < 2) continue;
    // Whole words only, so a short name does not eat the inside of the server's words ("Li" in "delivery").
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(value)}(?![\\p{L}\\p{N}])`, 'giu'), by);
  }
  return out;
}

function mailError(error: unknown, to: Person): AppError {
  const code = (error as { responseCode?: number }).responseCode ?? 0;
  // 5xx from the server means this message will never go through as it is.
  const permanent = code >= 500 && code < 600;
  // Only the scrubbed message leaves: nodemailer's error also carries the envelope and rejected addresses.
  return new AppError(
    permanent ? 'bad_request' : 'unavailable',
    `mail: ${scrubMailError((error as Error).message ?? String(error), to)}`,
    { retryable: !permanent },
  );
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
          throw mailError(error, message.to);
        }
      },
      async forget(applicationId) {
        assertApplicationId(applicationId);
        return 0;
      },
    };
  }
  const stream = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      try {
        const info = await stream.sendMail(toNodemailer(options.from, message));
        await writeToOutbox(options.outboxDir, message.idempotencyKey, info.message as Buffer);
      } catch (error) {
        throw mailError(error, message.to);
      }
    },
    forget: (applicationId) => forgetInOutbox(options.outboxDir, applicationId),
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
    async forget(applicationId) {
      assertApplicationId(applicationId);
      let deleted = 0;
      for (const key of [...sent.keys()]) {
        if (isAboutApplication(key, applicationId) && sent.delete(key)) deleted++;
      }
      return deleted;
    },
  };
}
