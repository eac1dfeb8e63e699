import { BOARD_COLUMNS, FLAG_HE, labelOf, STEP_HE } from '../../domain/staff-labels.ts';
import type { BoardCard, BoardColumn } from '../../usecases/staff-board.ts';

/** The board's filters, as the query string carries them (a checked box is `1`). */
export interface BoardFilter {
  q?: string | undefined;
  cohort?: string | undefined;
  status?: string | undefined;
  flag?: string | undefined;
  failedStep?: string | undefined;
  deadlinePassed?: boolean | undefined;
  myVoteMissing?: boolean | undefined;
}

/** The filter as a query string, with some fields changed (undefined removes one). */
export function filterQuery(filter: BoardFilter, change: Record<string, string | undefined> = {}): string {
  const entries: Record<string, string | undefined> = {
    q: filter.q,
    cohort: filter.cohort,
    status: filter.status,
    flag: filter.flag,
    failedStep: filter.failedStep,
    deadlinePassed: filter.deadlinePassed ? '1' : undefined,
    myVoteMissing: filter.myVoteMissing ? '1' : undefined,
    ...change,
  };
  const kept = Object.entries(entries).filter((e): e is [string, string] => Boolean(e[1]));
  return kept.length > 0 ? `?${new URLSearchParams(kept).toString()}` : '';
}

const when = (d: string) =>
  new Date(d).toLocaleString('he-IL', { timeZone: 'Asia/Jerusalem', dateStyle: 'short', timeStyle: 'short' });

const FAILED_STEP_OPTIONS = ['calendar', 'slack', 'notice', 'unenroll', 'leave', 'received'] as const;

export function BoardFilters({
  filter,
  cohorts,
}: {
  filter: BoardFilter;
  cohorts: { id: string; name: string }[];
}) {
  const chosen = cohorts.find((c) => c.id === filter.cohort);
  return (
    <form method="get" action="/admin" class="filters" aria-label="סינון הבקשות">
      <div class="field">
        <label for="q">חיפוש (שם, דוא״ל, אסמכתה, ארגון)</label>
        <input id="q" name="q" type="text" value={filter.q ?? ''} />
      </div>
      <div class="field">
        <label for="cohort">מחזור</label>
        <select id="cohort" name="cohort">
          <option value="">כל המחזורים</option>
          {cohorts.map((c) => (
            <option value={c.id} selected={filter.cohort === c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="status">שלב</label>
        <select id="status" name="status">
          <option value="">כל השלבים (לוח)</option>
          {BOARD_COLUMNS.map((col) => (
            <option value={col.status} selected={filter.status === col.status}>
              {col.he}
            </option>
          ))}
          <option value="erased" selected={filter.status === 'erased'}>
            נמחק המידע האישי
          </option>
        </select>
      </div>
      <div class="field">
        <label for="flag">סימון</label>
        <select id="flag" name="flag">
          <option value="">הכול</option>
          {Object.entries(FLAG_HE).map(([id, he]) => (
            <option value={id} selected={filter.flag === id}>
              {he}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="failedStep">שלב שנכשל</label>
        <select id="failedStep" name="failedStep">
          <option value="">הכול</option>
          <option value="any" selected={filter.failedStep === 'any'}>
            כל שלב שנכשל
          </option>
          {FAILED_STEP_OPTIONS.map((s) => (
            <option value={s} selected={filter.failedStep === s}>
              {STEP_HE[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field checks">
        <label class="check">
          <input type="checkbox" name="deadlinePassed" value="1" checked={filter.deadlinePassed === true} />
          עבר מועד ההחלטה
        </label>
        <label class="check">
          <input type="checkbox" name="myVoteMissing" value="1" checked={filter.myVoteMissing === true} />
          ממתינות להצבעה שלי
        </label>
      </div>
      <button type="submit">סינון</button>
      {chosen ? (
        <p class="filter-note">
          <a href={`/admin/cohorts/${encodeURIComponent(chosen.id)}`}>{`לעמוד המחזור: ${chosen.name}`}</a>
        </p>
      ) : null}
    </form>
  );
}

function Card({ card }: { card: BoardCard }) {
  const review = card.review;
  return (
    <li class="board-card">
      <a href={`/admin/applications/${card.id}`} class="card-name">
        <bdi>{card.fullName || '—'}</bdi>
      </a>
      <span class="card-ref" dir="ltr">
        {card.reference}
      </span>
      <p class="card-meta">
        <bdi>{card.organisation || '—'}</bdi> · {card.cohortName}
      </p>
      {review ? (
        <p class="card-meta">{`קולות: ${review.votes} מתוך ${review.quorum} הנדרשים לקבלה`}</p>
      ) : null}
      {review?.deadline ? (
        <p class="card-meta">
          מועד ההחלטה: <span dir="ltr">{when(review.deadline)}</span>
        </p>
      ) : null}
      {review?.overdue || review?.conflict || card.failedSteps.length > 0 || card.flags.length > 0 ? (
        <ul class="badges" aria-label="לתשומת לב">
          {review?.overdue ? <li class="badge warn">עבר מועד ההחלטה</li> : null}
          {review?.conflict ? <li class="badge warn">ניגוד עניינים</li> : null}
          {card.failedSteps.map((s) => (
            <li class="badge error">{`נכשל: ${labelOf(STEP_HE, s)}`}</li>
          ))}
          {card.flags
            .filter((f) => f !== 'review_overdue' && f !== 'conflict_of_interest')
            .map((f) => (
              <li class="badge">{labelOf(FLAG_HE, f)}</li>
            ))}
        </ul>
      ) : null}
    </li>
  );
}

/** Every stage as a column: its heading and count, its first cards, and the way to the rest. */
export function BoardColumns({ columns, filter }: { columns: BoardColumn[]; filter: BoardFilter }) {
  return (
    <div class="board">
      {columns.map((col) => {
        const he = BOARD_COLUMNS.find((x) => x.status === col.status)?.he ?? col.status;
        const headingId = `stage-${col.status}`;
        return (
          <section class="column" aria-labelledby={headingId}>
            <h2 id={headingId}>
              {he} <span class="count">{`(${col.count})`}</span>
            </h2>
            {col.cards.length === 0 ? (
              <p class="empty">אין בקשות בשלב הזה.</p>
            ) : (
              <ul class="cards">
                {col.cards.map((card) => (
                  <Card card={card} />
                ))}
              </ul>
            )}
            {col.count > col.cards.length ? (
              <p class="more">
                <a href={`/admin${filterQuery(filter, { status: col.status })}`}>
                  {`כל ${col.count} הבקשות בשלב`}
                </a>
              </p>
            ) : null}
          </section>
        );
      })}
    </div>
  );
}
