import type { Cohort, Meeting } from '../../../workflows/index.ts';
import { meetingWhenHe } from '../../domain/meetings.ts';
import { labelOf, STATUS_HE } from '../../domain/staff-labels.ts';
import type { CohortMember, CohortView, Invitation } from '../../usecases/cohort-view.ts';
import { AdminLayout } from './board.tsx';

const INVITATION_HE: Record<Invitation, string> = {
  calendar: 'זומנו ביומן Google',
  ics: 'הזימון נשלח בדוא״ל',
  pending: 'הזימון עוד לא נשלח',
  failed: 'שליחת הזימון נכשלה',
};

/** Places taken out of the capacity, or the count alone where the cohort has no limit. */
const placesHe = (taken: number, capacity: number | undefined) =>
  capacity === undefined ? `${taken} מקומות תפוסים (ללא הגבלה)` : `${taken} מתוך ${capacity} מקומות תפוסים`;

function When({ cohort, meeting }: { cohort: Cohort; meeting: Meeting }) {
  const { start, day, hours } = meetingWhenHe(cohort, meeting);
  return (
    <>
      {`${day}, `}
      <time dir="ltr" datetime={start.toISOString()}>
        {hours}
      </time>
      {' (שעון ישראל)'}
    </>
  );
}

function Person({ m, meeting }: { m: Omit<CohortMember, 'invitation'>; meeting?: string }) {
  const unconfirmed = meeting !== undefined && !m.confirmed.includes(meeting);
  return (
    <>
      <a href={`/admin/applications/${m.id}`}>
        <bdi>{m.name || m.reference}</bdi>
      </a>
      {m.organisation ? (
        <>
          {', '}
          <bdi>{m.organisation}</bdi>
        </>
      ) : null}
      {unconfirmed ? ' — לא אישרו את המועד הזה בטופס' : ''}
    </>
  );
}

/** Every cohort with its places taken, each linking to its page. */
export function CohortsPage({
  cohorts,
}: {
  cohorts: { cohort: Cohort; taken: number; waitlisted: number; capacity?: number }[];
}) {
  return (
    <AdminLayout title="מחזורים">
      <h1>מחזורים</h1>
      <ul>
        {cohorts.map((c) => (
          <li>
            <a href={`/admin/cohorts/${c.cohort.id}`}>{c.cohort.name.he}</a>
            {` — ${placesHe(c.taken, c.capacity)}, ${c.waitlisted} ברשימת ההמתנה`}
          </li>
        ))}
      </ul>
    </AdminLayout>
  );
}

/** One cohort: places, and each meeting with who is coming and the accessibility arrangements to prepare. */
export function CohortPage({ view }: { view: CohortView }) {
  const { cohort, places, meetings, withdrawn, needsShown } = view;
  const taken = places.accepted + places.onboarding + places.onboarded;
  return (
    <AdminLayout title={cohort.name.he}>
      <h1>{cohort.name.he}</h1>
      <section class="card" aria-labelledby="places">
        <h2 id="places">מקומות</h2>
        <p>{`${placesHe(taken, places.capacity)}.`}</p>
        <ul class="counts">
          <li>{`${labelOf(STATUS_HE, 'accepted')}: ${places.accepted}`}</li>
          <li>{`${labelOf(STATUS_HE, 'onboarding')}: ${places.onboarding}`}</li>
          <li>{`${labelOf(STATUS_HE, 'onboarded')}: ${places.onboarded}`}</li>
          <li>
            <a
              href={`/admin?cohort=${cohort.id}&status=waitlisted`}
            >{`ברשימת ההמתנה: ${places.waitlisted}`}</a>
          </li>
        </ul>
      </section>
      {meetings.map(({ meeting, coming, awaiting, arrangements }, i) => (
        <section class="card" aria-labelledby={`meeting-${i}`}>
          <h2 id={`meeting-${i}`}>{meeting.title.he}</h2>
          <p>
            <When cohort={cohort} meeting={meeting} />
          </p>
          <p>
            {meeting.mode === 'in_person' ? (
              <>
                {'פנים אל פנים: '}
                <bdi>{meeting.address ?? ''}</bdi>
              </>
            ) : (
              'מקוון'
            )}
          </p>
          <h3>{`משתתפים במפגש (${coming.length})`}</h3>
          {coming.length === 0 ? (
            <p>עדיין אין משתתפים שזומנו למפגש.</p>
          ) : (
            <ul>
              {coming.map((m) => (
                <li>
                  <Person m={m} meeting={meeting.id} />
                  {` (${INVITATION_HE[m.invitation]})`}
                </li>
              ))}
            </ul>
          )}
          {awaiting.length > 0 ? (
            <>
              <h3>{`התקבלו וממתינים לזימון (${awaiting.length})`}</h3>
              <ul>
                {awaiting.map((m) => (
                  <li>
                    <Person m={m} />
                    {` (${INVITATION_HE[m.invitation]})`}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>{`התאמות נגישות להכנה (${arrangements.length})`}</h3>
          {arrangements.length === 0 ? (
            <p>אין בקשות להתאמות נגישות.</p>
          ) : needsShown ? (
            <ul>
              {arrangements.map((m) => (
                <li>
                  <Person m={m} />
                  {': '}
                  <span class="pre">{String(m.needs)}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p>{`${arrangements.length} משתתפים ביקשו התאמות נגישות. הפרטים מוצגים לצוות התיאום בלבד.`}</p>
          )}
        </section>
      ))}
      <section class="card" aria-labelledby="withdrawn">
        <h2 id="withdrawn">{`ביטלו את השתתפותם (${withdrawn.length})`}</h2>
        {withdrawn.length === 0 ? (
          <p>אין ביטולי השתתפות אחרי קבלה.</p>
        ) : (
          <ul>
            {withdrawn.map((m) => (
              <li>
                <Person m={m} />
                {m.removed ? ' — הוסרו מכל המפגשים' : ' — ההסרה מהמפגשים עדיין לא הושלמה'}
              </li>
            ))}
          </ul>
        )}
      </section>
    </AdminLayout>
  );
}
