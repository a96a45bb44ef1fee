import { existsSync, mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { StrataError, ensureIgnoredDir, formatCount } from '@strata/core';
import { availableBackupFile, backupDdl, createBackup, type BackupResult } from '@strata/backup';
import type { DatabaseClient } from '@strata/db';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { VERSION } from '../version.js';
import { createBackupProgress, formatBytes } from './backup-progress.js';
import { formatDuration } from './data-progress.js';

export interface BackupFlags {
  /** The file to write; default `<backupDir>/<database>-<UTC time>.strata.gz`. */
  out?: string;
}

/**
 * Writes a whole-database backup (Strata's format: see @strata/backup) with a progress bar on
 * stderr. `db` lets a caller that already holds the database (e.g. `migrate --backup`) reuse it.
 *
 * @example
 * const r = await backupCommand(ctx, { out: 'before-v2.strata.gz' });
 */
export async function backupCommand(ctx: CommandContext, flags: BackupFlags = {}, db?: DatabaseClient): Promise<BackupResult> {
  const client = db ?? (await ctx.openDb());
  const info = await client.serverInfo();
  const file = flags.out
    ? resolve(ctx.cwd, flags.out)
    : availableBackupFile(ctx.config.backupDir, client.kind === 'pglite' ? 'pglite' : info.database);
  if (existsSync(file)) {
    throw new StrataError('REFUSED', `${file} already exists`, { hint: 'Choose another --out file, or move the old one away.' });
  }
  // The backup directory is git-ignored from its first use: a full dump must not be committed by
  // `git add .`. A file given with --out goes where the user said, as it is.
  if (!flags.out) ensureIgnoredDir(ctx.config.backupDir, 'database backups (every row of the database)');
  mkdirSync(dirname(file), { recursive: true });
  const progress = createBackupProgress(ctx.out);
  let result: BackupResult;
  try {
    result = await createBackup(client, {
      file,
      ddl: backupDdl,
      history: {
        migrations: ctx.config.history,
        dataMigrations: { schema: ctx.config.history.schema, table: 'data_migrations' },
      },
      strataVersion: VERSION,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.clear();
  }
  const missing = result.notIncluded;
  if (missing.length > 0) {
    const listed = missing.slice(0, 5).join(', ') + (missing.length > 5 ? `, and ${missing.length - 5} more` : '');
    ctx.out.warn(
      `the backup holds no functions, procedures or triggers, and this database has ${missing.length}: ${listed}. ` +
        'Create them before `strata restore` (the migration that made them can), or the restore fails where a default, check or policy calls one, and no trigger fires on the restored tables.',
    );
  }
  return result;
}

/** `backups/app-….strata.gz` relative to the working directory when it is inside it. */
export function displayPath(ctx: CommandContext, file: string): string {
  const rel = relative(ctx.cwd, file);
  return rel && !rel.startsWith('..') ? rel : file;
}

export function registerBackup(program: Command, state: { exitCode: number }): Command {
  return program
    .command('backup')
    .description('write a whole-database backup (schema, rows, sequences, migration history) that restores into a server or PGlite')
    .option('--out <file>', 'the file to write (default: <backupDir>/<database>-<UTC time>.strata.gz)')
    .addHelpText('after', `
The file is gzip-compressed SQL in Strata's format (see @strata/backup's README); restore it with
\`strata restore <file>\`. It is read in one snapshot of the database and checksummed.

Examples:
  $ strata backup
  $ strata backup --out before-v2.strata.gz
  $ strata backup --url postgres://app@localhost:5432/app --json`)
    .action(
      action(state, async (ctx, flags: BackupFlags) => {
        const r = await backupCommand(ctx, flags);
        const tables = r.header.tables.length;
        ctx.out.line(`Backup written: ${displayPath(ctx, r.file)} ${ctx.out.colors.dim(
          `(${tables} table${tables === 1 ? '' : 's'}, ${formatCount(r.trailer.rows)} rows, ${formatBytes(r.bytes)}, ${formatDuration(r.durationMs)})`,
        )}`);
        ctx.out.result({
          ok: true, file: r.file, bytes: r.bytes, tables: r.header.tables.map((t) => ({ schema: t.schema, name: t.name, rows: t.rows })),
          rows: r.trailer.rows, sha256: r.trailer.sha256, durationMs: r.durationMs, source: r.header.source,
          migrations: r.header.history.migrations?.length ?? 0, notIncluded: r.notIncluded,
        });
        return EXIT.ok;
      }),
    );
}
