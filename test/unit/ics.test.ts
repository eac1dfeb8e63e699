import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { cohortCalendar } from '../../integrations/ics/index.ts';
import { meetingUid } from '../../src/domain/meetings.ts';
import { loadWorkflows } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;

function events(text: string) {
  return Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
}

describe('the cohort feed', () => {
  const text = cohortCalendar(cohort, { publicUrl: 'https://kehila.example.org' });

  it('parses back with an independent parser, one event per meeting with stable UIDs', () => {
    const parsed = events(text);
    expect(parsed.map((e) => e.uid)).toEqual(cohort.meetings.map((m) => meetingUid(cohort.id, m.id)));
    expect(text).toContain('BEGIN:VTIMEZONE');
    expect(text).toMatch(/DTSTAMP:\d{8}T\d{6}Z/);
    expect(text).not.toContain('METHOD:');
  });

  it("places every meeting at the right instant across Israel's 2027 DST change (26 March)", () => {
    const byUid = new Map(events(text).map((e) => [e.uid, e]));
    const at = (id: string) => byUid.get(meetingUid(cohort.id, id));
    // 11 March: standard time, UTC+2.
    expect(at('opening-day')?.start?.toISOString()).toBe('2027-03-11T07:00:00.000Z');
    expect(at('opening-day')?.end?.toISOString()).toBe('2027-03-11T14:00:00.000Z');
    // 28 March: summer time, UTC+3.
    expect(at('online-1')?.start?.toISOString()).toBe('2027-03-28T14:00:00.000Z');
    expect(at('closing-day')?.start?.toISOString()).toBe('2027-06-23T06:00:00.000Z');
  });

  it('escapes text so commas, semicolons, backslashes and newlines survive the round trip', () => {
    const tricky = {
      ...cohort,
      meetings: [
        { ...cohort.meetings[0]!, title: { he: 'א, ב; ג\\ד', en: 'x' }, description: 'שורה 1\nשורה 2; סוף' },
      ],
    };
    const [event] = events(cohortCalendar(tricky, { publicUrl: 'https://kehila.example.org' }));
    expect(event?.summary).toBe('א, ב; ג\\ד');
    expect(String(event?.description)).toContain('שורה 1\nשורה 2; סוף');
  });

  it('is an invitation for one person with METHOD:REQUEST and the attendee', () => {
    const invite = cohortCalendar(cohort, {
      publicUrl: 'https://kehila.example.org',
      attendee: { name: 'נועה כהן', email: 'noa@example.org' },
    });
    expect(invite).toContain('METHOD:REQUEST');
    const [event] = events(invite);
    const attendee = Array.isArray(event?.attendee) ? event?.attendee[0] : event?.attendee;
    expect(JSON.stringify(attendee)).toContain('noa@example.org');
  });
});
