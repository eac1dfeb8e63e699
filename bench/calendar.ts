import { generateKeyPairSync } from 'node:crypto';
import { createGoogleCalendar } from '../integrations/google/calendar.ts';
import { startGoogleFake } from '../test/fakes/google.ts';
import { loadWorkflows } from '../workflows/index.ts';
import { percentile, type Row, round } from './util.ts';

const LATENCY_MS = 100;

/** Google calls per accepted member (one alone, ten together) and accept → five meetings updated. */
export async function benchCalendar(): Promise<Row[]> {
  const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const fake = await startGoogleFake({ latencyMs: LATENCY_MS });
  const make = () =>
    createGoogleCalendar({
      calendarId: 'programme@example.org',
      credentials: {
        type: 'service_account',
        clientEmail: 'bench@example.iam.gserviceaccount.com',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      rootUrl: fake.rootUrl,
      tokenUrl: fake.tokenUrl,
    });
  const calls = () => fake.calls.filter((c) => c.route !== 'token').length;
  const accept = async (port: ReturnType<typeof make>, email: string) => {
    await Promise.all(
      cohort.meetings.map(async (m) => {
        await port.ensureMeeting(cohort, m);
        await port.addAttendees(cohort, m, [{ email, name: 'x' }]);
      }),
    );
  };
  const meetings = cohort.meetings.length;

  // A worker that has already onboarded someone (its steady state) accepts one more person.
  const port = make();
  await accept(port, 'warm@example.org');
  let before = calls();
  await accept(port, 'alone@example.org');
  const alone = (calls() - before) / meetings;

  before = calls();
  await Promise.all(Array.from({ length: 10 }, (_, i) => accept(port, `together${i}@example.org`)));
  const together = (calls() - before) / (meetings * 10);

  const cold = make();
  fake.reset();
  before = calls();
  await accept(cold, 'first@example.org');
  const coldCalls = (calls() - before) / meetings;

  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await accept(port, `timed${i}@example.org`);
    times.push(performance.now() - t0);
  }
  await fake.close();
  const section = 'calendar';
  return [
    {
      section,
      name: 'Google calls per meeting, one acceptance (warm worker)',
      value: round(alone, 2),
      unit: 'calls',
      goal: '≤ 2',
    },
    {
      section,
      name: 'Google calls per member per meeting, 10 accepted together',
      value: round(together, 2),
      unit: 'calls',
      goal: '< 1',
    },
    {
      section,
      name: 'Google calls per meeting, first acceptance in a fresh worker',
      value: round(coldCalls, 2),
      unit: 'calls',
    },
    {
      section,
      name: `accept → all five meetings updated (fake latency ${LATENCY_MS} ms)`,
      value: round(percentile(times, 95), 0),
      unit: `ms p95 (p50 ${round(percentile(times, 50), 0)} ms)`,
      baseline: { name: 'one Google round trip', value: LATENCY_MS },
    },
  ];
}
