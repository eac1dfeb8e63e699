import { sql } from 'kysely';
import ical, { type VEvent } from 'node-ical';
import { afterEach, describe, expect, it } from 'vitest';
import { meetingUid } from '../../src/domain/meetings.ts';
import type { MailMessage } from '../../src/ports.ts';
import type { OpenedDatabase } from '../../src/storage/db.ts';
import { withdraw } from '../../src/usecases/onboarding.ts';
import { decide } from '../../src/usecases/review.ts';
import { leadingTeam2027 } from '../../workflows/leading-team-2027.ts';
import { backends, eventually, randomPrefix } from '../helpers/backends.ts';
import { FaultPlan, recordingCalendar } from '../helpers/fakes.ts';
import { reviewSettings, startTestPipeline } from '../helpers/pipeline.ts';

const COHORT = 'leading-team-2027';
const ORGANIZER = { name: 'רשת muni:STEM', email: 'team@munistem.org.il' };
const shipped = leadingTeam2027.meetings;
type MeetingInput = (typeof shipped)[number];

/** The test settings with the cohort's meetings replaced (arrays in settings replace the shipped ones). */
const withMeetings = (meetings: MeetingInput[]) => {
  const base = reviewSettings();
  return { cohorts: { [COHORT]: { ...base.cohorts[COHORT], meetings } } };
};
/** online-2 moved by three days, an hour later. */
const moved = shipped.map((m) =>
  m.id === 'online-2' ? { ...m, start: '2027-04-18T18:00', end: '2027-04-18T20:00' } : m,
);
const added: MeetingInput = {
  id: 'online-4',
  title: { he: 'מפגש מקוון רביעי', ar: 'اللقاء الرابع عبر الإنترنت', en: 'Fourth online meeting' },
  start: '2027-06-06T17:00',
  end: '2027-06-06T19:00',
  mode: 'online',
  videoLink: 'https://meet.example.org/online-4',
  description: 'מפגש שנוסף.',
};

function calendarOf(message: MailMessage) {
  const content = message.attachments?.[0]?.content ?? '';
  const parsed = ical.sync.parseICS(content);
  return {
    method: parsed.vcalendar?.method,
    events: Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT'),
    raw: content,
  };
}

describe.each(backends)('meetings that change after people were invited, on $name', (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const until = <T>(check: () => Promise<T>, ok: (v: T) => boolean) => eventually(check, ok, 10_000);
  const settle = () => new Promise((r) => setTimeout(r, 800));

  async function openDatabase() {
    const database = await backend.open();
    cleanups.push(() => database.close());
    return database;
  }

  /** One start of the worker role over the same database: a restart is stop() and start again. */
  async function start(
    database: OpenedDatabase,
    settings: unknown,
    calendar?: ReturnType<typeof recordingCalendar>,
    prefix?: string,
  ) {
    const t = await startTestPipeline({
      database,
      settings,
      organizer: ORGANIZER,
      ...(calendar ? { calendar } : {}),
      ...(prefix ? { prefix } : {}),
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await t.stop();
    };
    cleanups.push(stop);
    return { ...t, stop };
  }

  /** Two people accepted and onboarded under the meetings as shipped. */
  async function twoMembers(database: OpenedDatabase, calendar?: ReturnType<typeof recordingCalendar>) {
    const t = await start(database, withMeetings(shipped), calendar);
    const ids: string[] = [];
    for (const email of ['first@example.org', 'second@example.org']) {
      const { id } = await t.submit({ email });
      await until(
        () => t.status(id),
        (s) => s === 'in_review',
      );
      await decide(t.reviewCtx, { applicationId: id, outcome: 'accepted', actor: 'staff', byName: 'Staff' });
      ids.push(id);
    }
    for (const id of ids) {
      expect(
        await until(
          () => t.status(id),
          (s) => s === 'onboarded',
        ),
      ).toBe('onboarded');
    }
    await t.stop();
    return ids;
  }

  const key = (meetingId: string) => `${COHORT}/${meetingId}`;
  const members = ['first@example.org', 'second@example.org'];

  it('Google: a moved meeting is patched once with its attendees kept; a second restart writes nothing', async () => {
    const database = await openDatabase();
    const calendar = recordingCalendar();
    await twoMembers(database, calendar);
    const writes = calendar.writes;

    const after = await start(database, withMeetings(moved), calendar);
    const start2 = async () => calendar.events.get(key('online-2'))?.meeting.start;
    expect(await until(start2, (s) => s === '2027-04-18T18:00')).toBe('2027-04-18T18:00');
    await settle();
    expect(calendar.writes - writes).toBe(1);
    expect(calendar.attendees.get(key('online-2'))).toEqual(members);
    expect(calendar.events.get(key('online-1'))?.sequence).toBe(0);
    expect(after.mail.sent.size).toBe(0);
    await after.stop();

    const again = await start(database, withMeetings(moved), calendar);
    await settle();
    expect(calendar.writes - writes).toBe(1);
    expect(again.mail.sent.size).toBe(0);
  });

  it('Google: a sync that fails is retried and still patches the event once', async () => {
    const database = await openDatabase();
    const faults = new FaultPlan();
    const calendar = recordingCalendar(faults);
    await twoMembers(database, calendar);
    const writes = calendar.writes;
    faults.times = 2;

    await start(database, withMeetings(moved), calendar);
    const start2 = async () => calendar.events.get(key('online-2'))?.meeting.start;
    expect(await until(start2, (s) => s === '2027-04-18T18:00')).toBe('2027-04-18T18:00');
    await settle();
    expect(faults.times).toBe(0);
    expect(calendar.writes - writes).toBe(1);
    expect(calendar.attendees.get(key('online-2'))).toEqual(members);
  });

  it('Google: a new meeting gets every member, a removed one is cancelled', async () => {
    const database = await openDatabase();
    const calendar = recordingCalendar();
    await twoMembers(database, calendar);

    const withoutThird = shipped.filter((m) => m.id !== 'online-3');
    await start(database, withMeetings([...withoutThird, added]), calendar);
    const joined = async () => calendar.attendees.get(key('online-4')) ?? [];
    expect(await until(joined, (list) => list.length === 2)).toEqual(members);
    expect(
      await until(
        async () => calendar.events.get(key('online-3'))?.status,
        (s) => s === 'cancelled',
      ),
    ).toBe('cancelled');
    expect(calendar.events.get(key('online-4'))?.meeting.videoLink).toBe(added.videoLink);
  });

  it('.ics: each member gets one update with METHOD:REQUEST and SEQUENCE 1; a second restart sends nothing', async () => {
    const database = await openDatabase();
    const ids = await twoMembers(database);

    const after = await start(database, withMeetings(moved));
    const sent = await until(
      async () => [...after.mail.sent.values()],
      (list) => list.length >= 2,
    );
    await settle();
    expect(after.mail.sent.size).toBe(2);
    for (const [i, id] of ids.entries()) {
      const mine = [...after.mail.sent.entries()].filter(([k]) => k.endsWith(`-${id}`));
      expect(mine).toHaveLength(1);
      const [, message] = mine[0]!;
      expect(message.to.email).toBe(members[i]);
      const ics = calendarOf(message);
      expect(ics.method).toBe('REQUEST');
      expect(ics.events).toHaveLength(1);
      const [event] = ics.events;
      expect(event?.uid).toBe(meetingUid(COHORT, 'online-2'));
      expect(Number(event?.sequence)).toBe(1);
      // 18:00 in Israel summer time.
      expect(event?.start?.toISOString()).toBe('2027-04-18T15:00:00.000Z');
      expect(ics.raw).toContain(`mailto:${ORGANIZER.email}`);
      expect(message.text).toContain('מפגש מקוון שני');
    }
    expect(sent.every((m) => m.attachments?.[0]?.contentType.includes('method=REQUEST'))).toBe(true);
    await after.stop();

    const again = await start(database, withMeetings(moved));
    await settle();
    expect(again.mail.sent.size).toBe(0);

    // A withdrawal after the update cancels with a SEQUENCE above it, or the client keeps the update.
    await withdraw(again.reviewCtx, { applicationId: ids[0]!, actor: 'staff' });
    const notice = await until(async () => again.mail.sent.get(`withdrawn-${ids[0]}`), Boolean);
    const cancel = calendarOf(notice!);
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.events.every((e) => Number(e.sequence) === 2)).toBe(true);
  });

  it('.ics: processes that start together with the same settings tell each member once', async () => {
    const database = await openDatabase();
    const ids = await twoMembers(database);
    const prefix = randomPrefix('sync');
    const both = await Promise.all([
      start(database, withMeetings(moved), undefined, prefix),
      start(database, withMeetings(moved), undefined, prefix),
    ]);
    const sent = () => both.flatMap((t) => [...t.mail.sent.values()]);
    await until(
      async () => sent().length,
      (n) => n >= 2,
    );
    await settle();
    const keys = both.flatMap((t) => [...t.mail.sent.keys()]);
    expect(keys).toHaveLength(2);
    for (const id of ids) expect(keys.filter((k) => k.endsWith(`-${id}`))).toHaveLength(1);
  });

  it('.ics: a removed meeting brings a CANCEL and a new one a REQUEST, with the next SEQUENCE', async () => {
    const database = await openDatabase();
    const ids = await twoMembers(database);
    const first = await start(database, withMeetings(moved));
    await until(
      async () => first.mail.sent.size,
      (n) => n === 2,
    );
    await first.stop();

    const withoutThird = moved.filter((m) => m.id !== 'online-3');
    const t = await start(database, withMeetings([...withoutThird, added]));
    await until(
      async () => t.mail.sent.size,
      (n) => n >= 4,
    );
    await settle();
    expect(t.mail.sent.size).toBe(4);
    for (const id of ids) {
      const mine = [...t.mail.sent.entries()].filter(([k]) => k.endsWith(`-${id}`)).map(([, m]) => m);
      const byMethod = new Map(mine.map((m) => [calendarOf(m).method, calendarOf(m)]));
      expect([...byMethod.keys()].sort()).toEqual(['CANCEL', 'REQUEST']);
      const cancel = byMethod.get('CANCEL')!;
      expect(cancel.events.map((e) => [e.uid, Number(e.sequence), e.status])).toEqual([
        [meetingUid(COHORT, 'online-3'), 2, 'CANCELLED'],
      ]);
      const request = byMethod.get('REQUEST')!;
      expect(request.events.map((e) => [e.uid, Number(e.sequence)])).toEqual([
        [meetingUid(COHORT, 'online-4'), 2],
      ]);
    }
  });

  it('the first start with records of its own tells nobody: the meetings as they are become the baseline', async () => {
    const database = await openDatabase();
    await twoMembers(database);
    // A database from before meetings were recorded: nothing says what people were invited to.
    await sql`DELETE FROM meeting_syncs`.execute(database.db);

    const t = await start(database, withMeetings(moved));
    const rows = async () =>
      (await sql<{ sequence: number }>`SELECT sequence FROM meeting_syncs`.execute(database.db)).rows;
    expect(await until(rows, (r) => r.length === 5)).toHaveLength(5);
    await settle();
    expect(t.mail.sent.size).toBe(0);
    expect((await rows()).every((r) => r.sequence === 0)).toBe(true);
  });
});
