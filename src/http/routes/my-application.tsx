import { type Context, Hono } from 'hono';
import type { Cohort } from '../../../workflows/index.ts';
import { MY_APPLICATION, myApplicationPath } from '../../domain/applicant-link.ts';
import { formToInput } from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import { verifyLink } from '../../domain/signed-link.ts';
import { isLang, type Lang } from '../../pages/i18n/index.ts';
import { MyApplicationPage, type MyNotice } from '../../pages/my-application.tsx';
import { AskLinkPage, WithdrawConfirmPage } from '../../pages/my-application-forms.tsx';
import { ProposedUpdateSection } from '../../pages/proposed-update.tsx';
import type { MyApplicationView } from '../../usecases/my-application.ts';
import type { AppDeps, AppEnv, ApplicantPages } from '../deps.ts';
import { field, readForm } from '../form-body.ts';
import { requestLang } from '../lang.ts';
import { enforceLimit } from './limits.ts';

const NOTICES: readonly MyNotice[] = [
  'corrected',
  'noted',
  'unchanged',
  'withdrawn',
  'stale',
  'proposalApplied',
  'proposalNoted',
  'proposalDiscarded',
];
// What settling a repeat's answers came to, as the page says it; nothing waiting says nothing.
const SETTLED: Record<string, MyNotice | undefined> = {
  applied: 'proposalApplied',
  noted: 'proposalNoted',
  discarded: 'proposalDiscarded',
};
const ASK_SCOPE = 'my-link';
const pageScope = (id: string) => `my:${id}`;

/** The applicant's own page behind a signed link, and "send me my link". Mounted before the form's routes. */
export function myApplicationRoutes(deps: AppDeps, pages: ApplicantPages): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const now = () => deps.clock();

  // The person's own choice (`?lang=`, the posted field), else the language they applied in.
  const langFor = (c: Context, view: MyApplicationView | undefined, posted?: string): Lang => {
    if (isLang(posted) || isLang(c.req.query('lang'))) return requestLang(c, posted);
    if (view) {
      c.header('Content-Language', view.language);
      return view.language;
    }
    return requestLang(c);
  };

  const tokenFresh = async (c: Context, scope: string, token: string | undefined) => {
    const check = await deps.formTokens.check(scope, token, now().getTime());
    if (!check.ok) return false;
    if (!deps.formTokenFirstUse) return true;
    // As on the form: a store that cannot answer lets the post through, and the log says so.
    return deps.formTokenFirstUse(check.id).catch((error: unknown) => {
      deps.logger.warn(
        { requestId: c.get('requestId'), err: (error as Error).message },
        'form token use not checked',
      );
      return true;
    });
  };

  const cohortOf = (view: MyApplicationView): Cohort => {
    const cohort = deps.workflows.cohorts.get(view.cohortId);
    if (!cohort) throw new AppError('not_found', 'no such cohort');
    return cohort;
  };

  const refuse = async (c: Context, reason: 'expired' | 'invalid' | 'gone') => {
    const lang = requestLang(c);
    const formToken = await deps.formTokens.issue(ASK_SCOPE, now().getTime());
    const status = reason === 'expired' ? 410 : reason === 'invalid' ? 403 : 404;
    return c.html(<AskLinkPage formToken={formToken} lang={lang} refused={reason} />, status);
  };

  /** The application id a link's token names, or the refusal page. */
  const linked = async (c: Context): Promise<string | Response> => {
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    const verdict = await verifyLink(pages.linkSecret, MY_APPLICATION, c.req.param('token'), now());
    if (verdict === 'expired' || verdict === 'invalid') return refuse(c, verdict);
    return verdict.subject;
  };

  const showPage = async (
    c: Context,
    view: MyApplicationView,
    lang: Lang,
    extra: {
      notice?: MyNotice;
      values?: Record<string, unknown>;
      errors?: Partial<Record<string, string>>;
    } = {},
    status = 200,
  ) => {
    const formToken = await deps.formTokens.issue(pageScope(view.id), now().getTime());
    const base = myApplicationPath(c.req.param('token') ?? '');
    const proposal = await pages.proposal(view.id);
    const sections = proposal
      ? [
          <ProposedUpdateSection
            proposal={proposal}
            lang={lang}
            actionUrl={`${base}/proposal`}
            formToken={formToken}
          />,
        ]
      : [];
    return c.html(
      <MyApplicationPage
        cohort={cohortOf(view)}
        view={view}
        base={base}
        formToken={formToken}
        lang={lang}
        contact={deps.workflows.contact}
        sections={sections}
        {...extra}
      />,
      status as 200,
    );
  };

  app.get('/apply/my', async (c) => {
    c.header('Cache-Control', 'no-store');
    const formToken = await deps.formTokens.issue(ASK_SCOPE, now().getTime());
    return c.html(<AskLinkPage formToken={formToken} lang={requestLang(c)} />);
  });

  // The same answer for every address, known or not, sent or held back by the ten-minute rule.
  app.post('/apply/my', async (c) => {
    c.header('Cache-Control', 'no-store');
    await enforceLimit(deps.limits.ip, `ip:${deps.clientIp(c)}`, now().getTime());
    const form = await readForm(c);
    const lang = requestLang(c, field(form, 'lang'));
    if (!(await tokenFresh(c, ASK_SCOPE, field(form, 'formToken') || undefined))) {
      const formToken = await deps.formTokens.issue(ASK_SCOPE, now().getTime());
      return c.html(<AskLinkPage formToken={formToken} lang={lang} />, 400);
    }
    await pages.requestLink(field(form, 'email'));
    return c.html(<AskLinkPage formToken="" lang={lang} sent />);
  });

  app.get('/apply/my/:token', async (c) => {
    const id = await linked(c);
    if (typeof id !== 'string') return id;
    const view = await pages.open(id);
    if (!view) return refuse(c, 'gone');
    const done = c.req.query('done') as MyNotice | undefined;
    return showPage(c, view, langFor(c, view), done && NOTICES.includes(done) ? { notice: done } : {});
  });

  app.post('/apply/my/:token/correct', async (c) => {
    const id = await linked(c);
    if (typeof id !== 'string') return id;
    const form = await readForm(c);
    const view = await pages.view(id);
    if (!view) return refuse(c, 'gone');
    const lang = langFor(c, view, field(form, 'lang'));
    const input = formToInput(form);
    if (!(await tokenFresh(c, pageScope(id), field(form, 'formToken') || undefined)))
      return showPage(c, view, lang, { notice: 'stale', values: input }, 400);
    try {
      const outcome = await pages.correct(id, input);
      return c.redirect(`${myApplicationPath(c.req.param('token'))}?lang=${lang}&done=${outcome}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'validation_failed')
        return showPage(c, view, lang, { values: input, errors: error.fields ?? {} }, 400);
      if (error instanceof AppError && error.code === 'conflict')
        return showPage(c, (await pages.view(id)) ?? view, lang, {}, 409);
      throw error;
    }
  });

  // The answers of a repeat submission, applied or set aside by the owner (applyProposedUpdate decides
  // whether they still may change the application or go to staff as a note).
  app.post('/apply/my/:token/proposal', async (c) => {
    const id = await linked(c);
    if (typeof id !== 'string') return id;
    const form = await readForm(c);
    const view = await pages.view(id);
    if (!view) return refuse(c, 'gone');
    const lang = langFor(c, view, field(form, 'lang'));
    const action = field(form, 'action');
    if (action !== 'apply' && action !== 'discard') throw new AppError('bad_request', 'unknown action');
    if (!(await tokenFresh(c, pageScope(id), field(form, 'formToken') || undefined)))
      return showPage(c, view, lang, { notice: 'stale' }, 400);
    const notice = SETTLED[await pages.settleProposal(id, action)];
    const done = notice ? `&done=${notice}` : '';
    return c.redirect(`${myApplicationPath(c.req.param('token'))}?lang=${lang}${done}`, 303);
  });

  app.get('/apply/my/:token/withdraw', async (c) => {
    const id = await linked(c);
    if (typeof id !== 'string') return id;
    const view = await pages.view(id);
    if (!view) return refuse(c, 'gone');
    const base = myApplicationPath(c.req.param('token'));
    const lang = langFor(c, view);
    if (!view.withdrawable) return c.redirect(`${base}?lang=${lang}`, 303);
    const formToken = await deps.formTokens.issue(pageScope(id), now().getTime());
    const accepted = ['accepted', 'onboarding', 'onboarded'].includes(view.status);
    return c.html(<WithdrawConfirmPage base={base} formToken={formToken} accepted={accepted} lang={lang} />);
  });

  app.post('/apply/my/:token/withdraw', async (c) => {
    const id = await linked(c);
    if (typeof id !== 'string') return id;
    const form = await readForm(c);
    const view = await pages.view(id);
    if (!view) return refuse(c, 'gone');
    const base = myApplicationPath(c.req.param('token'));
    const lang = langFor(c, view, field(form, 'lang'));
    if (
      field(form, 'confirm') !== 'yes' ||
      !(await tokenFresh(c, pageScope(id), field(form, 'formToken') || undefined))
    )
      return showPage(c, view, lang, { notice: 'stale' }, 400);
    if (view.withdrawable) await pages.withdraw(id);
    return c.redirect(`${base}?lang=${lang}&done=withdrawn`, 303);
  });
  return app;
}
