import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { availableBackupFile, backupFileName } from './backup-file-name.js';

const dir = mkdtempSync(join(tmpdir(), 'strata-backup-name-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('backup file names', () => {
  const at = new Date('2026-11-26T00:45:00.250Z');

  it('names a backup after the database and the UTC second, so names sort by time', () => {
    expect(backupFileName('app', at)).toBe('app-20261126T004500Z.strata.gz');
    expect(backupFileName('../etc/passwd', at)).toBe('_etc_passwd-20261126T004500Z.strata.gz');
  });

  it('gives a second backup in the same second its own file instead of failing on the first', () => {
    const first = availableBackupFile(dir, 'app', at);
    expect(first).toBe(join(dir, 'app-20261126T004500Z.strata.gz'));
    writeFileSync(first, 'x');
    const second = availableBackupFile(dir, 'app', at);
    expect(second).toBe(join(dir, 'app-20261126T004500Z-2.strata.gz'));
    writeFileSync(second, 'x');
    expect(availableBackupFile(dir, 'app', at)).toBe(join(dir, 'app-20261126T004500Z-3.strata.gz'));
  });
});
