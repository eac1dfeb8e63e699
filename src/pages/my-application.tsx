import type { Child } from 'hono/jsx';
import type { Cohort, ProgrammeContact } from '../../workflows/index.ts';
import type { MyApplicationView } from '../usecases/my-application.ts';
import { ProgrammeContactCard } from './contact.tsx';
import { MeetingWhen } from './fields.tsx';
import { catalogues, DEFAULT_LANG, fieldLabel, type Lang } from './i18n/index.ts';
import { MY_TEXTS } from './i18n/my-application.ts';
import { Layout } from './layout.tsx';
import { CorrectionForm } from './my-application-forms.tsx';

/** What the last post on the page did, said at the top in a status line. */
export type MyNotice =
  | 'corrected'
  | 'noted'
  | 'unchanged'
  | 'withdrawn'
  | 'stale'
  | 'proposalApplied'
  | 'proposalNoted'
  | 'proposalDiscarded';

export interface MyApplicationPageProps {
  cohort: Cohort;
  view: MyApplicationView;
  /** The page's own path (`/apply/my/<token>`); its forms post below it. */
  base: string;
  formToken: string;
  lang?: Lang;
  contact: ProgrammeContact;
  notice?: MyNotice | undefined;
  /** A correction sent back: what was typed, and the code of each field's problem. */
  values?: Record<string, unknown> | undefined;
  errors?: Partial<Record<string, string>> | undefined;
  /**
   * Further sections, shown after the answers and before the withdrawal (e.g. updates proposed by a repeat
   * submission, for the person to apply). Each brings its own heading and forms.
   */
  sections?: Child[];
}

const ACCEPTED = new Set(['accepted', 'onboarding', 'onboarded']);

/** The applicant's own page: where it stands and what comes next, the answers, corrections, withdrawal. */
export function MyApplicationPage(props: MyApplicationPageProps) {
  const { cohort, view, base, formToken, lang = DEFAULT_LANG, contact, notice, sections = [] } = props;
  const t = MY_TEXTS[lang];
  const said = t.status[view.status];
  const accepted = ACCEPTED.has(view.status);
  const noticeText = notice ? { stale: t.staleForm, ...t }[notice] : undefined;
  return (
    <Layout title={`${t.title} — ${cohort.name[lang]}`} lang={lang}>
      <h1>{t.title}</h1>
      {noticeText ? (
        <p class="notice" role="status">
          {noticeText}
        </p>
      ) : null}
      <p>
        <strong>{cohort.name[lang]}</strong>
        {` · ${t.referenceLabel} `}
        <span class="reference" dir="ltr">
          {view.reference}
        </span>
      </p>
      <section class="card" aria-labelledby="status-title">
        <h2 id="status-title">{t.statusTitle}</h2>
        <p id="status-now">
          <strong>{said.now}</strong>
        </p>
        {said.next ? <p>{said.next}</p> : null}
        {view.emailConfirmed ? <p class="hint">{t.emailConfirmed}</p> : null}
      </section>
      {accepted ? <Meetings cohort={cohort} lang={lang} /> : null}
      <Answers cohort={cohort} view={view} lang={lang} />
      {view.corrections !== 'closed' ? (
        <CorrectionForm
          cohort={cohort}
          view={view}
          action={`${base}/correct`}
          formToken={formToken}
          lang={lang}
          values={props.values}
          errors={props.errors}
        />
      ) : null}
      {sections}
      {view.withdrawable ? (
        <section class="card" aria-labelledby="withdraw-title">
          <h2 id="withdraw-title">{accepted ? t.withdrawAfter : t.withdrawBefore}</h2>
          <p>{t.withdrawLead}</p>
          <p>
            <a class="button secondary" id="withdraw-start" href={`${base}/withdraw?lang=${lang}`}>
              {accepted ? t.withdrawAfter : t.withdrawBefore}
            </a>
          </p>
        </section>
      ) : null}
      <ProgrammeContactCard lang={lang} contact={contact} />
    </Layout>
  );
}

function Meetings({ cohort, lang }: { cohort: Cohort; lang: Lang }) {
  const t = MY_TEXTS[lang];
  return (
    <section class="card" aria-labelledby="meetings-title">
      <h2 id="meetings-title">{catalogues[lang].meetingsTitle}</h2>
      <ul class="meetings">
        {cohort.meetings.map((m) => (
          <li>
            <strong>{m.title[lang]}</strong>
            {' — '}
            <MeetingWhen lang={lang} cohort={cohort} meeting={m} />
          </li>
        ))}
      </ul>
      <p>
        <a
          class="button"
          id="meetings-ics"
          href={`/cohorts/${cohort.id}/meetings.ics?lang=${lang}`}
          download={`${cohort.id}.ics`}
        >
          {t.meetingsIcs}
        </a>
      </p>
    </section>
  );
}

/** The answers as stored; every value is text in the page, so nothing the person typed is markup. */
function Answers({ cohort, view, lang }: { cohort: Cohort; view: MyApplicationView; lang: Lang }) {
  const t = MY_TEXTS[lang];
  const a = view.answers;
  const choice = (list: { id: string; he: string; ar: string; en: string }[], id: string) =>
    list.find((c) => c.id === id)?.[lang] ?? id;
  const rows: [string, Child][] = [
    ['fullName', a.fullName],
    ['email', <span dir="ltr">{view.email}</span>],
    ['phone', <span dir="ltr">{a.phone}</span>],
    ['organisation', a.organisation],
    ['roleTitle', a.roleTitle],
    ['sector', choice(cohort.form.sectors, a.sector)],
    ['region', choice(cohort.form.regions, a.region)],
    ['motivation', a.motivation],
    ['topics', a.topics.map((id) => choice(cohort.form.topics, id)).join(' · ')],
    [
      'confirmedMeetings',
      cohort.meetings
        .filter((m) => a.confirmedMeetings.includes(m.id))
        .map((m) => m.title[lang])
        .join(' · '),
    ],
    ['accessibilityNeeds', a.accessibilityNeeds],
  ];
  return (
    <section class="card" aria-labelledby="answers-title">
      <h2 id="answers-title">{t.answersTitle}</h2>
      <dl class="answers">
        {rows.map(([field, value]) => (
          <>
            <dt>{fieldLabel(lang, field)}</dt>
            <dd dir="auto">{value === '' ? t.noAnswer : value}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}
