import type { CalendarPort, ReviewCardPort, SlackPort, UserGroupPort } from '../src/ports.ts';

// The stand-ins the composition root uses for a service that is not configured, so that no use case has
// to ask whether a port exists. Each says so through `configured: false`; calling one does nothing.

/** No Google Calendar: invitations go out as .ics files with the notice instead. */
export const noCalendar: CalendarPort = {
  configured: false,
  async ensureMeeting() {},
  async syncMeeting() {
    return 'unchanged';
  },
  async cancelMeeting() {},
  async addAttendees() {},
  async removeAttendee() {},
};

/** No Slack workspace: nobody is invited to channels. */
export const noSlack: SlackPort = {
  configured: false,
  async inviteToChannels() {
    return { status: 'pending_workspace' };
  },
  async removeFromChannels() {
    return { status: 'not_in_workspace', removedFrom: 0 };
  },
};

/** No review channel: review happens on the dashboard. */
export const noCards: ReviewCardPort = {
  configured: false,
  async publish() {
    throw new Error('review cards are not configured');
  },
  async update() {},
  async notifyStaff() {},
};

/** No Slack workspace: a cohort's reviewers are the ones it lists. */
export const noUserGroups: UserGroupPort = {
  configured: false,
  async members() {
    return null;
  },
  forget() {},
};
