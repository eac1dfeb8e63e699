import { AdminLayout } from './board.tsx';

export interface ProviderLink {
  id: string;
  label: string;
}

/** The staff sign-in page: one button per configured provider, or how to get in when there is none. */
export function SignInPage({ providers, next }: { providers: ProviderLink[]; next: string }) {
  const query = next === '/admin' ? '' : `?next=${encodeURIComponent(next)}`;
  return (
    <AdminLayout title="כניסה" nav={false}>
      <h1>כניסת צוות התוכנית</h1>
      {providers.length > 0 ? (
        <>
          <p>הכניסה לצוות התוכנית בלבד, עם החשבון שמופיע ברשימת הצוות.</p>
          <div class="providers">
            {providers.map((p) => (
              <a class="button" href={`/admin/signin/${p.id}${query}`}>
                {`כניסה עם ${p.label}`}
              </a>
            ))}
          </div>
        </>
      ) : (
        <p>
          עדיין לא הוגדרה כניסה עם Slack או עם Google. קישור כניסה חד־פעמי מודפס במסוף שבו השירות הופעל,
          ותוקפו 15 דקות.
        </p>
      )}
    </AdminLayout>
  );
}

/** Someone who signed in but is not on the staff list: who can add them. */
export function NotStaffPage({ who, coordinators }: { who: string; coordinators: string[] }) {
  return (
    <AdminLayout title="אין גישה" nav={false}>
      <h1>אין גישה ללוח הניהול</h1>
      <p role="alert">{`החשבון ${who} אינו ברשימת צוות התוכנית.`}</p>
      {coordinators.length > 0 ? (
        <p>{`לקבלת גישה אפשר לפנות לרכזות ולרכזי התוכנית: ${coordinators.join(', ')}.`}</p>
      ) : (
        <p>לקבלת גישה אפשר לפנות לצוות התוכנית.</p>
      )}
      <p>
        <a href="/admin/login">חזרה לדף הכניסה</a>
      </p>
    </AdminLayout>
  );
}

/** A sign-in that could not be completed: an expired or spent link, or a provider's answer that did not check out. */
export function SignInFailedPage({ message }: { message: string }) {
  return (
    <AdminLayout title="הכניסה לא הושלמה" nav={false}>
      <h1>הכניסה לא הושלמה</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/admin/login">חזרה לדף הכניסה</a>
      </p>
    </AdminLayout>
  );
}
