import type { Kysely } from 'kysely';
import type { Workflows } from '../../workflows/index.ts';
import type { Database } from '../storage/schema.ts';
import type { Message } from './blocks.ts';

/** Which DM a message is: the same prompt or reminder is never sent twice, whatever became of the first. */
export interface DmKey {
  kind: 'prompt' | 'reminder';
  roundId: string;
  actionLine: string;
}

/** What check-ins need from Slack, in their own words. */
export interface CheckinSlackPort {
  /**
   * A direct message to a person; returns where it landed. With a key, a message an earlier attempt sent
   * under the same key (Slack took it, the answer was lost) is returned instead of sending another.
   */
  dm(userId: string, message: Message, key?: DmKey): Promise<{ channel: string; ts: string }>;
  /** A message in a channel, or in a message's thread. */
  post(channel: string, message: Message, threadTs?: string): Promise<{ channel: string; ts: string }>;
}

/** What every check-in use case is handed: built once where the service is wired. */
export interface CheckinContext {
  db: Kysely<Database>;
  workflows: Workflows;
  clock: () => Date;
  slack: CheckinSlackPort;
  logger: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
}
