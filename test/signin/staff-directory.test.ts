import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffDirectory } from '../../src/staff-directory.ts';

describe('the staff list read from the settings file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kehila-staff-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (path: string, value: unknown, second: number) => {
    await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
    // mtime, not content, tells a change; set it explicitly so two writes in one millisecond still differ.
    await utimes(path, second, second);
  };

  it('follows the file as it changes, and keeps the last good list when it stops validating', async () => {
    const path = join(dir, 'settings.json');
    const noa = { name: 'נועה', email: 'noa@example.org', roles: ['coordinator'] };
    const avi = { name: 'אבי', slackId: 'U0AVI', roles: ['reviewer'] };
    await write(path, { staff: [noa, avi] }, 1_000);
    const errors: string[] = [];
    const staff = staffDirectory(path, { error: (_o: object, msg?: string) => errors.push(msg ?? '') });
    expect(staff().map((s) => s.name)).toEqual(['נועה', 'אבי']);
    await write(path, { staff: [noa] }, 2_000);
    expect(staff().map((s) => s.name)).toEqual(['נועה']);
    await write(path, '{ not json', 3_000);
    expect(staff().map((s) => s.name)).toEqual(['נועה']);
    expect(errors).toHaveLength(1);
  });
});
