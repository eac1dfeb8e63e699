import type { Cohort, Meeting } from '../workflows/index.ts';
import type { ReviewCardView } from './usecases/review.ts';

// Outbound ports: what the pipeline needs from the world, in the domain's words. Each has a real adapter
// under integrations/ and a fake for tests; no SDK type crosses them. Failures are thrown as AppError with
// `retryable` saying whether a later attempt can help (and `retryAfterSeconds` when the remote said so).

export interface Person {
  email: string;
  name: string;
}

/**
 * Whether a port is the real thing or the stand-in the composition root uses for a service that is not
 * configured. Use cases never ask whether a port exists; they may ask whether it is configured, because the
 * product behaves differently then (an .ics invitation instead of Google's, no review card).
 */
interface Configurable {
  readonly configured: boolean;
}

/** What a sync did to the meeting's event. */
export type MeetingSyncOutcome = 'created' | 'updated' | 'unchanged';

/**
 * A cohort's meetings as calendar events, one per meeting, with deterministic ids, in the cohort's own
 * calendar (`cohort.onboarding.calendarId`) or else the programme's. Attendees are notified of every change.
 */
export interface CalendarPort extends Configurable {
  /** Makes sure the meeting exists as an event with the workflow's details; safe to call any number of times. */
  ensureMeeting(cohort: Cohort, meeting: Meeting): Promise<void>;
  /**
   * Makes the meeting's event say what the meeting says now (time in the cohort's zone, title, place, link,
   * description), keeping every attendee and telling them of the change; creates a missing event and
   * restores a cancelled one. Reads the calendar afresh each time and writes nothing when nothing differs.
   */
  syncMeeting(cohort: Cohort, meeting: Meeting): Promise<MeetingSyncOutcome>;
  /**
   * The meeting was removed from the cohort: its event is cancelled and every attendee told. An event that
   * never existed or is already cancelled is success. A later sync of the same meeting id restores it.
   */
  cancelMeeting(cohort: Cohort, meetingId: string): Promise<void>;
  /** Adds people to the meeting's attendees, keeping everyone already there; adding twice changes nothing. */
  addAttendees(cohort: Cohort, meeting: Meeting, people: Person[]): Promise<void>;
  /**
   * Removes one person from the meeting (withdrawal, erasure), telling them; absent, no event and a
   * cancelled event are success (from a cancelled one they are removed silently, so a restore skips them).
   */
  removeAttendee(cohort: Cohort, meeting: Meeting, email: string): Promise<void>;
}

export type ChannelInviteOutcome =
  /** In every channel now (or already was). */
  | { status: 'joined'; slackUserId: string }
  /** Not in the workspace yet: the invitations finish when they join. */
  | { status: 'pending_workspace' };

export type ChannelRemovalOutcome =
  /** In none of the channels now; `removedFrom` counts the channels they were still in (0 on a repeat). */
  | { status: 'removed'; slackUserId: string; removedFrom: number }
  /** No such person in the workspace, so in none of its channels. */
  | { status: 'not_in_workspace'; removedFrom: 0 };

/** Who to remove: found by e-mail like an invitation, or by the Slack user id an invitation returned. */
export type SlackMember = Pick<Person, 'email'> | { slackUserId: string };

export interface SlackPort extends Configurable {
  /** Invites the person, found by e-mail, to the channels; `already_in_channel` counts as success. */
  inviteToChannels(person: Person, channels: string[]): Promise<ChannelInviteOutcome>;
  /**
   * Removes the person from each channel (never from the workspace); not being in a channel, or in the
   * workspace, is success, so a repeat changes nothing. A channel that refuses is reported after the others
   * were tried.
   */
  removeFromChannels(who: SlackMember, channels: string[]): Promise<ChannelRemovalOutcome>;
}

export interface MailMessage {
  to: Person;
  subject: string;
  text: string;
  html: string;
  /** The language the message is written in (its Content-Language); Hebrew when not given. */
  language?: 'he' | 'ar' | 'en';
  attachments?: { filename: string; contentType: string; content: string }[];
  /**
   * A stable id so a retried send can be recognised (Message-ID, file name). A message about an
   * application ends with `-${applicationId}` (`accepted-<id>`): that is how `forget` finds it.
   */
  idempotencyKey: string;
}

export interface MailPort {
  send(message: MailMessage): Promise<void>;
  /**
   * Deletes every copy kept of the application's messages (erasure) and returns how many; forgetting
   * twice is 0 the second time. Mail handed to an SMTP server is out of our hands: 0.
   */
  forget(applicationId: string): Promise<number>;
}

export interface CardRef {
  channel: string;
  ts: string;
}

export interface ReviewCardPort extends Configurable {
  /**
   * Posts the card, or returns the one an earlier attempt already posted (found by its metadata). Under the
   * card's lock it asks `claimFirstAttempt` whether this is the first attempt of all to get that far: then
   * none can have posted before it, and it posts without looking. Claimed outside the lock, a later job
   * could post first and the first attempt would post again.
   */
  publish(
    view: ReviewCardView,
    channel: string,
    opts?: { claimFirstAttempt?: () => Promise<boolean> },
  ): Promise<CardRef>;
  update(ref: CardRef, view: ReviewCardView): Promise<void>;
  /** An operational notice to staff in a channel (reminders, people not yet in the workspace). */
  notifyStaff(channel: string, text: string): Promise<void>;
}

// Declared beside the use case that reads it, which the port module's own imports would otherwise loop through.
export type { UserGroupPort } from './usecases/reviewer-groups.ts';
