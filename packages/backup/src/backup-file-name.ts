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
