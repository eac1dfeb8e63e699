import type { LineOverview, ProgrammeOverview } from '../../checkins/overview.ts';
import { CHECKIN_STATUS_HE, labelOf, ROUND_STATUS_HE } from '../../domain/staff-labels.ts';
import { AdminLayout } from './board.tsx';

/** A day as Israelis write it, 20.06.2027, isolated left to right. */
const Day = ({ day }: { day: string }) => <span dir="ltr">{day.split('-').reverse().join('.')}</span>;

function FirstPrompt({ at }: { at: Date | null }) {
  if (!at)
    return (
      <p>
        עוד לא נשלח סבב עדכונים, ובשנה הקרובה אין שבוע שבו תישלח פנייה: כל השבועות מדולגים בגלל חגים, תאריכים
        שהוגדרו לדילוג או הפסקות של התוכנית. אפשר לשנות את ההגדרות של התוכנית או לפתוח סבב ידנית דרך ה-API.
      </p>
    );
  const day = new Intl.DateTimeFormat('he-IL', { weekday: 'long', timeZone: 'Asia/Jerusalem' }).format(at);
  const date = new Intl.DateTimeFormat('he-IL', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Jerusalem',
  })
    .format(at)
    .replace(',', '');
  return (
    <p>
      {`עוד לא נשלח סבב עדכונים. הפנייה הראשונה למובילי כיווני הפעולה תישלח ב${day}, `}
      <time dir="ltr" datetime={at.toISOString()}>
        {date}
      </time>
      {' (שעון ישראל), והסבב יופיע כאן.'}
    </p>
  );
}

const answersHe = (r: { status: string; answers: number }) => {
  if (r.answers > 0) return String(r.answers);
  if (r.status === 'open') return 'עוד לא התקבלו עדכונים בסבב הזה. מי שלא יענו יקבלו תזכורת.';
  if (r.status === 'skipped') return 'בשבוע הזה לא נשלחה פנייה.';
  return 'לא התקבלו עדכונים בסבב הזה.';
};

function LinePause({ line }: { line: LineOverview }) {
  if (!line.pausedUntil) return null;
  if (line.paused < line.leads) return <>{` (${line.paused} מתוך ${line.leads} המובילים השהו את הפניות)`}</>;
  return (
    <>
      {' (הפניות מושהות עד '}
      <Day day={line.pausedUntil} />
      {')'}
    </>
  );
}

/** The check-ins page: every programme's rounds and lines, and each empty state saying why it is empty. */
export function CheckinsPage(props: {
  programmes: ProgrammeOverview[];
  line?:
    | {
        name: string;
        pausedUntil?: string;
        answers: { week: string; status: string; progress: string; blockers: string }[];
      }
    | undefined;
}) {
  return (
    <AdminLayout title="עדכונים שבועיים">
      <h1>עדכונים שבועיים</h1>
      {props.programmes.length === 0 ? (
        <section class="card" aria-labelledby="no-programmes">
          <h2 id="no-programmes">עדיין לא הוגדרו תוכניות של עדכונים שבועיים</h2>
          <p>
            {'תוכנית מוגדרת בתיקייה '}
            <code dir="ltr">workflows/checkins</code>
            {
              ' (כיווני הפעולה, מועדי הפנייה, התזכורת והסיכום), ואת מזהי ה-Slack של המובילים ושל ערוץ ההנהלה מוסיפים בקובץ ההגדרות ('
            }
            <code dir="ltr">KEHILA_SETTINGS</code>
            {', תחת '}
            <code dir="ltr">programmes</code>
            {'). אחרי הפעלה מחדש של השירות התוכנית תופיע כאן.'}
          </p>
        </section>
      ) : null}
      {props.programmes.map((p) => (
        <section class="card" aria-label={p.name}>
          <h2>{p.name}</h2>
          <p>
            <a href={`/admin/checkins/${p.id}/export.csv`} download>
              {`הורדת היסטוריית העדכונים של ${p.name} ל-Excel (CSV)`}
            </a>
          </p>
          <ul>
            {p.lines.map((l) => (
              <li>
                <a href={`/admin/checkins?line=${l.id}`}>{l.name}</a>
                <LinePause line={l} />
              </li>
            ))}
          </ul>
          {p.rounds.length === 0 ? (
            <FirstPrompt at={p.firstPromptAt ?? null} />
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">שבוע</th>
                  <th scope="col">מצב</th>
                  <th scope="col">עדכונים</th>
                </tr>
              </thead>
              <tbody>
                {p.rounds.map((r) => (
                  <tr>
                    <td>
                      <Day day={r.week} />
                    </td>
                    <td>{labelOf(ROUND_STATUS_HE, r.status)}</td>
                    <td>{answersHe(r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
      {props.line ? (
        <section class="card" aria-label={props.line.name}>
          <h2>{`היסטוריה: ${props.line.name}`}</h2>
          {props.line.pausedUntil ? (
            <p>
              {'המובילים השהו את הפניות עד '}
              <Day day={props.line.pausedUntil} />
              {': עד אז לא יישלחו להם פניות ותזכורות, וכיוון הפעולה יופיע בסיכום כמושהה.'}
            </p>
          ) : null}
          {props.line.answers.length === 0 ? (
            <p>עוד לא התקבלו עדכונים בכיוון הפעולה הזה.</p>
          ) : (
            <ul>
              {props.line.answers.map((a) => (
                <li>{`${a.week} — ${labelOf(CHECKIN_STATUS_HE, a.status)}: ${a.progress}${a.blockers ? ` | חסמים: ${a.blockers}` : ''}`}</li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </AdminLayout>
  );
}
