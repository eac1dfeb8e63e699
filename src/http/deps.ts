import type { Context, Hono } from 'hono';
import type { Workflows } from '../../workflows/index.ts';
import type { OpenedDraft, SaveDraftInput } from '../usecases/drafts.ts';
import type { MyApplicationView } from '../usecases/my-application.ts';
import type { ProposalOutcome, ProposedUpdate } from '../usecases/proposed-updates.ts';
import type { SignedIn } from '../usecases/staff-sessions.ts';
import type { SubmitRequest, SubmitResult } from '../usecases/submit-application.ts';
import type { FormTokens } from './form-token.ts';
import type { RateLimiter } from './rate-limit.ts';

// The HTTP app's dependencies and environment, apart from the app itself, so that route modules can name
// them without importing the app that mounts them.

/** The slice of a logger the HTTP layer uses; pino satisfies it, and so does a test's recorder. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AppDeps {
  workflows: Workflows;
  publicUrl: string;
  clock: () => Date;
  formTokens: FormTokens;
  limits: { ip: RateLimiter; email: RateLimiter };
  /** The client's address as this runtime knows it (socket, proxy header or the edge's relay). */
  clientIp: (c: Context) => string;
  submit: (req: SubmitRequest) => Promise<SubmitResult>;
  /** Each dependency's readiness; the app never imports a database or Redis client itself. */
  readiness: () => Promise<Record<string, boolean>>;
  logger: Logger;
  /** A person needs at least this long to fill the form; faster posts are sent back. */
  minFillMs?: number;
  /**
   * True the first time a form token's id is offered, so a served form is stored at most once. Without it a
   * token can be reused within its maximum age (the edge, which has no store that answers this atomically).
   */
  formTokenFirstUse?: ((tokenId: string) => Promise<boolean>) | undefined;
  /** Signed relays from the edge: the shared secret, and a check that a signature is used only once. */
  edgeRelay?: { secret: string; firstUse: (signature: string) => Promise<boolean> } | undefined;
  /** An optional human check on the form (Cloudflare Turnstile at the edge). */
  botCheck?: BotCheck | undefined;
  /** Forms saved to finish later; without it the form offers no server-side save (the edge). */
  drafts?: DraftService | undefined;
  /** The applicant's own page behind signed links (the core only: it reads the database). */
  applicant?: ApplicantPages | undefined;
  /** Further routes (Slack, admin) mounted by the entry that built their dependencies. */
  mounts?: { path: string; app: Hono<AppEnv> }[];
}

/** The draft use cases, bound to the database by the entry. */
export interface DraftService {
  save(input: SaveDraftInput): Promise<{ mailed: boolean }>;
  open(cohortId: string, token: string): Promise<OpenedDraft>;
  /** The draft an application was just sent from goes. */
  discard(cohortId: string, email: string): Promise<void>;
}

/** What the applicant's page needs from the core; the routes themselves touch no database. */
export interface ApplicantPages {
  /** The secret links are signed with (each purpose derives its own key from it). */
  linkSecret: string;
  /** The application behind a link, marking the address as confirmed the first time. */
  open(applicationId: string): Promise<MyApplicationView | undefined>;
  view(applicationId: string): Promise<MyApplicationView | undefined>;
  correct(
    applicationId: string,
    input: Record<string, unknown>,
  ): Promise<'corrected' | 'noted' | 'unchanged'>;
  withdraw(applicationId: string): Promise<void>;
  requestLink(email: string): Promise<void>;
  /** The answers of the latest repeat submission, waiting for the owner. */
  proposal(applicationId: string): Promise<ProposedUpdate | undefined>;
  settleProposal(applicationId: string, action: 'apply' | 'discard'): Promise<ProposalOutcome['kind']>;
}

export interface BotCheck {
  siteKey: string;
  /** 'unavailable' when the checker cannot be reached: the applicant is accepted and flagged, not lost. */
  verify(token: string, clientIp: string): Promise<'pass' | 'fail' | 'unavailable'>;
}

// `staff` is set by the staff gate on the routes behind it, and only there.
export type AppEnv = { Variables: { requestId: string; staff?: SignedIn } };
