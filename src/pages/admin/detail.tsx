import type { Cohort } from '../../../workflows/index.ts';
import {
  EMAIL_CONFIRMED_HE,
  FLAG_HE,
  labelOf,
  STATUS_HE,
  STEP_HE,
  STEP_STATUS_HE,
  timelineEntryHe,
} from '../../domain/staff-labels.ts';
import type { ApplicationRow, EventRow } from '../../storage/schema.ts';
import { reviewerKey } from '../../usecases/review-view.ts';
import { LANG_NAMES } from '../i18n/index.ts';
import { AdminLayout } from './board.tsx';
import { ReviewSection, type ReviewViewer, type StaffVoteRow } from './review-section.tsx';

const when = (d: Date | string) =>
  new Date(d).toLocaleString('he-IL', { timeZone: 'Asia/Jerusalem', dateStyle: 'short', timeStyle: 'short' });

export interface DetailProps {
  app: ApplicationRow;
  cohort: Cohort | undefined;
  votes: StaffVoteRow[];
  /** Blind voting before the decision: the votes come without how each reviewer voted. */
  votesHidden: boolean;
  steps: {
    step: string;
    status: string;
    attempts: number;
    last_error: string | null;
    updated_at: Date | string;
  }[];
  events: EventRow[];
  message?: string | undefined;
  /** Who is looking: the review section offers them their own vote, and the decision if they coordinate. */
  viewer: ReviewViewer;
}

/** One application: fields (staff see everything), flags, votes, steps with Retry, timeline, actions. */
export function DetailPage({ app, cohort, votes, votesHidden, steps, events, message, viewer }: DetailProps) {
  const answers = app.answers as {
    motivation?: string;
    topics?: string[];
    confirmedMeetings?: string[];
    accessibilityNeeds?: string;
  };
  // The timeline names each reviewer as the settings do, rather than by a Slack id or an e-mail.
  const reviewerNames = new Map((cohort?.review.reviewers ?? []).map((r) => [reviewerKey(r), r.name]));
  const label = (kind: 'sectors' | 'regions' | 'topics', id: string | null | undefined) =>
    cohort?.form[kind].find((c) => c.id === id)?.he ?? id ?? '';
  return (
    <AdminLayout title={`בקשה ${app.reference}`}>
      <h1>{`בקשה ${app.reference} — ${labelOf(STATUS_HE, app.status)}`}</h1>
      {message ? (
        <p class="notice" role="status">
          {message}
        </p>
      ) : null}
      {app.flags.length > 0 ? (
        <p class="error">{`סימונים: ${app.flags.map((f) => labelOf(FLAG_HE, f)).join(', ')}`}</p>
      ) : null}
      <section class="card" aria-labelledby="fields">
        <h2 id="fields">פרטים</h2>
        <dl>
          <dt>שם</dt>
          <dd>{app.full_name ?? '—'}</dd>
          <dt>דוא״ל</dt>
          <dd dir="ltr">{app.email ?? '—'}</dd>
          <dt>אימות הדוא״ל</dt>
          <dd id="email-confirmed">
            {app.email_confirmed_at ? EMAIL_CONFIRMED_HE.confirmed : EMAIL_CONFIRMED_HE.unconfirmed}
          </dd>
          <dt>טלפון</dt>
          <dd dir="ltr">{app.phone ?? '—'}</dd>
          <dt>שפת ההודעות</dt>
          <dd lang={app.language}>{LANG_NAMES[app.language]}</dd>
          <dt>ארגון</dt>
          <dd>{app.organisation ?? '—'}</dd>
          <dt>תפקיד</dt>
          <dd>{app.role_title ?? '—'}</dd>
          <dt>סוג ארגון ואזור</dt>
          <dd>{`${label('sectors', app.sector)} · ${label('regions', app.region)}`}</dd>
          <dt>נושאים</dt>
          <dd>{(answers.topics ?? []).map((t) => label('topics', t)).join(', ') || '—'}</dd>
          <dt>מפגשים שאושרו</dt>
          <dd>{`${(answers.confirmedMeetings ?? []).length} מתוך ${cohort?.meetings.length ?? '?'}`}</dd>
          <dt>מוטיבציה</dt>
          <dd class="pre">{answers.motivation ?? '—'}</dd>
          <dt>התאמות נגישות נדרשות (לצוות בלבד)</dt>
          <dd class="pre">{answers.accessibilityNeeds || '—'}</dd>
        </dl>
      </section>
      <ReviewSection app={app} cohort={cohort} votes={votes} hidden={votesHidden} viewer={viewer} />
      <section class="card" aria-labelledby="steps">
        <h2 id="steps">שלבי קליטה</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">שלב</th>
              <th scope="col">מצב</th>
              <th scope="col">ניסיונות</th>
              <th scope="col">שגיאה</th>
              <th scope="col">פעולה</th>
            </tr>
          </thead>
          <tbody>
            {steps.map((s) => (
              <tr>
                <td>{labelOf(STEP_HE, s.step)}</td>
                <td>{labelOf(STEP_STATUS_HE, s.status)}</td>
                <td>{s.attempts}</td>
                <td>{s.last_error ?? ''}</td>
                <td>
                  {s.status === 'failed' || s.status === 'waiting' ? (
                    <form method="post" action={`/admin/applications/${app.id}/steps/${s.step}/retry`}>
                      <button type="submit">{`ניסיון חוזר: ${labelOf(STEP_HE, s.step)}`}</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card" aria-labelledby="timeline">
        <h2 id="timeline">ציר זמן</h2>
        <ol>
          {events.map((e) => (
            <li>{`${when(e.at)} — ${timelineEntryHe(e, reviewerNames)}`}</li>
          ))}
        </ol>
      </section>
      {['submitted', 'in_review', 'waitlisted', 'accepted', 'onboarding', 'onboarded'].includes(
        app.status,
      ) ? (
        <section class="card" aria-labelledby="withdrawal">
          <h2 id="withdrawal">ביטול השתתפות</h2>
          <p>
            הביטול מסיר את הפונה מכל המפגשים ומערוצי ה-Slack של המחזור, עוצר כל שלב שטרם הסתיים ושולח הודעה
            לפונה.
          </p>
          <form method="post" action={`/admin/applications/${app.id}/withdraw`}>
            <label for="withdraw-reason">סיבת הביטול (לתיעוד פנימי, לא נשלחת לפונה)</label>
            <textarea id="withdraw-reason" name="reason" maxlength={500} rows={2} />
            <div class="choice">
              <input type="checkbox" id="confirm-withdraw" name="confirm" value="yes" required />
              <label for="confirm-withdraw">כן, לבטל את ההשתתפות. הפעולה אינה הפיכה.</label>
            </div>
            <button type="submit">ביטול השתתפות</button>
          </form>
        </section>
      ) : null}
      <section class="card" aria-labelledby="privacy">
        <h2 id="privacy">פרטיות</h2>
        <p>
          <a href={`/admin/applications/${app.id}/export.json`}>הורדת כל המידע על הפונה (JSON)</a>
        </p>
        {app.erased_at ? null : (
          <form method="post" action={`/admin/applications/${app.id}/erase`}>
            <div class="choice">
              <input type="checkbox" id="confirm" name="confirm" value="yes" required />
              <label for="confirm">כן, למחוק את כל המידע האישי של הפונה. אי אפשר לבטל את המחיקה.</label>
            </div>
            <button type="submit">מחיקת מידע אישי</button>
          </form>
        )}
      </section>
    </AdminLayout>
  );
}
