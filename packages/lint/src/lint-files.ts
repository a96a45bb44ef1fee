import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { readMigrationFolder, status, type RunnerOptions } from '@strata/runner';
import { loadSqlParser } from '@strata/sql';
import { lintMigrations } from './lint-migrations.js';
import { parseMigration, type ParsedMigration } from './parse-migration.js';
import { readDatabaseFacts } from './read-database-facts.js';
import type { LintReport } from './types.js';

export interface LintFilesOptions {
  /** Files to lint; empty: the folder's migrations (only the pending ones with a database). */
  files: readonly string[];
  /** The migration folder (the config's `out`). */
  folder: string;
  /** Where relative file names start, and what finding paths are shown relative to. */
  cwd: string;
  /** A database to grade findings by the real table sizes; null lints without one. */
  db?: DatabaseClient | null;
  /** The history table settings, to know which migrations are pending. */
  runner?: Pick<RunnerOptions, 'history'>;
}

/** What `lintFiles` returns: the report, and which migrations it chose when none were named. */
export interface LintFilesResult extends LintReport {
  /** How the files were chosen. */
  selection: 'files' | 'folder' | 'pending';
}

/**
 * Lints migration files: the ones named, or the folder's (pending ones when a database is given).
 * Without a database, the folder's migrations before the first linted one build the schema, so a
 * blocking change to a table an earlier migration created is an error; with one, the tables'
 * sizes grade each finding.
 *
 * @example
 * const report = await lintFiles({ files: [], folder: './migrations', cwd: process.cwd() });
 * if (!report.ok) process.exitCode = 1;
 */
export async function lintFiles(options: LintFilesOptions): Promise<LintFilesResult> {
  const show = (path: string) => {
    const rel = relative(options.cwd, path);
    return (rel.startsWith('..') || isAbsolute(rel) ? path : rel).split(sep).join('/');
  };
  const db = options.db ?? null;
  const folderDir = resolve(options.cwd, options.folder);
  const folder = readMigrationFolder(folderDir);
  const ups = folder.migrations.map((m) => m.up.path);
  let paths: string[];
  let history: string[] = [];
  let selection: LintFilesResult['selection'];
  if (options.files.length > 0) {
    selection = 'files';
    paths = options.files.map((f) => resolve(options.cwd, f));
    for (const [i, p] of paths.entries()) {
      if (!existsSync(p) || !statSync(p).isFile()) {
        throw new StrataError('USAGE', `${options.files[i]}: no such file`, { hint: 'Name migration .sql files, or no file to lint the migration folder.' });
      }
    }
    const first = Math.min(...paths.map((p) => ups.indexOf(p)).filter((i) => i >= 0));
    if (!db && Number.isFinite(first)) history = ups.slice(0, first);
  } else if (db) {
    selection = 'pending';
    const report = await status(db, folder, { history: options.runner?.history });
    const pending = new Set(report.pending);
    paths = folder.migrations.filter((m) => pending.has(m.name)).map((m) => m.up.path);
  } else {
    selection = 'folder';
    paths = ups;
  }

  const parser = await loadSqlParser();
  const parse = (path: string): ParsedMigration => parseMigration(parser, { file: show(path), sql: readFileSync(path, 'utf8') });
  const linted = paths.map(parse);
  const facts = db ? await readDatabaseFacts(db, linted) : null;
  const report = lintMigrations(linted, { history: history.map(parse), facts });
  return { ...report, selection };
}
