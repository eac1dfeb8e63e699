import { createMailer } from '../../integrations/mail/index.ts';
import { applicantPages } from '../../src/applicant-pages.ts';
import { createApp } from '../../src/http/app.tsx';
import { formTokens } from '../../src/http/form-token.ts';
import { memoryRateLimiter } from '../../src/http/rate-limit.ts';
import type { SmtpFake } from '../fakes/smtp.ts';
import { FORM_SECRET, ORIGIN } from '../helpers/app.ts';
import type { Backend } from '../helpers/backends.ts';
import { eventually } from '../helpers/backends.ts';
import { recordingCards } from '../helpers/fakes.ts';
import { decodeWords, type MimePart, parseMime, partOf } from '../helpers/mime.ts';
import { pipelinesOn, reviewSettings } from '../helpers/pipeline.ts';

export const LINK_SECRET = 'the-installation-link-secret-0123456789';

/**
 * The real pipeline (mail through an SMTP fake, the card on a recording port) and the real HTTP app with the
 * applicant's page, on one database and one clock that a test can move forward.
 */
export function myApplicationHarness(backend: Backend, smtp: () => SmtpFake) {
  const setup = pipelinesOn(backend);
  return async function start() {
    let skewMs = 0;
    const clock = () => new Date(Date.now() + skewMs);
    const cards = recordingCards();
    const used = new Set<string>();
    const t = await setup({
      clock,
      cards,
      mail: createMailer({ smtpUrl: smtp().url, from: 'kehila <no-reply@kehila.example>', outboxDir: '' }),
      settings: reviewSettings(),
      applicantLinks: { secret: LINK_SECRET, days: 30 },
    });
    const app = createApp({
      workflows: t.workflows,
      publicUrl: ORIGIN,
      clock,
      formTokens: formTokens(FORM_SECRET),
      limits: {
        ip: memoryRateLimiter({ limit: 1000, windowMs: 60_000 }),
        email: memoryRateLimiter({ limit: 1000, windowMs: 60_000 }),
      },
      formTokenFirstUse: async (tokenId) => {
        if (used.has(tokenId)) return false;
        used.add(tokenId);
        return true;
      },
      clientIp: () => '203.0.113.1',
      submit: async () => {
        throw new Error('not in these tests');
      },
      readiness: async () => ({}),
      logger: { info: () => {}, warn: () => {}, error: () => {} },
      applicant: applicantPages(
        { db: t.db, workflows: t.workflows, clock, poke: t.pipeline.relay.poke },
        LINK_SECRET,
      ),
    });

    /** The message whose Message-ID starts with this key, once the SMTP fake has it. */
    // A long Message-ID is folded onto the next line, so it is read from the parsed headers.
    const mailsOf = (key: string) =>
      smtp()
        .received.map(parseMime)
        .filter((m) => m.headers.get('message-id')?.startsWith(`<${key}`));
    const mailOf = async (key: string): Promise<MimePart> => {
      const found = await eventually(async () => mailsOf(key)[0], Boolean, 40_000);
      if (!found) throw new Error(`no message ${key}`);
      return found;
    };
    const linkIn = (message: MimePart) => {
      const text = partOf(message, 'text/plain')?.body ?? '';
      return /http:\/\/localhost:3000(\/apply\/my\/[A-Za-z0-9_.-]+)/.exec(text)?.[1] ?? '';
    };
    const subjectOf = (message: MimePart) => decodeWords(message.headers.get('subject') ?? '');

    const post = (path: string, fields: Record<string, string | string[]>, origin = ORIGIN) => {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const item of [v].flat()) body.append(k, item);
      return app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
        body: body.toString(),
      });
    };
    const tokenOf = (html: string) => /name="formToken" value="([^"]*)"/.exec(html)?.[1] ?? '';

    /** A submitted application in review, and the link its received e-mail carried. */
    const applied = async (overrides: Record<string, unknown> = {}) => {
      const body = await t.submit(overrides);
      const received = await mailOf(`received-${body.id}`);
      await eventually(
        () => t.status(body.id),
        (s) => s === 'in_review',
      );
      await eventually(
        async () => [...cards.cards.values()].find((v) => v.applicationId === body.id),
        Boolean,
      );
      return { id: body.id, received, link: linkIn(received) };
    };
    const cardOf = (id: string) => [...cards.cards.values()].find((v) => v.applicationId === id);

    return {
      t,
      app,
      cards,
      cardOf,
      mailOf,
      mailsOf,
      linkIn,
      subjectOf,
      post,
      tokenOf,
      applied,
      skew: (ms: number) => {
        skewMs += ms;
      },
    };
  };
}
