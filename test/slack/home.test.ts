import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { leadHomeSection } from '../../src/checkins/home.ts';
import { type OpenedDatabase, openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { reviewSettings } from '../helpers/pipeline.ts';
import { eventBody, slackHarness, waitFor } from './harness.ts';

const QUEUE = '"text":"ממתינות להצבעה שלך"';
const CHECKINS = '"text":"העדכונים השבועיים שלי"';
// Dana reviews the cohort and leads an action line; Lior only leads one.
const settings = {
  ...reviewSettings(),
  programmes: {
    'negev-partnership': {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        { id: 'math', name: 'מצוינות במתמטיקה', leads: ['UDANA0001'] },
        { id: 'girls', name: 'בנות במדע', leads: ['ULIOR0001'] },
      ],
    },
  },
};

let fake: SlackFake;
let database: OpenedDatabase;
beforeAll(async () => {
  fake = await startSlackFake();
  database = await openDatabase({ dataDir: 'memory' });
});
afterAll(async () => {
  await database.close();
  await fake.close();
});
afterEach(() => {
  fake.calls.length = 0;
});

function setup() {
  const workflows = loadWorkflows(settings);
  const leads = leadHomeSection({ db: database.db, clock: () => new Date(), workflows });
  return slackHarness(database, fake, { settings, homeSections: [leads] });
}

/** Opens the App Home, waits long enough for a second publish to show, and returns every view published. */
async function open(h: ReturnType<typeof setup>, user: string, tab = 'home') {
  await h.post(eventBody({ type: 'app_home_opened', user, tab }), {}, 'application/json');
  if (tab === 'home') await waitFor(() => fake.count('views.publish') >= 1);
  await new Promise((r) => setTimeout(r, 300));
  return fake.calls
    .filter((c) => c.method === 'views.publish' && c.args.user_id === user)
    .map((c) => JSON.stringify(c.args.view));
}

describe('the App Home', () => {
  it('shows a reviewer who also leads an action line both sections, in one views.publish', async () => {
    const h = setup();
    await h.inReview({ fullName: 'מועמדת לסקירה' });
    const views = await open(h, 'UDANA0001');
    expect(views).toHaveLength(1);
    const [view = ''] = views;
    expect(view).toContain(QUEUE);
    expect(view).toContain('מועמדת לסקירה');
    expect(view).toContain(CHECKINS);
    expect(view).toContain('עוד אין עדכונים');
    expect(view).toContain('"action_id":"checkin_pause"');
    expect(view.indexOf(QUEUE)).toBeLessThan(view.indexOf(CHECKINS));
    expect(view).toContain('"type":"divider"');
  });

  it('shows a lead who reviews nothing their check-ins alone, and anyone else a welcome', async () => {
    const h = setup();
    const [lead = ''] = await open(h, 'ULIOR0001');
    expect(lead).toContain(CHECKINS);
    expect(lead).not.toContain(QUEUE);
    fake.calls.length = 0;
    const stranger = await open(h, 'USTRANGER');
    expect(stranger).toHaveLength(1);
    expect(stranger[0]).toContain('שלום!');
    expect(stranger[0]).not.toContain(CHECKINS);
    expect(stranger[0]).not.toContain(QUEUE);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const h = setup();
    expect(await open(h, 'UDANA0001', 'messages')).toHaveLength(0);
  });
});
