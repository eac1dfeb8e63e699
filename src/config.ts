import { z } from 'zod';

/** A secret is absent or meaningful: an empty string would silently switch a check off. */
const secret = z.string().min(16, 'must be at least 16 characters').optional();
const optionalUrl = z.url().optional();
// Local by design: with no SMTP_URL nothing is sent, and `npm start` needs no configuration at all.
const DEFAULT_MAIL_FROM = 'kehila <no-reply@localhost>';

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: optionalUrl,
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),
  ADMIN_TOKEN: secret,
  FORM_SECRET: secret,
  EDGE_SHARED_SECRET: secret,
  SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'must be a bot token (xoxb-…)').optional(),
  SLACK_SIGNING_SECRET: secret,
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'must be an app-level token (xapp-…)').optional(),
  SLACK_API_URL: optionalUrl,
  SLACK_TEAM_ID: z
    .string()
    .regex(/^[TE][A-Z0-9]+$/, 'must be a Slack team id (T…)')
    .optional(),
  SLACK_APP_ID: z
    .string()
    .regex(/^A[A-Z0-9]+$/, 'must be a Slack app id (A…)')
    .optional(),
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  SLACK_CLIENT_SECRET: secret,
  SLACK_OIDC_ISSUER: z.url().default('https://slack.com'),
  GOOGLE_SIGNIN_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_SIGNIN_CLIENT_SECRET: secret,
  GOOGLE_OIDC_ISSUER: z.url().default('https://accounts.google.com'),
  GOOGLE_CALENDAR_ID: z.string().min(1).optional(),
  GOOGLE_SERVICE_ACCOUNT_JSON: z.string().min(2).optional(),
  GOOGLE_SERVICE_ACCOUNT_FILE: z.string().min(1).optional(),
  GOOGLE_IMPERSONATE: z.email().optional(),
  GOOGLE_OAUTH_CLIENT_ID: z.string().min(1).optional(),
  GOOGLE_OAUTH_CLIENT_SECRET: secret,
  GOOGLE_OAUTH_REFRESH_TOKEN: secret,
  GOOGLE_API_ROOT_URL: optionalUrl,
  GOOGLE_TOKEN_URL: optionalUrl,
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default(DEFAULT_MAIL_FROM),
  KEHILA_SETTINGS: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.stringbool().default(false),
  TRUST_PROXY_HOPS: z.coerce.number().int().positive().default(1),
  METRICS_PUBLIC: z.stringbool().default(false),
  // How many days a link to an applicant's own page stays valid (the received e-mail, "send me my link").
  APPLICANT_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  // Getting in as staff, counted in Redis across every web process over one window.
  SIGNIN_LIMIT_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  SIGNIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().positive().default(30),
  SIGNIN_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  WRONG_TOKENS_PER_ADDRESS: z.coerce.number().int().positive().default(10),
});

/** A name and an address: who invitations and notices come from. */
export interface Party {
  name: string;
  email: string;
}

const DEFAULT_SENDER_NAME = 'muni:STEM';

/** `Name <address>`, `"Name, with comma" <address>` or a bare address, as MAIL_FROM is written; else null. */
export function parseMailbox(value: string): Party | null {
  const angled = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  const bare = /^\s*([^<>\s"]+@[^<>\s"]+)\s*$/.exec(value);
  const email = (angled?.[3] ?? bare?.[1])?.toLowerCase();
  // Not z.email(): it wants a top-level domain, and the embedded default's localhost has none.
  if (!email || !/^[^@\s]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(email)) return null;
  const name = (angled?.[1]?.replace(/\\(.)/g, '$1') ?? angled?.[2] ?? '').trim();
  return { name: name || DEFAULT_SENDER_NAME, email };
}

// RFC 6761: localhost and every name under it never leave the machine.
const isLocalhost = (email: string) => /@(?:.+\.)?localhost$/i.test(email);

/** Rules between variables, checked on the raw input so they are reported alongside field errors. */
function crossChecks(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const from = env.MAIL_FROM ?? DEFAULT_MAIL_FROM;
  const sender = parseMailbox(from);
  // A value too short for the schema is already reported by it.
  if (!sender && from.length >= 3) {
    problems.push('MAIL_FROM: must be an address, optionally with a name: "muni:STEM <team@example.org>"');
  } else if (sender && env.SMTP_URL && !env.GOOGLE_CALENDAR_ID && isLocalhost(sender.email)) {
    // Calendar clients send accept/decline replies to the ORGANIZER, and some refuse an invitation from an
    // address that cannot receive them; without SMTP the .eml files stay here and localhost harms nobody.
    problems.push(
      `MAIL_FROM: ${sender.email} cannot organise meetings: with SMTP_URL set and no GOOGLE_CALENDAR_ID, invitations go out by e-mail with MAIL_FROM as their organizer; set MAIL_FROM to the programme's address`,
    );
  }
  if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
    problems.push(
      'SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)',
    );
  }
  if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
    // The app-level token only opens the connection; every answer to Slack is sent with the bot token.
    problems.push('SLACK_APP_TOKEN: Socket Mode needs SLACK_BOT_TOKEN (xoxb-…) as well');
  }
  // A client id without its secret (or the reverse) would show a sign-in button that can only fail.
  for (const [id, secretName] of [
    ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'],
    ['GOOGLE_SIGNIN_CLIENT_ID', 'GOOGLE_SIGNIN_CLIENT_SECRET'],
  ] as const) {
    if (Boolean(env[id]) !== Boolean(env[secretName]))
      problems.push(`${id}: set together with ${secretName}`);
  }
  if (env.GOOGLE_CALENDAR_ID && !env.GOOGLE_SERVICE_ACCOUNT_JSON && !env.GOOGLE_SERVICE_ACCOUNT_FILE) {
    problems.push(
      'GOOGLE_SERVICE_ACCOUNT_JSON: GOOGLE_CALENDAR_ID needs GOOGLE_SERVICE_ACCOUNT_JSON or _FILE',
    );
  }
  return problems;
}

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  publicUrl: string;
  /** MAIL_FROM as a name and an address: the ORGANIZER of .ics invitations. */
  organizer: Party;
}

/** Thrown with every configuration problem listed, so one start shows all of them. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; empty strings count as unset, as in most .env tooling. */
export function parseConfig(source: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = envSchema.safeParse(cleaned);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`)),
    ...crossChecks(cleaned),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  const env = result.data;
  return {
    ...env,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    // Checked above: crossChecks refused a MAIL_FROM that does not parse.
    organizer: parseMailbox(env.MAIL_FROM) as Party,
  };
}
