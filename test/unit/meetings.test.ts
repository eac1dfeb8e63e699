import { describe, expect, it } from 'vitest';
import { meetingFingerprint, meetingText } from '../../src/domain/meetings.ts';
import { loadWorkflows, type Meeting } from '../../workflows/index.ts';

const cohort = loadWorkflows().cohorts.get('leading-team-2027')!;
const opening = cohort.meetings.find((m) => m.id === 'opening-day')!;
const online = cohort.meetings.find((m) => m.id === 'online-1')!;

describe('meetingFingerprint', () => {
  it('is a 64-bit hex digest that does not change between releases', () => {
    // Pinned: a new value here would make every stored fingerprint look stale, and every member be sent
    // an update of every meeting at the next sync.
    expect(meetingFingerprint(opening)).toMatch(/^[0-9a-f]{16}$/);
    expect(meetingFingerprint(opening)).toBe(meetingFingerprint(structuredClone(opening)));
    expect(meetingFingerprint(opening)).toBe('72ff246cb8d7bf5c');
  });

  it('changes with everything an invitation shows', () => {
    const changes: Partial<Meeting>[] = [
      { start: '2027-03-11T09:30' },
      { end: '2027-03-11T16:30' },
      { title: { he: 'מפגש פתיחה — מועד חדש', ar: opening.title.ar, en: opening.title.en } },
      { address: 'בית העם, ירוחם' },
      { description: 'סדר יום מעודכן.' },
      { mode: 'online', videoLink: 'https://zoom.example.org/j/1' },
    ];
    const prints = changes.map((change) => meetingFingerprint({ ...opening, ...change }));
    expect(new Set([meetingFingerprint(opening), ...prints]).size).toBe(changes.length + 1);
    expect(meetingFingerprint({ ...online, videoLink: 'https://zoom.example.org/j/2' })).not.toBe(
      meetingFingerprint({ ...online, videoLink: 'https://zoom.example.org/j/3' }),
    );
  });

  it('ignores what no invitation shows: the English title and the meeting id', () => {
    expect(meetingFingerprint({ ...opening, title: { ...opening.title, en: 'Kick-off' } })).toBe(
      meetingFingerprint(opening),
    );
    expect(meetingFingerprint({ ...opening, id: 'renamed' })).toBe(meetingFingerprint(opening));
  });
});

describe('meetingText', () => {
  it('puts an online link in the location and at the end of the description', () => {
    const text = meetingText({ ...online, videoLink: 'https://zoom.example.org/j/1' });
    expect(text.location).toBe('https://zoom.example.org/j/1');
    expect(text.description).toBe(`${online.description}\nקישור: https://zoom.example.org/j/1`);
    expect(text.link).toBe('https://zoom.example.org/j/1');
  });

  it('puts the address in the location of a meeting in person, and no link', () => {
    expect(meetingText(opening)).toEqual({
      summary: opening.title.he,
      location: opening.address,
      description: opening.description,
    });
  });
});
