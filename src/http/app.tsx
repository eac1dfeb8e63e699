import { type Context, Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '../domain/errors.ts';
import { TURNSTILE_ORIGIN } from '../pages/apply.tsx';
import { catalogues, DEFAULT_LANG, type Lang } from '../pages/i18n/index.ts';
import { MessagePage } from '../pages/layout.tsx';
import { limitBody } from './body-limit.ts';
import type { AppDeps, AppEnv, Logger } from './deps.ts';
import { pageLang } from './lang.ts';
import { openApiDocument } from './openapi.ts';
import { apiRoutes } from './routes/api.ts';
import { applyRoutes } from './routes/apply.tsx';
import { assetRoutes } from './routes/assets.ts';
import { myApplicationRoutes } from './routes/my-application.tsx';

export type { AppDeps, AppEnv, BotCheck, Logger } from './deps.ts';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The HTTP app. Runtime-agnostic: it runs under Node and on Cloudflare Workers alike. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const publicOrigin = new URL(deps.publicUrl).origin;
  const widget = deps.botCheck ? [TURNSTILE_ORIGIN] : [];

  app.use(requestId({ limitLength: 64 }));
  app.use(async (c, next) => {
    const started = Date.now();
    await next();
    deps.logger.info(
      {
        requestId: c.get('requestId'),
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Date.now() - started,
      },
      'request',
    );
  });
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...widget],
        frameSrc: widget.length > 0 ? widget : ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
      // A mounted route may narrow or widen its own policy (the queue board does); everything else gets this.
      overwrite: false,
    }),
  );
  const formBody = limitBody(BODY_LIMIT_BYTES);
  app.use('/apply/*', formBody);
  app.use('/apply', formBody);
  app.use('/api/*', formBody);
  // Form posts must come from our own pages. The JSON API is exempt: it demands application/json, which a
  // cross-site form cannot send, and Slack's requests carry their own signature.
  const sameOrigin = csrf({
    origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin,
    secFetchSite: 'same-origin',
  });
  app.use('/apply/*', sameOrigin);
  app.use('/apply', sameOrigin);

  app.route('/', assetRoutes());
  // Before the form's routes, whose `/apply/:cohort` would take `/apply/my` for a cohort.
  if (deps.applicant) app.route('/', myApplicationRoutes(deps, deps.applicant));
  app.route('/', applyRoutes(deps));
  app.route('/', apiRoutes(deps));
  // Built on first request: the cohorts are fixed after start, and a process that is never asked pays nothing.
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= openApiDocument({
      workflows: deps.workflows,
      publicUrl: deps.publicUrl,
      bodyLimitBytes: BODY_LIMIT_BYTES,
      admin: (deps.mounts ?? []).some((m) => m.path === '/admin/api'),
    });
    return c.json(document);
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const checks = await deps.readiness().catch(() => ({ readiness: false }));
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'unavailable', checks }, ready ? 200 : 503);
  });
  for (const mount of deps.mounts ?? []) app.route(mount.path, mount.app);

  app.notFound((c) => respondError(c, new AppError('not_found', 'no such page'), deps.logger));
  app.onError((err, c) => respondError(c, err, deps.logger));
  return app;
}

const wantsJson = (c: Context) =>
  c.req.path.startsWith('/api/') || c.req.path.startsWith('/admin/api') || c.req.path.startsWith('/slack/');

/**
 * The one place an error becomes a response: JSON with the request id for APIs, a page for people. An
 * applicant reads it in their negotiated language; staff pages are Hebrew, as the dashboard is.
 */
export function respondError(c: Context, err: unknown, logger: Logger): Response | Promise<Response> {
  const error = toAppError(err);
  const id = (c.get('requestId') as string | undefined) ?? '';
  if (error.status >= 500) logger.error({ requestId: id, err: serialise(err) }, 'request failed');
  if (error.options.retryAfterSeconds) c.header('Retry-After', String(error.options.retryAfterSeconds));
  // An HTTPException's own response says how to authenticate (bearer auth's WWW-Authenticate): kept.
  const challenge = err instanceof HTTPException ? err.getResponse().headers.get('WWW-Authenticate') : null;
  if (challenge) c.header('WWW-Authenticate', challenge);
  const status = error.status as 400;
  if (wantsJson(c)) {
    return c.json(
      {
        error: {
          code: error.code,
          message: error.status >= 500 ? 'internal error' : error.message,
          ...(error.fields ? { fields: error.fields } : {}),
          requestId: id,
        },
      },
      status,
    );
  }
  const staff = c.req.path.startsWith('/admin');
  const lang = staff ? DEFAULT_LANG : pageLang(c);
  if (!staff) {
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
  }
  const [title, body] = pageText(error, staff, lang);
  return c.html(<MessagePage title={title} body={body} lang={lang} requestId={id} />, status);
}

function pageText(error: AppError, staff: boolean, lang: Lang): [string, string] {
  const text = catalogues[lang];
  switch (error.code) {
    case 'not_found':
      return [text.notFoundTitle, ''];
    case 'payload_too_large':
      return [text.errorTitle, text.tooLargeBody];
    case 'bad_request': {
      // The names are the API's own (Latin): isolated, so they keep their order in right-to-left text.
      const names = Object.keys(error.fields ?? {}).join(', ');
      return [text.badRequestTitle, text.badRequestBody(names ? ` (\u2068${names}\u2069)` : '')];
    }
    case 'forbidden':
      return [text.errorTitle, text.forbiddenBody];
    case 'rate_limited':
      return [text.errorTitle, text.rateLimitedBody];
    case 'cohort_closed':
      return [text.closedTitle, text.closed];
    case 'unavailable':
      // Staff are told it will pass (the sign-in limits' store is away); applicants get the general apology.
      return [text.errorTitle, staff ? error.staffText : text.errorBody];
    default:
      // Staff read what went wrong in the words of the error table; applicants get the general apology.
      return [text.errorTitle, staff && error.status < 500 ? error.staffText : text.errorBody];
  }
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError('payload_too_large', 'the body is too large');
    if (err.status === 403) return new AppError('forbidden', 'cross-site form posts are refused');
    if (err.status === 401) return new AppError('unauthorized', 'authentication required');
    if (err.status === 404) return new AppError('not_found', 'not found');
    if (err.status < 500) return new AppError('bad_request', err.message || 'bad request');
  }
  return new AppError('internal', 'internal error');
}

function serialise(err: unknown): Record<string, unknown> {
  return err instanceof Error
    ? { name: err.name, message: err.message, stack: err.stack }
    : { value: String(err) };
}
