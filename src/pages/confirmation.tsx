import type { Branding, Cohort, ProgrammeContact } from '../../workflows/index.ts';
import { ProgrammeContactCard } from './contact.tsx';
import { MeetingWhen } from './fields.tsx';
import { catalogues, DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { Layout } from './layout.tsx';

/** What the applicant sees after sending: the reference, what happens next, the meetings. */
export function ConfirmationPage({
  cohort,
  reference,
  queued = false,
  lang = DEFAULT_LANG,
  contact,
  branding,
}: {
  cohort: Cohort;
  /** The reference with its link signature, which the language links keep so they lead to this page too. */
  reference: { reference: string; signature: string } | null;
  /** Received at the edge while the core was away: the reference follows by e-mail. */
  queued?: boolean;
  lang?: Lang;
  contact: ProgrammeContact;
  branding?: Branding | undefined;
}) {
  const t = catalogues[lang];
  const query = reference
    ? `ref=${encodeURIComponent(reference.reference)}&sig=${reference.signature}&`
    : queued
      ? 'queued=1&'
      : '';
  return (
    <Layout
      title={t.receivedTitle}
      clearDraft={cohort.id}
      lang={lang}
      langHref={(l) => `?${query}lang=${l}`}
      branding={branding}
    >
      <h1>{t.receivedTitle}</h1>
      <p>{t.receivedLead}</p>
      {queued ? (
        <p class="notice" role="status">
          {t.referenceByEmail}
        </p>
      ) : null}
      {reference ? (
        <div class="card">
          <p>{t.referenceLabel}</p>
          <p>
            <span class="reference" dir="ltr">
              {reference.reference}
            </span>
          </p>
          <p class="hint">{t.referenceHint}</p>
        </div>
      ) : null}
      <h2>{t.nextTitle}</h2>
      <ol>
        <li>{t.nextStep1}</li>
        <li>{t.nextStep2}</li>
        <li>{t.nextStep3}</li>
      </ol>
      <h2>{t.meetingsTitle}</h2>
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
          href={`/cohorts/${cohort.id}/meetings.ics?lang=${lang}`}
          download={`${cohort.id}.ics`}
        >
          {t.icsLink}
        </a>
      </p>
      <ProgrammeContactCard lang={lang} contact={contact} />
    </Layout>
  );
}
