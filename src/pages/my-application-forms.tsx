import type { Cohort } from '../../workflows/index.ts';
import type { MyApplicationView } from '../usecases/my-application.ts';
import { AnswerFields } from './answer-fields.tsx';
import { ErrorSummary, TextField } from './fields.tsx';
import { DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { MY_TEXTS } from './i18n/my-application.ts';
import { Layout } from './layout.tsx';

const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const list = (v: unknown, fallback: string[]) =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : fallback;

/** The correction form: the answers as stored (or as just typed, when sent back), email and consent aside. */
export function CorrectionForm(props: {
  cohort: Cohort;
  view: MyApplicationView;
  action: string;
  formToken: string;
  lang: Lang;
  values?: Record<string, unknown> | undefined;
  errors?: Partial<Record<string, string>> | undefined;
}) {
  const { cohort, view, action, formToken, lang, errors = {} } = props;
  const t = MY_TEXTS[lang];
  const posted = props.values ?? {};
  const a = view.answers;
  const v = {
    fullName: str(posted.fullName, a.fullName),
    phone: str(posted.phone, a.phone),
    organisation: str(posted.organisation, a.organisation),
    roleTitle: str(posted.roleTitle, a.roleTitle),
    sector: str(posted.sector, a.sector),
    region: str(posted.region, a.region),
    motivation: str(posted.motivation, a.motivation),
    topics: props.values ? list(posted.topics, []) : a.topics,
    confirmedMeetings: props.values ? list(posted.confirmedMeetings, []) : a.confirmedMeetings,
    accessibilityNeeds: str(posted.accessibilityNeeds, a.accessibilityNeeds),
  };
  const errorFields = Object.keys(errors).filter((f) => errors[f]);
  const direct = view.corrections === 'direct';
  return (
    <section class="card" aria-labelledby="correct-title">
      <h2 id="correct-title">{t.correctTitle}</h2>
      <p id="correct-how">{direct ? t.correctDirect : t.correctNote}</p>
      <ErrorSummary lang={lang} fields={errorFields} errors={errors} titleId="correct-errors">
        <h3 id="correct-errors">{t.correctErrors}</h3>
      </ErrorSummary>
      <form method="post" action={action} novalidate>
        <input type="hidden" name="formToken" value={formToken} />
        <input type="hidden" name="lang" value={lang} />
        <TextField
          lang={lang}
          name="fullName"
          value={v.fullName}
          error={errors.fullName}
          autocomplete="name"
          maxLength={120}
        />
        <AnswerFields lang={lang} cohort={cohort} values={v} errors={errors} />
        <button type="submit" id="correct-submit">
          {direct ? t.correctSaveDirect : t.correctSaveNote}
        </button>
      </form>
    </section>
  );
}

/** The confirmation step before a withdrawal: one button posts it, the other goes back. */
export function WithdrawConfirmPage(props: {
  base: string;
  formToken: string;
  accepted: boolean;
  lang?: Lang;
}) {
  const { base, formToken, accepted, lang = DEFAULT_LANG } = props;
  const t = MY_TEXTS[lang];
  const what = accepted ? t.withdrawAfter : t.withdrawBefore;
  return (
    <Layout title={what} lang={lang}>
      <h1>{`${what}: ${t.withdrawConfirmTitle}`}</h1>
      <p>{t.withdrawConfirmBody}</p>
      <form method="post" action={`${base}/withdraw`} class="inline">
        <input type="hidden" name="formToken" value={formToken} />
        <input type="hidden" name="lang" value={lang} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" id="withdraw-confirm" class="danger">
          {t.withdrawConfirm}
        </button>
        <a class="button secondary" href={`${base}?lang=${lang}`}>
          {t.withdrawBack}
        </a>
      </form>
    </Layout>
  );
}

/** "Send me my link": the form, or after a post the same answer whatever the address. */
export function AskLinkPage(props: {
  formToken: string;
  lang?: Lang;
  sent?: boolean;
  /** Why the person is here: their link expired or was not one of ours. */
  refused?: 'expired' | 'invalid' | 'gone' | undefined;
}) {
  const { formToken, lang = DEFAULT_LANG, sent = false, refused } = props;
  const t = MY_TEXTS[lang];
  const heading = refused ? t[`${refused}Title`] : sent ? t.askSentTitle : t.askTitle;
  return (
    <Layout title={heading} lang={lang}>
      <h1>{heading}</h1>
      {refused ? <p>{t[`${refused}Body`]}</p> : null}
      {sent ? (
        <p class="notice" role="status" id="ask-sent">
          {t.askSent}
        </p>
      ) : (
        <form method="post" action="/apply/my" novalidate>
          {refused ? <h2>{t.askTitle}</h2> : null}
          <p>{t.askLead}</p>
          <input type="hidden" name="formToken" value={formToken} />
          <input type="hidden" name="lang" value={lang} />
          <TextField
            lang={lang}
            name="email"
            value=""
            error={undefined}
            type="email"
            autocomplete="email"
            maxLength={254}
          />
          <button type="submit" id="ask-submit">
            {t.askSubmit}
          </button>
        </form>
      )}
    </Layout>
  );
}
