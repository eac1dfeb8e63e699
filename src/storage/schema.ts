import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable } from 'kysely';
import type { ApplicationStatus } from '../domain/lifecycle.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface ApplicationAnswers {
  motivation: string;
  topics: string[];
  confirmedMeetings: string[];
  accessibilityNeeds: string;
  consentAt: string;
}

export interface ApplicationsTable {
  id: string;
  reference: string;
  cohort: string;
  // Personal columns are nullable: erasure clears them and keeps the row's history.
  email: string | null;
  full_name: string | null;
  phone: string | null;
  organisation: string | null;
  role_title: string | null;
  sector: string | null;
  region: string | null;
  answers: JSONColumnType<ApplicationAnswers | Record<string, never>>;
  flags: JSONColumnType<string[]>;
  status: ApplicationStatus;
  source: string;
  /** The language the person applied in; every later message to them is written in it. */
  language: Generated<'he' | 'ar' | 'en'>;
  created_at: Timestamp;
  updated_at: Timestamp;
  erased_at: Timestamp | null;
  review_deadline: Timestamp | null;
  decided_at: Timestamp | null;
  decided_by: string | null;
  card_channel: string | null;
  card_ts: string | null;
  card_attempted_at: Timestamp | null;
  /** When the person first opened their own page from an e-mailed link: the address is theirs and works. */
  email_confirmed_at: Timestamp | null;
}

export interface ApplicationEventsTable {
  id: Generated<string>;
  application_id: string;
  at: Timestamp;
  actor: string;
  type: string;
  data: JSONColumnType<Record<string, unknown>>;
}

/** What a repeat submission proposes to change, as the validated form gave it (e-mail and consent aside). */
export interface ProposedAnswers {
  fullName: string;
  phone: string;
  organisation: string;
  roleTitle: string;
  sector: string;
  region: string;
  motivation: string;
  topics: string[];
  confirmedMeetings: string[];
  accessibilityNeeds: string;
}

/** The latest repeat submission of an application, waiting for its owner to apply or discard it. */
export interface ProposedUpdatesTable {
  application_id: string;
  answers: JSONColumnType<ProposedAnswers>;
  language: 'he' | 'ar' | 'en';
  source: string;
  received_at: Timestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: string | null;
  created_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<string>;
  job_id: string;
  queue: string;
  application_id: string | null;
  payload: JSONColumnType<Record<string, string | number | boolean>>;
  available_at: Timestamp;
  created_at: Timestamp;
  dispatched_at: Timestamp | null;
}

export interface VotesTable {
  application_id: string;
  reviewer: string;
  reviewer_name: string;
  vote: string;
  note: string | null;
  counted: boolean;
  at: Timestamp;
  /** When the click behind the vote was made (Slack's `action_ts`); null for votes cast elsewhere. */
  clicked_at: Timestamp | null;
}

export interface StepsTable {
  application_id: string;
  step: string;
  status: string;
  generation: number;
  attempts: number;
  last_error: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface CheckinRoundsTable {
  id: string;
  programme: string;
  week: string;
  status: string;
  skip_reason: string | null;
  opened_at: Timestamp;
  closes_at: Timestamp;
  reminded_at: Timestamp | null;
  closed_at: Timestamp | null;
  digest_channel: string | null;
  digest_ts: string | null;
}

export interface CheckinPromptsTable {
  round_id: string;
  action_line: string;
  lead: string;
  prompted_at: Timestamp | null;
  dm_channel: string | null;
  dm_ts: string | null;
  reminded_at: Timestamp | null;
  /** The last day (YYYY-MM-DD, Israel time) of the lead's pause while the round was open, or null. */
  paused_until: string | null;
}

/** A lead's pause of their check-in prompts and reminders, until a day (YYYY-MM-DD, Israel time, inclusive). */
export interface LeadPausesTable {
  lead: string;
  until: string;
  reason: string | null;
  created_at: Timestamp;
}

export interface CheckinAnswersTable {
  round_id: string;
  action_line: string;
  lead: string;
  progress: string;
  next_steps: string;
  blockers: string;
  status: string;
  help_needed: string;
  submitted_at: Timestamp;
  updated_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  action: string;
  target: string | null;
  detail: JSONColumnType<Record<string, unknown>>;
}

export interface MeetingSyncsTable {
  cohort: string;
  meeting_id: string;
  /** `meetingFingerprint` of the version last synced. */
  fingerprint: string;
  sequence: number;
  /** The meeting as last synced (the workflow's Meeting shape). */
  meeting: JSONColumnType<Record<string, unknown>>;
  /** Dropped from the workflow and cancelled; a meeting of the same id coming back is synced as new. */
  removed: boolean;
  synced_at: Timestamp;
}

export interface ServiceSecretsTable {
  name: string;
  value: string;
}

export interface SessionsTable {
  id_hash: string;
  identity: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface SignInLinksTable {
  token_hash: string;
  identity: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface LinkMailsTable {
  /** SHA-256 of the lower-cased address. */
  address_hash: string;
  sent_at: Timestamp;
}

/** A form saved to finish later: the answers as typed, for one address in one cohort. */
export interface DraftsTable {
  id: string;
  cohort: string;
  email: string;
  language: 'he' | 'ar' | 'en';
  answers: JSONColumnType<Record<string, string | string[]>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires_at: Timestamp;
  /** When the resume link last went out (the once-per-ten-minutes rule itself is `link_mails`'). */
  mailed_at: Timestamp | null;
}

export interface Database {
  link_mails: LinkMailsTable;
  drafts: DraftsTable;
  sessions: SessionsTable;
  sign_in_links: SignInLinksTable;
  service_secrets: ServiceSecretsTable;
  votes: VotesTable;
  steps: StepsTable;
  checkin_rounds: CheckinRoundsTable;
  checkin_prompts: CheckinPromptsTable;
  checkin_answers: CheckinAnswersTable;
  lead_pauses: LeadPausesTable;
  audit_log: AuditLogTable;
  meeting_syncs: MeetingSyncsTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  proposed_updates: ProposedUpdatesTable;
  idempotency_keys: IdempotencyKeysTable;
  outbox: OutboxTable;
}

export type ApplicationRow = Selectable<ApplicationsTable>;
export type NewApplication = Insertable<ApplicationsTable>;
export type EventRow = Selectable<ApplicationEventsTable>;
