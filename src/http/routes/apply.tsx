import { type Context, Hono } from 'hono';
import { cohortCalendar } from '../../../integrations/ics/index.ts';
import type { Cohort } from '../../../workflows/index.ts';
import { formToInput, validateApplication } from '../../domain/application.ts';
import { AppError } from '../../domain/errors.ts';
import { parseReference } from '../../domain/reference.ts';
import { cleanLine } from '../../domain/text.ts';
import { AccessibilityPage } from '../../pages/accessibility.tsx';
import { ApplyPage, type FormValues } from '../../pages/apply.tsx';
import { ConfirmationPage } from '../../pages/confirmation.tsx';
import { catalogues, type Lang } from '../../pages/i18n/index.ts';
import { PrivacyPage } from '../../pages/privacy.tsx';
import { RepeatPage } from '../../pages/repeat.tsx';
import type { AppDeps, AppEnv } from '../deps.ts';
import { field, readForm } from '../form-body.ts';
import { requestLang } from '../lang.ts';
import { draftRoutes } from './drafts.tsx';
import { enforceLimit } from './limits.ts';

const DEFAULT_MIN_FILL_MS = 3000;

/** The public form: GET renders, POST validates and stores, then 303 to the confirmation page. */
export function applyRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const minFill = deps.minFillMs ?? DEFAULT_MIN_FILL_MS;

  const cohortOf = (id: string | undefined): Cohort => {
    const cohort = deps.workflows.cohorts.get(id ?? deps.workflows.defaultCohort);
    if (!cohort) throw new AppError('not_found', 'no such cohort');
    return cohort;
  };

  const renderForm = async (
    c: Context,
    cohort: Cohort,
    lang: Lang,
    extra: Partial<Parameters<typeof ApplyPage>[0]> = {},
    status = 200,
  ) => {
    const formToken = await deps.formTokens.issue(cohort.id, deps.clock().getTime());
    c.header('Cache-Control', 'no-store');
    return c.html(
      <ApplyPage
        cohort={cohort}
        action={`/apply/${cohort.id}`}
        formToken={formToken}
        lang={lang}
        turnstileSiteKey={deps.botCheck?.siteKey}
        branding={deps.workflows.branding}
        canSave={Boolean(deps.drafts)}
        {...extra}
      />,
      status as 200,
    );
  };

  const showForm = (c: Context, id: string | undefined) => {
    const cohort = cohortOf(id);
    const lang = requestLang(c);
    if (!cohort.open) throw new AppError('cohort_closed', 'closed');
    return renderForm(c, cohort, lang);
  };
  app.get('/', (c) => c.redirect('/apply', 302));
  app.get('/apply', (c) => showForm(c, undefined));
  app.get('/apply/:cohort', (c) => showForm(c, c.req.param('cohort')));

  // A store that cannot answer must not cost a person their application: like an unreachable bot check,
  // it lets the post through, and says so in the log.
  const firstUse = async (c: Context, tokenId: string) => {
    if (!deps.formTokenFirstUse) return true;
    try {
      return await deps.formTokenFirstUse(tokenId);
    } catch (error) {
      deps.logger.warn(
        { requestId: c.get('requestId'), err: (error as Error).message },
        'form token use not checked',
      );
      return true;
    }
  };

  // The application is stored by now; a draft left behind expires on its own, so a failure here is only logged.
  const discardDraft = async (c: Context, cohortId: string, email: string) => {
    try {
      await deps.drafts?.discard(cohortId, email);
    } catch (error) {
      deps.logger.warn(
        { requestId: c.get('requestId'), err: (error as Error).message },
        'draft not discarded',
      );
    }
  };

  const handlePost = async (c: Context, id: string | undefined) => {
    const cohort = cohortOf(id);
    const now = deps.clock().getTime();
    const clientIp = deps.clientIp(c);
    await enforceLimit(deps.limits.ip, `ip:${clientIp}`, now);
    const form = await readForm(c);
    const lang = requestLang(c, field(form, 'lang'));
    const t = catalogues[lang];
    const input = formToInput(form);
    const values = input as FormValues;
    const honeypot = typeof form.website === 'string' ? form.website : '';
    if (honeypot.trim() !== '') {
      // Bots get what looks like success and nothing is stored.
      deps.logger.warn({ requestId: c.get('requestId'), cohort: cohort.id }, 'honeypot filled');
      return c.redirect(`/apply/${cohort.id}/done`, 303);
    }
    if (!cohort.open) throw new AppError('cohort_closed', 'closed');
    // "Save and continue later" sends the same form with another button; a half-filled form is its point.
    const saving = Boolean(deps.drafts) && field(form, 'intent') === 'save';
    // The fields first: someone quick who got one wrong sees which, rather than a note about speed.
    if (!saving) {
      const validated = validateApplication(cohort, input);
      if (!validated.ok) return renderForm(c, cohort, lang, { values, errors: validated.fields }, 400);
    }
    const token = typeof form.formToken === 'string' ? form.formToken : undefined;
    const check = await deps.formTokens.check(cohort.id, token, now);
    if (!check.ok && check.reason === 'expired') {
      return renderForm(c, cohort, lang, { values, notice: t.formExpired }, 400);
    }
    if (!check.ok) return renderForm(c, cohort, lang, { values, notice: t.tooFast }, 400);
    if (typeof input.email === 'string' && input.email) {
      await enforceLimit(deps.limits.email, `email:${cleanLine(input.email).toLowerCase()}`, now);
    }
    // A complete application sent faster than a person types (a password manager, a pasted draft) is kept
    // and shown to staff with a flag: sending it back could lose it, and staff can judge it in a glance.
    const flags: string[] = check.ageMs < minFill ? ['filled_fast'] : [];
    if (deps.botCheck) {
      const verdict = await deps.botCheck.verify(field(form, 'cf-turnstile-response'), clientIp);
      if (verdict === 'fail') return renderForm(c, cohort, lang, { values, notice: t.botCheckFailed }, 400);
      if (verdict === 'unavailable') flags.push('bot_check_unverified');
    }
    // Taken just before storing, so a post sent back by the checks above keeps its token usable; one the
    // validation sends back comes with a fresh token anyway.
    if (!(await firstUse(c, check.id)))
      return renderForm(c, cohort, lang, { values, notice: t.formReused }, 400);
    // A draft passes every check an application does, except the application's own validation.
    if (saving && deps.drafts) {
      try {
        await deps.drafts.save({ cohortId: cohort.id, form: input, language: lang });
      } catch (error) {
        if (error instanceof AppError && error.code === 'validation_failed') {
          const errors = error.fields ?? {};
          return renderForm(c, cohort, lang, { values, errors, notice: t.saveNeedsEmail }, 400);
        }
        throw error;
      }
      return c.redirect(`/apply/${cohort.id}/saved`, 303);
    }
    try {
      const result = await deps.submit({
        cohortId: cohort.id,
        body: input,
        source: 'form',
        clientIp,
        flags,
        language: lang,
      });
      if (deps.drafts && typeof input.email === 'string') await discardDraft(c, cohort.id, input.email);
      if (result.queued) return c.redirect(`/apply/${cohort.id}/done?queued=1`, 303);
      // A repeat's answer carries no reference, so there is none to put in the address bar either.
      if (!('reference' in result.body)) return c.redirect(`/apply/${cohort.id}/exists?lang=${lang}`, 303);
      const { reference } = result.body;
      const sig = await deps.formTokens.signReference(cohort.id, reference);
      return c.redirect(`/apply/${cohort.id}/done?ref=${encodeURIComponent(reference)}&sig=${sig}`, 303);
    } catch (error) {
      if (error instanceof AppError && error.code === 'validation_failed') {
        return renderForm(c, cohort, lang, { values, errors: error.fields ?? {} }, 400);
      }
      throw error;
    }
  };
  if (deps.drafts) app.route('/', draftRoutes(deps.drafts, cohortOf, renderForm));
  app.post('/apply', (c) => handlePost(c, undefined));
  app.post('/apply/:cohort', (c) => handlePost(c, c.req.param('cohort')));

  app.get('/apply/:cohort/done', async (c) => {
    const cohort = cohortOf(c.req.param('cohort'));
    const ref = c.req.query('ref');
    const reference = ref === undefined ? null : parseReference(ref);
    const signature = c.req.query('sig');
    // Only a reference this service signed is shown: a guessed or altered one is no page at all.
    if (
      ref !== undefined &&
      !(reference && (await deps.formTokens.verifyReference(cohort.id, reference, signature)))
    )
      throw new AppError('not_found', 'no such confirmation');
    const lang = requestLang(c);
    c.header('Cache-Control', 'no-store');
    return c.html(
      <ConfirmationPage
        cohort={cohort}
        reference={reference && signature ? { reference, signature } : null}
        queued={c.req.query('queued') === '1'}
        lang={lang}
        contact={deps.workflows.contact}
        branding={deps.workflows.branding}
      />,
    );
  });

  app.get('/apply/:cohort/exists', (c) => {
    const cohort = cohortOf(c.req.param('cohort'));
    c.header('Cache-Control', 'no-store');
    return c.html(<RepeatPage cohort={cohort} lang={requestLang(c)} contact={deps.workflows.contact} />);
  });

  app.get('/cohorts/:cohort/meetings.ics', (c) => {
    const cohort = cohortOf(c.req.param('cohort'));
    const lang = requestLang(c);
    return c.body(cohortCalendar(cohort, { publicUrl: deps.publicUrl, lang }), 200, {
      'Content-Type': 'text/calendar; charset=utf-8',
      'Content-Disposition': `attachment; filename="${cohort.id}.ics"`,
      'Cache-Control': 'public, max-age=300',
    });
  });

  const { branding } = deps.workflows;
  app.get('/privacy', (c) =>
    c.html(<PrivacyPage lang={requestLang(c)} contact={deps.workflows.contact} branding={branding} />),
  );
  app.get('/accessibility', (c) =>
    c.html(
      <AccessibilityPage lang={requestLang(c)} settings={deps.workflows.accessibility} branding={branding} />,
    ),
  );
  return app;
}
