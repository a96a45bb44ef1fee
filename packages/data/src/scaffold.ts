import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StrataError } from '@strata/core';
import { listDataMigrationFiles } from './migration-files.js';
import { dataMigrationTemplate } from './template.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYYMMDDHHMMSS` in UTC. */
export function timestampOf(d: Date): string {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

function parseTimestamp(ts: string): Date {
  return new Date(Date.UTC(+ts.slice(0, 4), +ts.slice(4, 6) - 1, +ts.slice(6, 8), +ts.slice(8, 10), +ts.slice(10, 12), +ts.slice(12, 14)));
}

/** Turns what the user typed into the file-name part: `Backfill full name!` → `backfill_full_name`. */
export function slugify(name: string): string {
  return name.trim().toLowerCase().replaceAll(/[^a-z0-9_-]+/g, '_').replaceAll(/^[_-]+|[_-]+$/g, '');
}

/**
 * Writes a new data migration from the template as `<dir>/<YYYYMMDDHHMMSS>_<name>.ts`, after every
 * migration already there (two made in one second still sort in the order they were made).
 *
 * @example
 * const { file } = createDataMigrationFile({ dir: './scripts/data', name: 'backfill_full_name' });
 */
export function createDataMigrationFile(options: { dir: string; name: string; now?: Date }): { name: string; file: string } {
  const slug = slugify(options.name);
  if (slug === '') {
    throw new StrataError('USAGE', `the data migration name ${JSON.stringify(options.name)} has no letters or digits`, {
      hint: 'e.g. strata data new backfill_full_name',
    });
  }
  let at = options.now ?? new Date();
  const newest = listDataMigrationFiles(options.dir).at(-1);
  if (newest) {
    const last = parseTimestamp(newest.name.slice(0, 14));
    if (at.getTime() < last.getTime() + 1000) at = new Date(last.getTime() + 1000);
  }
  const name = `${timestampOf(at)}_${slug}`;
  const file = join(options.dir, `${name}.ts`);
  if (existsSync(file)) throw new StrataError('USAGE', `${file} exists already`);
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(file, dataMigrationTemplate(slug));
  return { name, file };
}
