import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, memoryMailer } from '../../integrations/mail/index.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { MailMessage, MailPort } from '../../src/ports.ts';
import { type SmtpFake, startSmtpFake } from '../fakes/smtp.ts';

const FROM = 'kehila <no-reply@kehila.example>';
const message = (kind: string, applicationId: string, email = 'person@example.org'): MailMessage => ({
  to: { email, name: 'דנה לוי' },
  subject: 'קיבלנו את הבקשה',
  text: 'שלום',
  html: '<p>שלום</p>',
  idempotencyKey: `${kind}-${applicationId}`,
});

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const outboxDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kehila-outbox-'));
  dirs.push(dir);
  return dir;
};

interface MailerUnderTest {
  port: MailPort;
  /** The idempotency keys of the messages the mailer still holds. */
  kept(): Promise<string[]>;
}

/** What every kept-mail MailPort must do for erasure; run on the memory mailer and the file outbox. */
function forgetContract(make: () => Promise<MailerUnderTest>) {
  it("forgets every message of one application and keeps the others'", async () => {
    const m = await make();
    const [a, b] = [randomUUID(), randomUUID()];
    await m.port.send(message('received', a));
    await m.port.send(message('accepted', a));
    await m.port.send(message('received', b, 'other@example.org'));
    expect(await m.port.forget(a)).toBe(2);
    expect(await m.kept()).toEqual([`received-${b}`]);
  });

  it('forgets nothing the second time, or for an application it never wrote to', async () => {
    const m = await make();
    const a = randomUUID();
    await m.port.send(message('declined', a));
    await m.port.forget(a);
    expect(await m.port.forget(a)).toBe(0);
    expect(await m.port.forget(randomUUID())).toBe(0);
  });

  it('refuses an id it could not match exactly, such as an empty one', async () => {
    const m = await make();
    await m.port.send(message('received', randomUUID()));
    for (const bad of ['', '*', '../x', 'a b'])
      await expect(m.port.forget(bad), bad).rejects.toBeInstanceOf(AppError);
    expect(await m.kept()).toHaveLength(1);
  });
}

describe('forgetting kept mail, in memory', () => {
  forgetContract(async () => {
    const port = memoryMailer();
    return { port, kept: async () => [...port.sent.keys()].sort() };
  });
});

describe('forgetting kept mail, in the file outbox', () => {
  forgetContract(async () => {
    const dir = await outboxDir();
    return {
      port: createMailer({ from: FROM, outboxDir: dir }),
      kept: async () =>
        (await readdir(dir).catch(() => [] as string[])).map((f) => f.replace(/\.eml$/, '')).sort(),
    };
  });

  it('also deletes a write cut short and files written before this version, and answers 0 with no outbox', async () => {
    const dir = await outboxDir();
    const a = randomUUID();
    await writeFile(join(dir, `received-${a}.eml`), 'To: person@example.org\n\nold');
    await writeFile(join(dir, `accepted-${a}.eml.tmp`), 'To: person@example.org\n\nhalf');
    await writeFile(join(dir, 'notes.txt'), 'not mail');
    expect(await createMailer({ from: FROM, outboxDir: dir }).forget(a)).toBe(2);
    expect(await readdir(dir)).toEqual(['notes.txt']);
    expect(await createMailer({ from: FROM, outboxDir: join(dir, 'missing') }).forget(a)).toBe(0);
  });
});

describe('mail over SMTP', () => {
  let smtp: SmtpFake;
  beforeAll(async () => {
    smtp = await startSmtpFake();
  });
  afterEach(() => {
    smtp.rcptReply = '250 2.1.5 OK';
  });
  afterAll(async () => {
    await smtp.close();
  });
  const mailer = () => createMailer({ smtpUrl: smtp.url, from: FROM, outboxDir: '/nonexistent' });
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e as AppError,
    );

  it('delivers, and forgets nothing: sent mail is out of our hands', async () => {
    const a = randomUUID();
    await mailer().send(message('received', a));
    expect(smtp.received.at(-1)).toContain(`Message-ID: <received-${a}@kehila>`);
    expect(await mailer().forget(a)).toBe(0);
  });

  it('masks the address in a permanent rejection, which is not retried', async () => {
    smtp.rcptReply = '550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown';
    const error = await failure(mailer().send(message('received', randomUUID())));
    expect(error).toBeInstanceOf(AppError);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('550 5.1.1 <p…@example.org>: Recipient address rejected');
    expect(error?.message).not.toContain('person@');
    expect(JSON.stringify(error)).not.toContain('person@');
  });

  it('masks a temporary failure too, and lets it be retried', async () => {
    smtp.rcptReply = '451 4.7.1 <{rcpt}> greylisted, call 052-1234567 for דנה לוי';
    const error = await failure(mailer().send(message('received', randomUUID(), 'Person@Example.org')));
    expect(error?.retryable).toBe(true);
    expect(error?.message).toContain('<P…@example.org> greylisted, call [phone] for [name]');
    expect(error?.message).not.toMatch(/person@|1234567|דנה/i);
  });

  it("masks the recipient's name as a whole word only", async () => {
    smtp.rcptReply = '550 5.7.1 delivery to Li refused';
    const to = { email: 'li@example.org', name: 'Li' };
    const error = await failure(mailer().send({ ...message('received', randomUUID()), to }));
    expect(error?.message).toContain('550 5.7.1 delivery to [name] refused');
  });
});
