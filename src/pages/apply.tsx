import type { Branding, Cohort } from '../../workflows/index.ts';
import { FIELD_NAMES } from '../domain/application.ts';
import { AnswerFields } from './answer-fields.tsx';
import { SaveLater } from './draft.tsx';
import { describedBy, ErrorSummary, ErrorText, MeetingWhen, TextField } from './fields.tsx';
import { catalogues, DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { Layout } from './layout.tsx';

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
  lang?: Lang;
  values?: FormValues;
  errors?: Partial<Record<string, string>>;
  notice?: string;
  /** Cloudflare Turnstile's public site key; when set, the widget is shown above the submit button. */
  turnstileSiteKey?: string | undefined;
  branding?: Branding | undefined;
  /** Offers "save and continue later" (the core has somewhere to keep drafts; the edge does not). */
  canSave?: boolean;
  /** The values come from a saved draft: the script keeps them as the browser's copy too. */
  restored?: boolean;
  /** Where the language links lead, when the page's address carries more than the cohort. */
  langHref?: (lang: Lang) => string;
}

/** Cloudflare's widget script; the CSP names its origin only when Turnstile is on. */
export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';
const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js`;

/**
 * The public application form: works without JavaScript; with it, a draft is kept in the browser too. A
 * second submit button saves the form on the server and mails a link to carry on elsewhere.
 */
export function ApplyPage({
  cohort,
  action,
  formToken,
  lang = DEFAULT_LANG,
  values = {},
  errors = {},
  notice,
  turnstileSiteKey,
  branding,
  canSave = false,
  restored = false,
  langHref,
}: ApplyPageProps) {
  const t = catalogues[lang];
  const errorFields = FIELD_NAMES.filter((f) => errors[f]);
  const hasValues = Object.keys(values).length > 0;
  const title = cohort.name[lang];
  const mode = (m: Cohort['meetings'][number]) => (m.mode === 'online' ? t.online : t.inPerson);
  return (
    <Layout
      title={errorFields.length > 0 ? t.errorPageTitle(title) : title}
      lang={lang}
      branding={branding}
      {...(langHref ? { langHref } : {})}
    >
      <h1>{title}</h1>
      <ErrorSummary lang={lang} fields={errorFields} errors={errors} titleId="error-summary-title">
        <h2 id="error-summary-title">{t.errorSummaryTitle}</h2>
      </ErrorSummary>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <p>{cohort.description[lang]}</p>
      <section class="card" aria-labelledby="meetings-title">
        <h2 id="meetings-title">{t.meetingsTitle}</h2>
        <p class="hint">{`${t.meetingsCount(cohort.meetings.length)}.`}</p>
        <ul class="meetings">
          {cohort.meetings.map((m) => (
            <li>
              <strong>{m.title[lang]}</strong>
              {' — '}
              <MeetingWhen lang={lang} cohort={cohort} meeting={m} />
              {` (${mode(m)})`}
            </li>
          ))}
        </ul>
      </section>
      <p class="notice" id="draft-note" hidden>
        {t.draftRestored}{' '}
        <button type="button" class="secondary">
          {t.draftClear}
        </button>
      </p>
      <form
        method="post"
        action={action}
        novalidate
        data-draft={cohort.id}
        data-has-values={String(hasValues)}
        data-restored={restored ? 'true' : undefined}
      >
        <p class="hint">{t.requiredNote}</p>
        <input type="hidden" name="formToken" value={formToken} />
        <input type="hidden" name="lang" value={lang} />
        <div class="hp" aria-hidden="true">
          <label for="website">{t.honeypotLabel}</label>
          <input type="text" id="website" name="website" tabindex={-1} autocomplete="off" />
        </div>
        <TextField
          lang={lang}
          name="fullName"
          value={values.fullName}
          error={errors.fullName}
          autocomplete="name"
          maxLength={120}
        />
        <TextField
          lang={lang}
          name="email"
          type="email"
          value={values.email}
          error={errors.email}
          autocomplete="email"
          maxLength={254}
        />
        <AnswerFields lang={lang} cohort={cohort} values={values} errors={errors} />
        <div class="field">
          <ErrorText lang={lang} field="consent" code={errors.consent} />
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
              {`${t.consentBefore} `}
              <a href={withLang(cohort.form.privacyNoticeUrl, lang)}>{t.privacyLink}</a>
              {t.consentAfter.startsWith('،') || t.consentAfter.startsWith(',')
                ? t.consentAfter
                : ` ${t.consentAfter}`}
              {' *'}
            </label>
          </div>
        </div>
        {turnstileSiteKey ? (
          <>
            <div class="cf-turnstile" data-sitekey={turnstileSiteKey} data-language={lang} />
            <script src={TURNSTILE_SCRIPT} async defer />
          </>
        ) : null}
        <button type="submit" id="submit-application">
          {t.submit}
        </button>
        {canSave ? <SaveLater lang={lang} /> : null}
      </form>
    </Layout>
  );
}

/** A link to another page in the same language; a configured address may already carry a query. */
const withLang = (url: string, lang: Lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;
