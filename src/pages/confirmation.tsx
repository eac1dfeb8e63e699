import type { Cohort } from '../../workflows/index.ts';
import { formatMeetingHe } from '../domain/meetings.ts';
import { Layout } from './layout.tsx';
import { text } from './strings.ts';

export function ConfirmationPage({
  cohort,
  reference,
  queued = false,
}: {
  cohort: Cohort;
  reference: string | null;
  /** Received at the edge while the core was away: the reference follows by e-mail. */
  queued?: boolean;
}) {
  return (
    <Layout title={text.receivedTitle} clearDraft={cohort.id}>
      <h1>{text.receivedTitle}</h1>
      <p>{text.receivedLead}</p>
      {queued ? (
        <p class="notice" role="status">
          {text.referenceByEmail}
        </p>
      ) : null}
      {reference ? (
        <div class="card">
          <p>{text.referenceLabel}</p>
          <p>
            <span class="reference">{reference}</span>
          </p>
          <p class="hint">{text.referenceHint}</p>
        </div>
      ) : null}
      <h2>{text.nextTitle}</h2>
      <ol>
        {text.nextSteps.map((s) => (
          <li>{s}</li>
        ))}
      </ol>
      <h2>{text.meetingsTitle}</h2>
      <ul class="meetings">
        {cohort.meetings.map((m) => (
          <li>
            <strong>{m.title.he}</strong>
            {` — ${formatMeetingHe(cohort, m)}`}
          </li>
        ))}
      </ul>
      <p>
        <a class="button" href={`/cohorts/${cohort.id}/meetings.ics`} download={`${cohort.id}.ics`}>
          {text.icsLink}
        </a>
      </p>
    </Layout>
  );
}
