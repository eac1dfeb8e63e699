import type { Cohort } from '../../../workflows/index.ts';
import { conflictFor, PROPOSED_FROM_WAITLIST } from '../../domain/review-policy.ts';
import type { ApplicationRow } from '../../storage/schema.ts';

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

export interface ReviewSectionProps {
  app: ApplicationRow;
  cohort: Cohort | undefined;
  votes: StaffVoteRow[];
  /** Blind voting before the decision: the page knows who voted and when, not how. */
  hidden: boolean;
}

/** The application page's review: the votes (or their count), a proposal from the waitlist, the actions. */
export function ReviewSection({ app, cohort, votes, hidden }: ReviewSectionProps) {
  const decidable = app.status === 'in_review' || app.status === 'waitlisted';
  const proposed = app.status === 'waitlisted' && app.flags.includes(PROPOSED_FROM_WAITLIST);
  const conflictOf = (organisation: string | undefined) =>
    cohort ? conflictFor(cohort.review, organisation, app.organisation) : null;
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
          <form method="post" action={`/admin/applications/${app.id}/decide`} class="inline">
            <input type="hidden" name="outcome" value="accepted" />
            <button type="submit">קבלה מרשימת ההמתנה</button>
          </form>
        </div>
      ) : null}
      {decidable && cohort ? (
        <>
          {app.status === 'in_review' ? (
            <form method="post" action={`/admin/applications/${app.id}/vote`} class="inline">
              <label for="reviewer">הצבעה בשם</label>
              <select id="reviewer" name="reviewer">
                {cohort.review.reviewers.map((r) => {
                  const conflict = conflictOf(r.organisation);
                  return (
                    <option
                      value={r.slackId ? `slack:${r.slackId}` : `email:${r.email ?? ''}`}
                      disabled={conflict === 'exclude'}
                    >
                      {conflict ? `${r.name} — ${CONFLICT_HE[conflict]}` : r.name}
                    </option>
                  );
                })}
              </select>
              <label for="vote">הצבעה</label>
              <select id="vote" name="vote">
                <option value="approve">בעד</option>
                <option value="reject">נגד</option>
                <option value="waitlist">רשימת המתנה</option>
              </select>
              <button type="submit">הצבעה</button>
            </form>
          ) : null}
          <form method="post" action={`/admin/applications/${app.id}/decide`} class="inline">
            <label for="outcome">החלטת צוות</label>
            <select id="outcome" name="outcome">
              <option value="accepted">קבלה</option>
              <option value="declined">דחייה</option>
              {app.status === 'in_review' ? <option value="waitlisted">רשימת המתנה</option> : null}
            </select>
            <button type="submit">החלטה</button>
          </form>
        </>
      ) : null}
    </section>
  );
}
