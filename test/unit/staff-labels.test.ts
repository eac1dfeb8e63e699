import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STATUSES, STEP_NAMES } from '../../src/domain/lifecycle.ts';
import {
  actorLabelHe,
  eventLabelHe,
  STATUS_HE,
  STEP_HE,
  STEP_STATUS_HE,
  timelineEntryHe,
} from '../../src/domain/staff-labels.ts';

const HEBREW = /[\u0590-\u05FF]/;
const CODE = /[a-z]+_[a-z]+|^[a-z]+$/;

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
  return Promise.all(files.map((f) => readFile(f, 'utf8')));
}

/**
 * Every timeline type the code can write, read from the source the way a reviewer would grep it: the type
 * argument of `addEvent`, a transition's `event`, a transition without one (`status_<to>`), and the rows
 * inserted into application_events by hand.
 */
async function writtenEventTypes(): Promise<Set<string>> {
  const texts = [...(await sources('src/usecases')), ...(await sources('src/storage'))];
  const found = new Set<string>();
  for (const text of texts) {
    for (const m of text.matchAll(/addEvent\(\s*[^,]+,\s*[^,]+,\s*[^,]+,\s*([^,]+),/g)) {
      const arg = m[1] ?? '';
      for (const lit of arg.matchAll(/'([a-z_]+)'/g)) found.add(lit[1] ?? '');
      const family = /`([a-z_]+)\$\{/.exec(arg)?.[1];
      // The transition helper writes `status_<to>` for a move with no event of its own.
      if (family === 'step_') for (const s of Object.keys(STEP_STATUS_HE)) found.add(`step_${s}`);
      else if (family === 'status_') for (const s of STATUSES) found.add(`status_${s}`);
      else if (family) found.add(`${family}<unknown>`);
    }
    for (const m of text.matchAll(/\bevent: '([a-z_]+)'/g)) found.add(m[1] ?? '');
    for (const m of text.matchAll(/insertInto\('application_events'\)[\s\S]{0,300}?type: '([a-z_]+)'/g))
      found.add(m[1] ?? '');
    for (const m of text.matchAll(/INSERT INTO application_events[^;]*?'[a-z]+', '([a-z_]+)'/g))
      found.add(m[1] ?? '');
  }
  return found;
}

describe('the staff label tables', () => {
  it('label every status of the lifecycle, every step and every step status in Hebrew', () => {
    for (const s of STATUSES) expect(STATUS_HE[s], s).toMatch(HEBREW);
    for (const s of STEP_NAMES) expect(STEP_HE[s], s).toMatch(HEBREW);
    for (const [s, he] of Object.entries(STEP_STATUS_HE)) expect(he, s).toMatch(HEBREW);
  });

  it('label every timeline type the code writes', async () => {
    const types = await writtenEventTypes();
    // The scan itself must see the known writers, or a change in how they are written would pass unseen.
    for (const known of [
      'submitted',
      'resubmitted',
      'erased',
      'screened',
      'decided',
      'vote_cast',
      'vote_changed',
      'step_done',
      'step_failed',
      'status_withdrawn',
    ])
      expect(types, known).toContain(known);
    expect(types.size).toBeGreaterThan(20);
    const missing = [...types].filter((t) => !eventLabelHe(t));
    expect(missing).toEqual([]);
    for (const type of types) {
      const label = eventLabelHe(type, { step: 'calendar', outcome: 'accepted' });
      expect(label, type).toMatch(HEBREW);
      expect(label, type).not.toMatch(CODE);
    }
  });

  it('read a timeline entry in Hebrew with who acted', () => {
    expect(timelineEntryHe({ type: 'submitted', actor: 'applicant', data: {} })).toBe('הבקשה הוגשה (הפונה)');
    expect(timelineEntryHe({ type: 'step_done', actor: 'system', data: { step: 'calendar' } })).toBe(
      'שלב הושלם: זימונים ליומן (המערכת)',
    );
    expect(
      timelineEntryHe({ type: 'decided', actor: 'coord@example.org', data: { outcome: 'declined' } }),
    ).toBe('החלטה: הבקשה לא התקבלה (coord@example.org)');
    expect(actorLabelHe('reviewer:U123')).toBe('צוות המיון: U123');
    expect(actorLabelHe('api-token')).toMatch(HEBREW);
    expect(eventLabelHe('no_such_event')).toBeUndefined();
  });
});
