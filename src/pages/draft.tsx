import type { Cohort } from '../../workflows/index.ts';
import { catalogues, DEFAULT_LANG, type Lang } from './i18n/index.ts';
import { Layout } from './layout.tsx';

/** The form's second submit button: it sends the form to be saved, not to be checked and stored. */
export function SaveLater({ lang }: { lang: Lang }) {
  const t = catalogues[lang];
  return (
    <div class="save-later">
      <button
        type="submit"
        name="intent"
        value="save"
        formnovalidate
        class="outline"
        id="save-draft"
        aria-describedby="save-hint"
      >
        {t.saveForLater}
      </button>
      <p class="hint" id="save-hint">
        {t.saveHint}
      </p>
    </div>
  );
}

/**
 * After "save and continue later": the link went to the address, and only there. The page never shows the
 * link, nor the draft, so typing someone's address gets nobody their form.
 */
export function SavedPage({ cohort, lang = DEFAULT_LANG }: { cohort: Cohort; lang?: Lang }) {
  const t = catalogues[lang];
  return (
    <Layout title={t.savedTitle} lang={lang}>
      <h1>{t.savedTitle}</h1>
      <p class="notice" role="status">
        {t.savedLead}
      </p>
      <p>{t.savedNoMail}</p>
      <p>{t.savedNotSent}</p>
      <p>
        <a class="button" href={`/apply/${cohort.id}?lang=${lang}`}>
          {t.toTheForm}
        </a>
      </p>
    </Layout>
  );
}

/** A resume link that cannot open its draft: altered, or past its time (the draft is gone then too). */
export function DraftLinkPage({
  cohort,
  kind,
  lang = DEFAULT_LANG,
  langHref,
}: {
  cohort: Cohort;
  kind: 'invalid' | 'expired';
  lang?: Lang;
  /** Keeps the link's token, so the same answer is read in another language. */
  langHref: (lang: Lang) => string;
}) {
  const t = catalogues[lang];
  const [title, body] =
    kind === 'expired'
      ? [t.resumeExpiredTitle, t.resumeExpiredBody]
      : [t.resumeInvalidTitle, t.resumeInvalidBody];
  return (
    <Layout title={title} lang={lang} langHref={langHref}>
      <h1>{title}</h1>
      <p>{body}</p>
      <p>
        <a class="button" href={`/apply/${cohort.id}?lang=${lang}`}>
          {t.toTheForm}
        </a>
      </p>
    </Layout>
  );
}
