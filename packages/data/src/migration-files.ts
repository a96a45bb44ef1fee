import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '@strata/core';

/** One data-migration file: `<YYYYMMDDHHMMSS>_<name>.ts` (or .mts, .js, .mjs). */
export interface DataMigrationFile {
  /** The file name without extension, e.g. `20250101120000_backfill_full_name`; the history's key. */
  name: string;
  file: string;
  /** sha256 of the content (line endings normalised). */
  checksum: string;
}

export const DATA_FILE_PATTERN = /^(\d{14})_([A-Za-z0-9_-]+)\.(ts|mts|js|mjs)$/;

export function checksumOf(content: string): string {
  return createHash('sha256').update(content.replaceAll('\r\n', '\n')).digest('hex');
}

/**
 * The data migrations in a directory, in order; other files (helpers, a README) are left alone.
 *
 * @example
 * listDataMigrationFiles('./scripts/data').map((f) => f.name)
 */
export function listDataMigrationFiles(dir: string): DataMigrationFile[] {
  if (!existsSync(dir)) return [];
  const byName = new Map<string, DataMigrationFile>();
  for (const entry of readdirSync(dir).sort()) {
    const m = DATA_FILE_PATTERN.exec(entry);
    if (!m) continue;
    const name = entry.slice(0, entry.length - m[3]!.length - 1);
    const file = join(dir, entry);
    const other = byName.get(name);
    if (other) {
      throw new StrataError('USAGE', `two files for the data migration ${name}: ${other.file} and ${file}`, {
        hint: 'Keep one of them (a compiled .js beside its .ts belongs elsewhere).',
      });
    }
    byName.set(name, { name, file, checksum: checksumOf(readFileSync(file, 'utf8')) });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
