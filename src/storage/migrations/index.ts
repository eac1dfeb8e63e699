import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m001 from './001-intake.ts';
import * as m002 from './002-pipeline.ts';
import * as m003 from './003-checkins.ts';
import * as m004 from './004-audit.ts';
import * as m005 from './005-audit-truncate.ts';
import * as m006 from './006-meeting-syncs.ts';
import * as m007 from './007-vote-clicked-at.ts';
import * as m008 from './008-sessions.ts';
import * as m009 from './009-lead-pauses.ts';
import * as m010 from './010-applicant-language.ts';
import * as m011 from './011-applicant-links.ts';
import * as m012 from './012-proposed-updates.ts';
import * as m013 from './013-drafts.ts';
import * as m014 from './014-card-attempts.ts';
import * as m015 from './015-outbox-pending-order.ts';

/** Migrations are listed in code, not read from a folder, so bundlers and tests see the same set. */
export const migrations: Record<string, Migration> = {
  '001-intake': m001,
  '002-pipeline': m002,
  '003-checkins': m003,
  '004-audit': m004,
  '005-audit-truncate': m005,
  '006-meeting-syncs': m006,
  '007-vote-clicked-at': m007,
  '008-sessions': m008,
  '009-lead-pauses': m009,
  '010-applicant-language': m010,
  '011-applicant-links': m011,
  '012-proposed-updates': m012,
  '013-drafts': m013,
  '014-card-attempts': m014,
  '015-outbox-pending-order': m015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
