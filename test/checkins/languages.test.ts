import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackCheckins } from '../../integrations/slack/checkins.ts';
import { createSlackWebClient } from '../../integrations/slack/web-client.ts';
import type { CheckinContext } from '../../src/checkins/context.ts';
import { leadHomeSection } from '../../src/checkins/home.ts';
import { registerCheckinListeners } from '../../src/checkins/listeners.ts';
import { tick } from '../../src/checkins/rounds.ts';
import { weekOf } from '../../src/checkins/schedule.ts';
import { createSlackApp } from '../../src/slack/app.ts';
import { slackReviewDeps } from '../../src/slack/wiring.ts';
import { openDatabase } from '../../src/storage/db.ts';
import { loadWorkflows } from '../../workflows/index.ts';
import { type SlackFake, startSlackFake } from '../fakes/slack.ts';
import { interactivityBody, SIGNING_SECRET, slackHeaders } from '../helpers/slack-sign.ts';
import { eventBody, waitFor } from '../slack/harness.ts';

// Layla leads in Arabic, Emma in English, Noa in Hebrew because the settings name her by her id alone.
const LAYLA = 'ULAYLA001';
const EMMA = 'UEMMA0001';
const NOA = 'UNOA00001';
const FSI = '\u2068';
const PDI = '\u2069';
const workflows = loadWorkflows({
  programmes: {
    'negev-partnership': {
      leadershipChannel: 'CLEADERS',
      actionLines: [
        {
          id: 'math',
          name: 'מצוינות במתמטיקה',
          names: { ar: 'التميز في الرياضيات', en: 'Excellence in mathematics' },
          leads: [{ id: LAYLA, lang: 'ar' }],
        },
        {
          id: 'girls',
          name: 'בנות במדע',
          names: { en: 'Girls in science' },
          leads: [{ id: EMMA, lang: 'en' }],
        },
        { id: 'industry', name: 'תעשייה <וקהילה>', leads: [NOA] },
      ],
    },
  },
});
const programme = workflows.programmes.get('negev-partnership')!;
const logger = pino({ level: 'silent' });
const WAIT = 20_000;

let fake: SlackFake;
beforeAll(async () => {
  fake = await startSlackFake();
});
afterAll(async () => {
  await fake.close();
});

/** Check-ins through the real Bolt app and Web API client, on a clock the test moves. */
async function setup(start: string) {
  const database = await openDatabase({ dataDir: 'memory' });
  fake.calls.length = 0;
  fake.messages.length = 0;
  let now = new Date(start);
  const clock = () => now;
  const client = createSlackWebClient({ token: 'xoxb-t', slackApiUrl: fake.url });
  const ctx: CheckinContext = {
    db: database.db,
    workflows,
    clock,
    slack: slackCheckins(client, { paceMs: 0 }),
    logger,
  };
  const reviewCtx = { db: database.db, workflows, clock, publicUrl: 'http://x', poke: () => {} };
  const { app, receiver, publishHome } = createSlackApp({
    token: 'xoxb-t',
    signingSecret: SIGNING_SECRET,
    client,
    slackApiUrl: fake.url,
    clock: () => new Date(),
    logger,
    publicUrl: 'http://x',
    review: slackReviewDeps(reviewCtx, logger),
    homeSections: [leadHomeSection(ctx)],
  });
  registerCheckinListeners(app, { ctx, client, publishHome });
  const routes = receiver.routes();
  const send = async (body: string, type: string) =>
    routes.request('/events', {
      method: 'POST',
      headers: { 'content-type': type, ...(await slackHeaders(body)) },
      body,
    });
  const interact = (user: string, payload: object) =>
    send(
      interactivityBody({ team: { id: 'TTEAM' }, user: { id: user }, ...payload }),
      'application/x-www-form-urlencoded',
    );
  const click = (user: string, actionId: string, value = actionId) =>
    interact(user, {
      type: 'block_actions',
      trigger_id: `t${Math.random()}`,
      actions: [{ type: 'button', action_id: actionId, value, action_ts: `${Date.now() / 1000}` }],
    });
  const submitView = (user: string, callbackId: string, metadata: string, values: object) =>
    interact(user, {
      type: 'view_submission',
      view: {
        id: 'V1',
        hash: `h${Math.random()}`,
        callback_id: callbackId,
        private_metadata: metadata,
        state: { values },
      },
    });
  const opened = () =>
    fake.calls.filter((c) => c.method === 'views.open').map((c) => JSON.stringify(c.args.view));
  const published = (user: string) =>
    fake.calls
      .filter((c) => c.method === 'views.publish' && c.args.user_id === user)
      .map((c) => JSON.stringify(c.args.view));
  const home = async (user: string) => {
    const before = published(user).length;
    await send(eventBody({ type: 'app_home_opened', user, tab: 'home' }), 'application/json');
    await waitFor(() => published(user).length > before, WAIT);
    return published(user).at(-1) ?? '';
  };
  const dmsTo = (user: string) => fake.messages.filter((m) => m.channel === `D${user}`);
  const at = async (when: Date) => {
    now = when;
    await tick(ctx);
  };
  return { database, click, submitView, opened, published, home, dmsTo, at };
}

const answer = (progress: string) => ({
  progress: { value: { value: progress } },
  next_steps: { value: { value: 'ورشة ثانية' } },
  blockers: { value: { value: '' } },
  status: { value: { selected_option: { value: 'green' } } },
  help_needed: { value: { value: '' } },
});

describe("each lead's check-ins in their own language", () => {
  it('prompts, reminds, opens the form, confirms and shows the App Home in Arabic, English and Hebrew', async () => {
    const s = await setup('2027-06-12T10:00:00Z');
    const week = weekOf(programme, new Date('2027-06-13T08:00:00Z'));
    await s.at(week.promptAt);

    const [toLayla] = s.dmsTo(LAYLA);
    expect(toLayla?.text).toBe(`التحديث الأسبوعي عن التميز في الرياضيات لأسبوع ${FSI}13–17 يونيو 2027${PDI}`);
    const laylaBlocks = JSON.stringify(toLayla?.blocks);
    expect(laylaBlocks).toContain('*شراكة النقب للتميز في العلوم والتكنولوجيا*');
    expect(laylaBlocks).toContain('ما الذي تحقق هذا الأسبوع في مسار *التميز في الرياضيات*؟');
    expect(laylaBlocks).toContain(`يمكن إرسال التحديث حتى ${FSI}الثلاثاء، 15 يونيو في 12:00${PDI}.`);
    expect(laylaBlocks).toContain('"text":"كتابة التحديث"');
    expect(laylaBlocks).not.toMatch(/[\u0590-\u05FF]/);

    const [toEmma] = s.dmsTo(EMMA);
    expect(toEmma?.text).toMatch(/^Weekly check-in on Girls in science for 13\s?–\s?17 June 2027$/);
    const emmaBlocks = JSON.stringify(toEmma?.blocks);
    expect(emmaBlocks).toContain('*Negev STEM-excellence partnership*');
    expect(emmaBlocks).toContain('What moved forward in *Girls in science* this week?');
    expect(emmaBlocks).toContain('You can send it until Tuesday 15 June at 12:00.');
    expect(emmaBlocks).toContain('"text":"Write the update"');
    expect(emmaBlocks).not.toMatch(/[\u0590-\u05FF\u0600-\u06FF\u2068]/);

    // Hebrew by default, and the name from the settings still escaped for mrkdwn.
    const [toNoa] = s.dmsTo(NOA);
    expect(toNoa?.text).toBe(`עדכון שבועי על תעשייה &lt;וקהילה&gt; לשבוע ${FSI}13–17 ביוני 2027${PDI}`);
    expect(JSON.stringify(toNoa?.blocks)).toContain('מה התקדם השבוע בכיוון הפעולה *תעשייה &lt;וקהילה&gt;*?');
    expect(JSON.stringify(toNoa?.blocks)).toContain('"text":"כתיבת העדכון"');

    await s.at(week.reminderAt);
    expect(s.dmsTo(LAYLA)[1]?.text).toBe(
      `<@${LAYLA}> تذكير: لم يصلنا بعد التحديث الأسبوعي عن التميز في الرياضيات.`,
    );
    expect(s.dmsTo(EMMA)[1]?.text).toBe(
      `<@${EMMA}> Reminder: the weekly check-in on Girls in science has not been sent yet.`,
    );
    expect(s.dmsTo(NOA)[1]?.text).toContain('תזכורת: העדכון השבועי על');

    const { id: roundId } = await s.database.db
      .selectFrom('checkin_rounds')
      .select('id')
      .executeTakeFirstOrThrow();
    await s.click(LAYLA, 'checkin_answer', `${roundId}|math`);
    await waitFor(() => s.opened().length === 1, WAIT);
    const form = s.opened()[0] ?? '';
    for (const text of [
      '"text":"التحديث الأسبوعي"',
      '"text":"إرسال"',
      '"text":"إلغاء"',
      '"text":"ما الذي تحقق هذا الأسبوع؟"',
      '"text":"الخطوات التالية"',
      '"text":"العوائق"',
      '"text":"ما الذي يعيق التقدم، إن وجد."',
      '"text":"🟢 على المسار الصحيح"',
      '"text":"🔴 متعثر"',
      `*التميز في الرياضيات* · ${FSI}13–17 يونيو 2027${PDI}`,
    ])
      expect(form).toContain(text);
    expect(form).not.toMatch(/[\u0590-\u05FF]/);

    const incomplete = await s.submitView(LAYLA, 'checkin_answer', `${roundId}|math`, answer(' '));
    expect(await incomplete.json()).toEqual({
      response_action: 'errors',
      errors: { progress: 'يرجى تعبئة ما تحقق والخطوات التالية والحالة.' },
    });
    const saved = await s.submitView(LAYLA, 'checkin_answer', `${roundId}|math`, answer('ورشة للطالبات'));
    const confirmation = (await saved.json()) as { response_action: string; view: unknown };
    expect(confirmation.response_action).toBe('update');
    const thanks = JSON.stringify(confirmation.view);
    expect(thanks).toContain('"text":"تم استلام التحديث"');
    expect(thanks).toContain('"text":"إغلاق"');
    expect(thanks).toContain(
      `شكرا! تم استلام التحديث عن *التميز في الرياضيات* لأسبوع ${FSI}13–17 يونيو 2027${PDI}`,
    );
    expect(thanks).toContain(`حتى ${FSI}الثلاثاء، 15 يونيو في 12:00${PDI}`);

    // Emma answering Layla's line is refused in English.
    const refused = await s.submitView(EMMA, 'checkin_answer', `${roundId}|math`, answer('x'));
    expect(await refused.json()).toEqual({
      response_action: 'errors',
      errors: { progress: 'Only the leads of this action line can send its check-in.' },
    });

    const laylaHome = await s.home(LAYLA);
    expect(laylaHome).toContain('"text":"تحديثاتي الأسبوعية"');
    expect(laylaHome).toContain('*شراكة النقب للتميز في العلوم والتكنولوجيا* · تحديث واحد حتى الآن');
    expect(laylaHome).toContain(`*${FSI}13–17 يونيو 2027${PDI}* — التميز في الرياضيات 🟢 على المسار الصحيح`);
    expect(laylaHome).toContain('"text":"إيقاف التحديثات مؤقتا"');
    expect(laylaHome).not.toMatch(/[\u0590-\u05FF]/);
    const emmaHome = await s.home(EMMA);
    expect(emmaHome).toContain('"text":"My weekly check-ins"');
    expect(emmaHome).toContain('No check-ins yet.');
    expect(emmaHome).toContain('"text":"Pause check-ins"');
    const noaHome = await s.home(NOA);
    expect(noaHome).toContain('"text":"העדכונים השבועיים שלי"');
    expect(noaHome).toContain('"text":"השהיית העדכונים"');

    // The leadership reads its digest in Hebrew, whatever the leads' languages.
    await s.at(week.closeAt);
    const digest = fake.messages.find((m) => m.channel === 'CLEADERS' && m.text?.startsWith('סיכום שבועי'));
    expect(JSON.stringify(digest?.blocks)).toContain('לא עדכנו: בנות במדע, תעשייה &lt;וקהילה&gt;');
    const reply = fake.messages.find(
      (m) => m.channel === 'CLEADERS' && m.text?.startsWith('מצוינות במתמטיקה'),
    );
    expect(reply?.text).toBe('מצוינות במתמטיקה: 🟢 במסלול');
    await s.database.close();
  }, 180_000);

  it('pauses in the lead’s language: the form, its refusal and the App Home with the days to go', async () => {
    const s = await setup('2027-06-14T10:00:00Z');
    await s.click(LAYLA, 'checkin_pause');
    await waitFor(() => s.opened().length === 1, WAIT);
    const form = s.opened()[0] ?? '';
    for (const text of [
      '"text":"إيقاف التحديثات مؤقتا"',
      '"text":"إيقاف مؤقت"',
      '"text":"حتى تاريخ (شاملا)"',
    ])
      expect(form).toContain(text);
    const until = (day: string, reason = '') => ({
      until: { value: { selected_date: day } },
      reason: { value: { value: reason } },
    });
    const past = await s.submitView(LAYLA, 'checkin_pause', '', until('2027-06-13'));
    expect(await past.json()).toEqual({
      response_action: 'errors',
      errors: { until: 'هذا التاريخ قد مضى. يرجى اختيار تاريخ اليوم أو تاريخ لاحق.' },
    });
    const far = await s.submitView(EMMA, 'checkin_pause', '', until('2029-01-01'));
    expect(await far.json()).toEqual({
      response_action: 'errors',
      errors: { until: 'You can pause for up to a year ahead.' },
    });
    await s.submitView(LAYLA, 'checkin_pause', '', until('2027-06-20', '<!channel> إجازة'));
    await waitFor(() => s.published(LAYLA).length === 1, WAIT);
    const paused = s.published(LAYLA)[0] ?? '';
    expect(paused).toContain(
      `⏸️ التحديثات الأسبوعية متوقفة مؤقتا حتى ${FSI}20 يونيو 2027${PDI} (شاملا هذا اليوم). المدة المتبقية: 7 أيام.`,
    );
    expect(paused).toContain('السبب: &lt;!channel&gt; إجازة');
    expect(paused).toContain('"text":"استئناف التحديثات"');
    await s.submitView(EMMA, 'checkin_pause', '', until('2027-06-15'));
    await waitFor(() => s.published(EMMA).length === 1, WAIT);
    expect(s.published(EMMA)[0]).toContain(
      'Your weekly check-ins are paused until 15 June 2027 (inclusive): 2 days to go.',
    );
    await s.database.close();
  }, 120_000);
});
