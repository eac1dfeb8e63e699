import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Cohort } from '../../../workflows/index.ts';
import type { DraftAnswers } from '../../domain/draft.ts';
import { AppError } from '../../domain/errors.ts';
import type { FormValues } from '../../pages/apply.tsx';
import { DraftLinkPage, SavedPage } from '../../pages/draft.tsx';
import { catalogues, isLang, type Lang } from '../../pages/i18n/index.ts';
import type { AppEnv, DraftService } from '../deps.ts';
import { requestLang } from '../lang.ts';

type RenderForm = (
  c: Context,
  cohort: Cohort,
  lang: Lang,
  extra: {
    values?: FormValues;
    notice?: string;
    restored?: boolean;
    langHref?: (lang: Lang) => string;
  },
) => Response | Promise<Response>;

/** A draft's answers as the form shows them; consent is asked again when the application is sent. */
function formValues(answers: DraftAnswers): FormValues {
  const one = (k: string) => (typeof answers[k] === 'string' ? answers[k] : undefined);
  const many = (k: string) => (Array.isArray(answers[k]) ? answers[k] : []);
  const values: FormValues = { topics: many('topics'), confirmedMeetings: many('confirmedMeetings') };
  for (const k of [
    'fullName',
    'email',
    'phone',
    'organisation',
    'roleTitle',
    'sector',
    'region',
    'motivation',
    'accessibilityNeeds',
  ] as const) {
    const v = one(k);
    if (v !== undefined) values[k] = v;
  }
  return values;
}

/** The pages of a saved form: "the link was sent", and the e-mailed link that opens it again. */
export function draftRoutes(
  drafts: DraftService,
  cohortOf: (id: string | undefined) => Cohort,
  renderForm: RenderForm,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/apply/:cohort/saved', (c) => {
    const cohort = cohortOf(c.req.param('cohort'));
    c.header('Cache-Control', 'no-store');
    return c.html(<SavedPage cohort={cohort} lang={requestLang(c)} />);
  });

  app.get('/apply/:cohort/resume', async (c) => {
    const cohort = cohortOf(c.req.param('cohort'));
    if (!cohort.open) throw new AppError('cohort_closed', 'closed');
    const token = c.req.query('token') ?? '';
    // The link is a key to someone's answers: kept out of caches and search engines.
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    const langHref = (l: Lang) => `?token=${encodeURIComponent(token)}&lang=${l}`;
    const opened = await drafts.open(cohort.id, token);
    if (opened.kind !== 'restored') {
      const lang = requestLang(c);
      return c.html(
        <DraftLinkPage cohort={cohort} kind={opened.kind} lang={lang} langHref={langHref} />,
        opened.kind === 'expired' ? 410 : 400,
      );
    }
    // In the language it was saved in, unless the person picks another on the page.
    const asked = c.req.query('lang');
    const lang = requestLang(c, isLang(asked) ? asked : opened.language);
    return renderForm(c, cohort, lang, {
      values: formValues(opened.answers),
      notice: catalogues[lang].draftResumed,
      restored: true,
      langHref,
    });
  });
  return app;
}
