import type { Cohort } from '../../workflows/index.ts';
import { FIELD_NAMES, type FieldName } from '../domain/application.ts';
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

const errorId = (f: string) => `${f}-error`;
const hintId = (f: string) => `${f}-hint`;

function describedBy(field: string, hasHint: boolean, hasError: boolean): string | undefined {
  const ids = [hasHint ? hintId(field) : '', hasError ? errorId(field) : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function ErrorText({ field, code }: { field: string; code: string | undefined }) {
  if (!code) return null;
  return (
    <p class="error" id={errorId(field)}>
      {fieldMessage(field, code)}
    </p>
  );
}

interface TextFieldProps {
  name: FieldName;
  value: string | undefined;
  error: string | undefined;
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  hint?: string;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'email' | 'tel' | 'text';
}

function TextField({
  name,
  value,
  error,
  type = 'text',
  autocomplete,
  hint,
  required = true,
  maxLength,
}: TextFieldProps) {
  return (
    <div class="field">
      <label for={name}>
        {fieldLabels[name]}
        {required ? ' *' : ''}
      </label>
      {hint ? (
        <p class="hint" id={hintId(name)}>
          {hint}
        </p>
      ) : null}
      <ErrorText field={name} code={error} />
      <input
        id={name}
        name={name}
        type={type}
        value={value ?? ''}
        autocomplete={autocomplete}
        required={required}
        maxlength={maxLength}
        dir={type === 'text' ? 'auto' : 'ltr'}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, Boolean(hint), Boolean(error))}
      />
    </div>
  );
}

function SelectField(props: {
  name: 'sector' | 'region';
  choices: { id: string; he: string }[];
  value: string | undefined;
  error: string | undefined;
}) {
  const { name, choices, value, error } = props;
  return (
    <div class="field">
      <label for={name}>{`${fieldLabels[name]} *`}</label>
      <ErrorText field={name} code={error} />
      <select
        id={name}
        name={name}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, false, Boolean(error))}
      >
        <option value="">{text.choose}</option>
        {choices.map((c) => (
          <option value={c.id} selected={value === c.id}>
            {c.he}
          </option>
        ))}
      </select>
    </div>
  );
}

function CheckboxGroup(props: {
  name: 'topics' | 'confirmedMeetings';
  legend: string;
  hint: string;
  options: { id: string; label: string }[];
  checked: string[];
  error: string | undefined;
}) {
  const { name, legend, hint, options, checked, error } = props;
  return (
    <fieldset
      id={name}
      tabindex={-1}
      aria-invalid={error ? 'true' : undefined}
      aria-describedby={describedBy(name, true, Boolean(error))}
    >
      <legend>{legend}</legend>
      <p class="hint" id={hintId(name)}>
        {hint}
      </p>
      <ErrorText field={name} code={error} />
      {options.map((o) => (
        <div class="choice">
          <input
            type="checkbox"
            id={`${name}-${o.id}`}
            name={name}
            value={o.id}
            checked={checked.includes(o.id)}
          />
          <label for={`${name}-${o.id}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

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
