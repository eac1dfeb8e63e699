import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { FLAG_HE, labelOf, STATUS_HE } from '../../domain/staff-labels.ts';

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

export function BoardPage(props: {
  rows: BoardRow[];
  counts: { status: string; count: number }[];
  cohorts: { id: string; name: string }[];
  filter: {
    cohort?: string | undefined;
    status?: string | undefined;
    flag?: string | undefined;
    q?: string | undefined;
  };
  page: number;
  more: boolean;
  /** Coordinators take the exports; for anyone else the links would only lead to a refusal. */
  canExport: boolean;
}) {
  const { rows, counts, cohorts, filter, page, more, canExport } = props;
  const exportQuery = new URLSearchParams(
    Object.entries({ cohort: filter.cohort, status: filter.status }).filter((e): e is [string, string] =>
      Boolean(e[1]),
    ),
  ).toString();
  const withFilter = (path: string) => (exportQuery ? `${path}?${exportQuery}` : path);
  const qs = (p: number) =>
    `?${new URLSearchParams({ ...(filter as Record<string, string>), page: String(p) }).toString()}`;
  return (
    <AdminLayout title="בקשות">
      <h1>בקשות</h1>
      <ul class="counts" aria-label="לפי סטטוס">
        {counts.map((c) => (
          <li>
            <a href={`/admin?status=${c.status}`}>{`${labelOf(STATUS_HE, c.status)}: ${c.count}`}</a>
          </li>
        ))}
      </ul>
      <form method="get" action="/admin" class="filters">
        <div class="field">
          <label for="q">חיפוש (שם, דוא״ל, אסמכתה, ארגון)</label>
          <input id="q" name="q" type="text" value={filter.q ?? ''} />
        </div>
        <div class="field">
          <label for="cohort">מחזור</label>
          <select id="cohort" name="cohort">
            <option value="">הכול</option>
            {cohorts.map((c) => (
              <option value={c.id} selected={filter.cohort === c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="status">סטטוס</label>
          <select id="status" name="status">
            <option value="">הכול</option>
            {Object.entries(STATUS_HE).map(([id, he]) => (
              <option value={id} selected={filter.status === id}>
                {he}
              </option>
            ))}
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
        <button type="submit">סינון</button>
      </form>
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
                <a href={`/admin/applications/${r.id}`}>{r.reference}</a>
              </td>
              <td>{r.full_name ?? '—'}</td>
              <td>{r.organisation ?? '—'}</td>
              <td>{labelOf(STATUS_HE, r.status)}</td>
              <td>{r.flags.map((f) => labelOf(FLAG_HE, f)).join(', ')}</td>
              <td>{new Date(r.created_at).toLocaleDateString('he-IL', { timeZone: 'Asia/Jerusalem' })}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {canExport ? (
        <section class="card" aria-labelledby="exports">
          <h2 id="exports">ייצוא ל-Excel</h2>
          <p>הקבצים כוללים את סינון המחזור והסטטוס שנבחר, וכל הורדה נרשמת ביומן הביקורת.</p>
          <ul>
            <li>
              <a href={withFilter('/admin/export.csv')} download>
                הורדת הבקשות (CSV)
              </a>
            </li>
            <li>
              <a href={withFilter('/admin/export-accessibility.csv')} download>
                הורדת התאמות הנגישות הנדרשות (CSV, לצוות התיאום בלבד)
              </a>
            </li>
          </ul>
        </section>
      ) : null}
      <nav aria-label="עמודים">
        {page > 1 ? <a href={qs(page - 1)}>הקודם</a> : null} {more ? <a href={qs(page + 1)}>הבא</a> : null}
      </nav>
    </AdminLayout>
  );
}
