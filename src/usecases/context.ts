import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { CalendarPort, MailPort, ReviewCardPort, SlackPort, UserGroupPort } from '../ports.ts';
import type { JobSpec } from '../storage/outbox.ts';
import type { Database } from '../storage/schema.ts';

export interface PipelineLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** How the links to applicants' own pages are signed, and how many days one stays valid. */
export interface ApplicantLinks {
  secret: string;
  days: number;
}

/** Everything a stage's job processor may touch; built once at the entry point. */
export interface PipelineContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  publicUrl: string;
  logger: PipelineLogger;
  mail: MailPort;
  /** Who invitations come from, so replies and declines reach the programme (MAIL_FROM by default). */
  organizer?: { name: string; email: string };
  /** Not configured: people get an .ics invitation with their notice instead. */
  calendar: CalendarPort;
  slack: SlackPort;
  cards: ReviewCardPort;
  /** Members of the cohorts' reviewer user groups (none without Slack). */
  groups?: UserGroupPort | undefined;
  /** Hands freshly committed outbox rows to the queues. */
  poke: () => void;
  /**
   * Puts jobs that BullMQ gave up on outside our own error handling (a worker killed more often than the
   * stall limit allows) back in line; the reconciler calls it for work the database says is unfinished.
   */
  revive?: (specs: JobSpec[]) => Promise<number>;
  /** What the queues hold under each job's id (absent when Redis cannot say, so everything is re-added). */
  jobStates?: (specs: JobSpec[]) => Promise<Map<string, 'absent' | 'failed' | 'held'>>;
  /**
   * When this process started its workers: one started before a cohort's last meeting sync holds older
   * settings and asks for no sync of its own (default: now).
   */
  startedAt?: Date;
  /** How long work may sit before the reconciler assumes its job was lost (default a minute). */
  stuckAfterMs?: number;
  /** Records how long a stage took (metrics). */
  observeStage?: (stage: 'intake' | 'onboarding', seconds: number) => void;
  /** How links to the applicants' own pages are signed; without it the e-mails carry none. */
  applicantLinks?: ApplicantLinks;
  /** Removes jobs from the queues (erasure). */
  removeJobs?: (jobs: { queue: string; jobId: string }[]) => Promise<void>;
}
