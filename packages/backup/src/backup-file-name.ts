import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The default name of a backup file: the database name (made safe for a file name) and the UTC
 * time to the second, so names sort by time.
 *
 * @example
 * backupFileName('app', new Date('2026-11-26T00:45:00Z')) // => 'app-20261126T004500Z.strata.gz'
 */
export function backupFileName(database: string, at: Date = new Date()): string {
  const safe = database.replace(/[^\p{L}\p{N}_.-]+/gu, '_').replace(/^[.-]+/, '') || 'database';
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${safe}-${stamp}.strata.gz`;
}

/**
 * A path in `dir` for a new default-named backup that no file holds yet: two backups in the same
 * second (a `backup` right before `migrate --backup`, say) get `-2`, `-3`… rather than the second
 * one failing on the first one's file. A name the user chose (`--out`) is never changed.
 *
 * @example
 * availableBackupFile('backups', 'app', new Date('2026-11-26T00:45:00Z'))
 * // => 'backups/app-20261126T004500Z.strata.gz', or '…Z-2.strata.gz' when that one exists
 */
export function availableBackupFile(dir: string, database: string, at: Date = new Date()): string {
  const base = backupFileName(database, at);
  let file = join(dir, base);
  for (let n = 2; existsSync(file); n++) file = join(dir, base.replace(/\.strata\.gz$/, `-${n}.strata.gz`));
  return file;
}
