import type { Cohort } from '../../../workflows/index.ts';
import { conflictFor, PROPOSED_FROM_WAITLIST } from '../../domain/review-policy.ts';
import type { ApplicationRow } from '../../storage/schema.ts';
import { findReviewer, type ReviewerIdentity } from '../../usecases/review-view.ts';

const VOTE_HE: Record<string, string> = { approve: 'בעד', reject: 'נגד', waitlist: 'רשימת המתנה' };
const CONFLICT_HE = {
  exclude: 'ניגוד עניינים (הקול לא ייספר)',
  flag: 'ניגוד עניינים (הקול ייספר ויסומן)',
} as const;

const when = (d: Date | string) =>
  new Date(d).toLocaleString('he-IL', { timeZone: 'Asia/Jerusalem', dateStyle: 'short', timeStyle: 'short' });

/** A vote as the page receives it: without `vote` and `note` while blind voting hides them. */
export interface StaffVoteRow {
  reviewer_name: string;
  vote?: string;
  note?: string | null;
  counted: boolean;
  at: Date | string;
}

/** The person looking at the page, as far as reviewing goes. */
export interface ReviewViewer {
  reviewer: ReviewerIdentity;
  /** Their role lets them vote; the cohort must also list them as a reviewer. */
  canVote: boolean;
  canDecide: boolean;
}

export interface ReviewSectionProps {
  app: ApplicationRow;
  cohort: Cohort | undefined;
  votes: StaffVoteRow[];
  /** Blind voting before the decision: the page knows who voted and when, not how. */
  hidden: boolean;
  viewer: ReviewViewer;
}

/** The application page's review: the votes (or their count), a proposal from the waitlist, the actions. */
export function ReviewSection({ app, cohort, votes, hidden, viewer }: ReviewSectionProps) {
  const decidable = app.status === 'in_review' || app.status === 'waitlisted';
  const proposed = app.status === 'waitlisted' && app.flags.includes(PROPOSED_FROM_WAITLIST);
  const me = cohort && viewer.canVote ? findReviewer(cohort, viewer.reviewer) : undefined;
  const myConflict = me && cohort ? conflictFor(cohort.review, me.organisation, app.organisation) : null;
  return (
    <section class="card" aria-labelledby="votes">
      <h2 id="votes">הצבעות</h2>
      {votes.length === 0 ? <p>עדיין אין הצבעות.</p> : null}
      {hidden ? (
        <p>{`הצבעה עיוורת: ${votes.length} הצבעות עד כה. הקולות ייחשפו אחרי ההחלטה.`}</p>
      ) : (
        <ul>
          {votes.map((v) => (
            <li>{`${v.reviewer_name}: ${VOTE_HE[v.vote ?? ''] ?? v.vote}${v.counted ? '' : ' (לא נספר — ניגוד עניינים)'}${v.note ? ` — ${v.note}` : ''} (${when(v.at)})`}</li>
          ))}
        </ul>
      )}
      {proposed ? (
        <div class="notice" role="status">
          <p>התפנה מקום במחזור: הבקשה מוצעת לקבלה מרשימת ההמתנה.</p>
          {viewer.canDecide ? (
            <form method="post" action={`/admin/applications/${app.id}/decide`} class="inline">
              <input type="hidden" name="outcome" value="accepted" />
              <input type="hidden" name="reason" value="התפנה מקום במחזור" />
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required />
                לקבל מרשימת ההמתנה ולשלוח הודעה
              </label>
              <button type="submit">קבלה מרשימת ההמתנה</button>
            </form>
          ) : null}
        </div>
      ) : null}
      {decidable && cohort ? (
        <>
          {app.status === 'in_review' && me && myConflict !== 'exclude' ? (
            <form method="post" action={`/admin/applications/${app.id}/vote`} class="inline">
              {myConflict ? <p>{CONFLICT_HE[myConflict]}</p> : null}
              <label for="vote">{`ההצבעה שלי (${me.name})`}</label>
              <select id="vote" name="vote">
                <option value="approve">בעד</option>
                <option value="reject">נגד</option>
                <option value="waitlist">רשימת המתנה</option>
              </select>
              <label for="note">הערה (לא חובה)</label>
              <input id="note" name="note" type="text" maxlength={1000} />
              <button type="submit">הצבעה</button>
            </form>
          ) : null}
          {app.status === 'in_review' && me && myConflict === 'exclude' ? <p>{CONFLICT_HE.exclude}</p> : null}
          {viewer.canDecide ? (
            <form method="post" action={`/admin/applications/${app.id}/decide`} class="stacked">
              <label for="outcome">החלטת צוות</label>
              <select id="outcome" name="outcome">
                <option value="accepted">קבלה</option>
                <option value="declined">דחייה</option>
                {app.status === 'in_review' ? <option value="waitlisted">רשימת המתנה</option> : null}
              </select>
              <label for="reason">נימוק ההחלטה (יופיע בציר הזמן)</label>
              <textarea id="reason" name="reason" required maxlength={500} rows={2} />
              <label class="check">
                <input type="checkbox" name="confirm" value="yes" required />
                ההחלטה סופית, והודעה עליה תישלח לפונים
              </label>
              <button type="submit">החלטה</button>
            </form>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
