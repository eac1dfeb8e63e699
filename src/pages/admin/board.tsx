import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { FLAG_HE, labelOf, STATUS_HE } from '../../domain/staff-labels.ts';
import type { BoardColumn } from '../../usecases/staff-board.ts';
import { BoardColumns, type BoardFilter, BoardFilters, filterQuery } from './board-parts.tsx';

/** The staff pages' shell: Hebrew, RTL, the same strict CSP as the form (no inline script or style). */
export function AdminLayout({
  title,
  children,
  nav = true,
}: {
  title: string;
  children: Child;
  nav?: boolean;
}) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="he" dir="rtl">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="robots" content="noindex" />
          <title>{`${title} | קהילה — ניהול`}</title>
          <link rel="stylesheet" href="/assets/style.css" />
        </head>
        <body>
          <a class="skip" href="#main">
            דילוג לתוכן
          </a>
          <header class="site">
            {nav ? (
              <nav aria-label="ניווט ניהול">
                <a href="/admin">בקשות</a> · <a href="/admin/cohorts">מחזורים</a> ·{' '}
                <a href="/admin/checkins">עדכונים שבועיים</a> ·{' '}
                <a href="/admin/queues">תורים</a> ·{' '}
                {/* A POST, so that no link or image on another page can end someone's session. */}
                <form method="post" action="/admin/logout" class="nav">
                  <button type="submit" class="link">
                    יציאה
                  </button>
                </form>
              </nav>
            ) : null}
          </header>
          <main id="main" tabindex={-1} class="wide">
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

export interface BoardRow {
  id: string;
  reference: string;
  cohort: string;
  full_name: string | null;
  organisation: string | null;
  status: string;
  flags: string[];
  created_at: Date | string;
}

/** One stage as a list to page through, when the filter names a status. */
function StageList({
  list,
  filter,
}: {
  list: { rows: BoardRow[]; more: boolean; page: number };
  filter: BoardFilter;
}) {
  const { rows, more, page } = list;
  const qs = (p: number) => filterQuery(filter, { page: String(p) });
  return (
    <>
      <p>
        <a href={`/admin${filterQuery(filter, { status: undefined })}`}>חזרה ללוח כל השלבים</a>
      </p>
      {rows.length === 0 ? (
        <p class="empty">אין בקשות שמתאימות לסינון.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption>{`${rows.length} בקשות בעמוד ${page}`}</caption>
            <thead>
              <tr>
                <th scope="col">אסמכתה</th>
                <th scope="col">שם</th>
                <th scope="col">ארגון</th>
                <th scope="col">סטטוס</th>
                <th scope="col">סימונים</th>
                <th scope="col">הוגשה</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/admin/applications/${r.id}`} dir="ltr">
                      {r.reference}
                    </a>
                  </td>
                  <td>
                    <bdi>{r.full_name ?? '—'}</bdi>
                  </td>
                  <td>
                    <bdi>{r.organisation ?? '—'}</bdi>
                  </td>
                  <td>{labelOf(STATUS_HE, r.status)}</td>
                  <td>{r.flags.map((f) => labelOf(FLAG_HE, f)).join(', ')}</td>
                  <td>
                    {new Date(r.created_at).toLocaleDateString('he-IL', { timeZone: 'Asia/Jerusalem' })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label="עמודים">
        {page > 1 ? <a href={qs(page - 1)}>הקודם</a> : null} {more ? <a href={qs(page + 1)}>הבא</a> : null}
      </nav>
    </>
  );
}

/**
 * The board a cohort is run from: every stage as a column with its count and first cards, or, with a status
 * chosen, that stage as a list to page through.
 */
export function BoardPage(props: {
  cohorts: { id: string; name: string }[];
  filter: BoardFilter;
  columns?: BoardColumn[];
  list?: { rows: BoardRow[]; more: boolean; page: number };
  /** Coordinators take the exports; for anyone else the links would only lead to a refusal. */
  canExport: boolean;
}) {
  const { cohorts, filter, columns, list, canExport } = props;
  const exportQuery = filterQuery({ cohort: filter.cohort, status: filter.status });
  const title = filter.status ? `בקשות: ${labelOf(STATUS_HE, filter.status)}` : 'לוח הבקשות';
  return (
    <AdminLayout title={title}>
      <h1>{title}</h1>
      <BoardFilters filter={filter} cohorts={cohorts} />
      {list ? <StageList list={list} filter={filter} /> : null}
      {columns ? <BoardColumns columns={columns} filter={filter} /> : null}
      {canExport ? (
        <section class="card" aria-labelledby="exports">
          <h2 id="exports">ייצוא ל-Excel</h2>
          <p>הקבצים כוללים את סינון המחזור והשלב שנבחרו, וכל הורדה נרשמת ביומן הביקורת.</p>
          <ul>
            <li>
              <a href={`/admin/export.csv${exportQuery}`} download>
                הורדת הבקשות (CSV)
              </a>
            </li>
            <li>
              <a href={`/admin/export-accessibility.csv${exportQuery}`} download>
                הורדת התאמות הנגישות הנדרשות (CSV, לצוות התיאום בלבד)
              </a>
            </li>
          </ul>
        </section>
      ) : null}
    </AdminLayout>
  );
}
