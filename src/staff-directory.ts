import { readFileSync, statSync } from 'node:fs';
import { loadWorkflows, type StaffMember } from '../workflows/index.ts';
import type { AppLogger } from './logger.ts';

/**
 * The staff list from the settings file as it is now: re-read when the file changes, so removing someone
 * there ends their access at their next request without a restart. A file that no longer validates is
 * reported and the last good list kept, since locking every coordinator out over a typo helps no one.
 */
export function staffDirectory(path: string, logger: Pick<AppLogger, 'error'>): () => readonly StaffMember[] {
  let seen = -1;
  let staff: readonly StaffMember[] = [];
  const read = () => {
    const mtime = statSync(path).mtimeMs;
    if (mtime === seen) return;
    seen = mtime;
    staff = loadWorkflows(JSON.parse(readFileSync(path, 'utf8'))).staff;
  };
  read();
  return () => {
    try {
      read();
    } catch (err) {
      logger.error(
        { err: (err as Error).message, path },
        'settings file unreadable; the last staff list is kept',
      );
    }
    return staff;
  };
}
