import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createGoogleCalendar, type GoogleCalendarOptions } from '../../integrations/google/calendar.ts';
import { type GoogleFake, startGoogleFake } from '../fakes/google.ts';
import { DEFAULT_CALENDAR } from './calendar.contract.ts';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/**
 * One Google fake for the file, emptied before each test, and a builder of real adapters pointed at it
 * (service-account credentials, no back-off sleeps, a short batch window).
 */
export function googleHarness() {
  const h = {
    fake: undefined as unknown as GoogleFake,
    adapter: (extra: Partial<GoogleCalendarOptions> = {}) =>
      createGoogleCalendar({
        calendarId: DEFAULT_CALENDAR,
        credentials: {
          type: 'service_account',
          clientEmail: 'kehila@example.iam.gserviceaccount.com',
          privateKey: pem,
          subject: 'organiser@example.org',
        },
        rootUrl: h.fake.rootUrl,
        tokenUrl: h.fake.tokenUrl,
        sleep: async () => {},
        batchWindowMs: 5,
        ...extra,
      }),
  };
  beforeAll(async () => {
    h.fake = await startGoogleFake();
  });
  beforeEach(() => {
    h.fake.reset();
  });
  afterAll(async () => {
    await h.fake.close();
  });
  return h;
}
