import type { Cohort } from '../../workflows/index.ts';
import { FIELD_NAMES } from '../domain/application.ts';
import { formatMeetingHe } from '../domain/meetings.ts';
import { Layout } from './layout.tsx';
import { fieldLabels, fieldMessage, text } from './strings.ts';

/** What the person typed, kept as typed so a failed submission loses nothing. */
export interface FormValues {
  fullName?: string;
  email?: string;
  phone?: string;
  organisation?: string;
  roleTitle?: string;
  sector?: string;
  region?: string;
  motivation?: string;
  topics?: string[];
  confirmedMeetings?: string[];
  accessibilityNeeds?: string;
  consent?: boolean;
}

export interface ApplyPageProps {
  cohort: Cohort;
  action: string;
  formToken: string;
  values?: FormValues;
  errors?: Partial<Record<string, string>>;
  notice?: string;
  /** Cloudflare Turnstile's public site key; when set, the widget is shown above the submit button. */
  turnstileSiteKey?: string | undefined;
}

/** Cloudflare's widget script; the CSP names its origin only when Turnstile is on. */
export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';
const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;

import { CheckboxGroup, describedBy, ErrorText, hintId, SelectField, TextField } from './fields.tsx';

/** The public application form: works without JavaScript; with it, a draft is kept in the browser. */
export function ApplyPage({
  cohort,
  action,
  formToken,
  values = {},
  errors = {},
  notice,
  turnstileSiteKey,
}: ApplyPageProps) {
  const errorFields = FIELD_NAMES.filter((f) => errors[f]);
  const hasValues = Object.keys(values).length > 0;
  const title = cohort.name.he;
  return (
    <Layout title={errorFields.length > 0 ? `שגיאה: ${title}` : title}>
      <h1>{title}</h1>
      {errorFields.length > 0 ? (
        <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1} autofocus>
          <h2 id="error-summary-title">{text.errorSummaryTitle}</h2>
          <ul>
            {errorFields.map((f) => (
              <li>
                <a href={`#${f}`}>{`${fieldLabels[f]}: ${fieldMessage(f, errors[f] ?? 'invalid_type')}`}</a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>{cohort.description.he}</p>
      <section class="card" aria-labelledby="meetings-title">
        <h2 id="meetings-title">{text.meetingsTitle}</h2>
        <ul class="meetings">
          {cohort.meetings.map((m) => (
            <li>
              <strong>{m.title.he}</strong>
              {` — ${formatMeetingHe(cohort, m)} (${m.mode === 'online' ? text.online : text.inPerson})`}
            </li>
          ))}
        </ul>
      </section>
      <p class="notice" id="draft-note" hidden>
        {text.draftRestored}{' '}
        <button type="button" class="secondary">
          {text.draftClear}
        </button>
      </p>
      <form
        method="post"
        action={action}
        novalidate
        data-draft={cohort.id}
        data-has-values={String(hasValues)}
      >
        <p class="hint">{text.requiredNote}</p>
        <input type="hidden" name="formToken" value={formToken} />
        <div class="hp" aria-hidden="true">
          <label for="website">אתר אינטרנט (לא למילוי)</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <TextField
          name="fullName"
          value={values.fullName}
          error={errors.fullName}
          autocomplete="name"
          maxLength={120}
        />
        <TextField
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          maxLength={254}
        />
        <TextField
          name="phone"
          type="tel"
          value={values.phone}
          error={errors.phone}
          autocomplete="tel"
          hint={text.phoneHint}
          maxLength={32}
        />
        <TextField
          name="organisation"
          value={values.organisation}
          error={errors.organisation}
          autocomplete="organization"
          maxLength={200}
        />
        <TextField
          name="roleTitle"
          value={values.roleTitle}
          error={errors.roleTitle}
          autocomplete="organization-title"
          maxLength={120}
        />
        <SelectField
          name="sector"
          choices={cohort.form.sectors}
          value={values.sector}
          error={errors.sector}
        />
        <SelectField
          name="region"
          choices={cohort.form.regions}
          value={values.region}
          error={errors.region}
        />
        <div class="field">
          <label for="motivation">{`${fieldLabels.motivation} *`}</label>
          <p class="hint" id={hintId('motivation')}>
            {text.motivationHint(cohort.form.motivationMaxLength)}
          </p>
          <ErrorText field="motivation" code={errors.motivation} />
          <textarea
            id="motivation"
            name="motivation"
            required
            dir="auto"
            maxlength={cohort.form.motivationMaxLength}
            aria-invalid={errors.motivation ? 'true' : undefined}
            aria-describedby={describedBy('motivation', true, Boolean(errors.motivation))}
          >
            {values.motivation ?? ''}
          </textarea>
        </div>
        <CheckboxGroup
          name="topics"
          legend={fieldLabels.topics}
          hint={text.topicsHint}
          options={cohort.form.topics.map((t) => ({ id: t.id, label: t.he }))}
          checked={values.topics ?? []}
          error={errors.topics}
        />
        <CheckboxGroup
          name="confirmedMeetings"
          legend={text.meetingsLegend}
          hint={text.meetingsHint}
          options={cohort.meetings.map((m) => ({
            id: m.id,
            label: `${m.title.he} — ${formatMeetingHe(cohort, m)}`,
          }))}
          checked={values.confirmedMeetings ?? []}
          error={errors.confirmedMeetings}
        />
        <div class="field">
          <label for="accessibilityNeeds">{fieldLabels.accessibilityNeeds}</label>
          <p class="hint" id={hintId('accessibilityNeeds')}>
            {text.accessibilityHint}
          </p>
          <ErrorText field="accessibilityNeeds" code={errors.accessibilityNeeds} />
          <textarea
            id="accessibilityNeeds"
            name="accessibilityNeeds"
            dir="auto"
            maxlength={2000}
            aria-invalid={errors.accessibilityNeeds ? 'true' : undefined}
            aria-describedby={describedBy('accessibilityNeeds', true, Boolean(errors.accessibilityNeeds))}
          >
            {values.accessibilityNeeds ?? ''}
          </textarea>
        </div>
        <div class="field">
          <ErrorText field="consent" code={errors.consent} />
          <div class="choice">
            <input
              type="checkbox"
              id="consent"
              name="consent"
              value="yes"
              required
              checked={values.consent === true}
              aria-invalid={errors.consent ? 'true' : undefined}
              aria-describedby={describedBy('consent', false, Boolean(errors.consent))}
            />
            <label for="consent">
              {`${text.consentLabel} `}
              <a href={cohort.form.privacyNoticeUrl}>{text.privacyLink}</a>
              {' *'}
            </label>
          </div>
        </div>
        {turnstileSiteKey ? (
          <>
            <div class="cf-turnstile" data-sitekey={turnstileSiteKey} data-language="he" />
            <script src={TURNSTILE_SCRIPT} async defer />
          </>
        ) : null}
        <button type="submit" id="submit-application">
          {text.submit}
        </button>
      </form>
    </Layout>
  );
}
