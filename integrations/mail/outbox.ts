import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../src/domain/errors.ts';

// Application ids are UUIDs. Restricting forget() to letters, digits and dashes makes the suffix test exact
// on file names too: the name keeps those characters as they are and turns every other one into `_`, so a
// name ends with `-<id>` exactly when its key does, and a 36-character id cannot end another id's key.
const APPLICATION_ID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** Refuses an id the outbox could not match exactly (an empty one would match every `…-` key). */
export function assertApplicationId(applicationId: string): void {
  if (!APPLICATION_ID.test(applicationId)) {
    throw new AppError('bad_request', 'mail: an application id is letters, digits and dashes');
  }
}

/** Whether a message with this idempotency key is about the application (`${kind}-${applicationId}`). */
export function isAboutApplication(idempotencyKey: string, applicationId: string): boolean {
  assertApplicationId(applicationId);
  return idempotencyKey.endsWith(`-${applicationId}`);
}

/** The outbox file of a message: named by its key, so a retry overwrites instead of adding a second copy. */
export function outboxFileName(idempotencyKey: string): string {
  return `${idempotencyKey.replace(/[^\w.-]/g, '_')}.eml`;
}

/** Writes the message whole: to a temporary name first, so a reader never sees half of one. */
export async function writeToOutbox(dir: string, idempotencyKey: string, raw: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, outboxFileName(idempotencyKey));
  await writeFile(`${file}.tmp`, raw);
  await rename(`${file}.tmp`, file);
}

/** Deletes the application's files from the outbox, a write cut short (`.eml.tmp`) included; returns how many. */
export async function forgetInOutbox(dir: string, applicationId: string): Promise<number> {
  assertApplicationId(applicationId);
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  let deleted = 0;
  for (const name of names) {
    const stem = /^(.*)\.eml(?:\.tmp)?$/.exec(name)?.[1];
    if (stem === undefined || !isAboutApplication(stem, applicationId)) continue;
    await rm(join(dir, name), { force: true });
    deleted++;
  }
  return deleted;
}
