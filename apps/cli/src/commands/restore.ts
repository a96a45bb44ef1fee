import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isStrataError, refuseInProduction, StrataError, formatCount } from '@strata/core';
import { notEmpty, restoreBackup, targetObjects, verifyBackup, type RestoreResult } from '@strata/backup';
import type { CommandContext } from '../context.js';
import { action, EXIT, reportError } from '../run-action.js';
import { displayPath } from './backup.js';
import { createBackupProgress } from './backup-progress.js';
import { formatDuration } from './data-progress.js';

export interface RestoreFlags {
  /** Drop everything the target holds first (asked on a terminal; `--yes` without one). */
  clean?: boolean;
}

/**
 * Restores a backup into the database (the direct connection when `directUrl` is set): checks the
 * whole file first, then restores in one transaction. A target that is not empty is refused
 * unless `clean` (confirmed).
 *
 * @example
 * const r = await restoreCommand(ctx, 'backups/app-20261126T004500Z.strata.gz', { clean: true });
 */
export async function restoreCommand(ctx: CommandContext, file: string, flags: RestoreFlags = {}): Promise<RestoreResult> {
  const path = resolve(ctx.cwd, file);
  if (flags.clean) {
    refuseInProduction(ctx.config, 'restore --clean', 'It drops everything in the database first. Restore into a new, empty database instead (without --clean).');
  }
  const db = await ctx.openDb('direct', 'write');
  const objects = await targetObjects(db);
  if (objects.length > 0) {
    if (!flags.clean) throw notEmpty(db, objects);
    const ok = await ctx.confirm(
      `Drop the ${objects.length} object${objects.length === 1 ? '' : 's'} in ${db.displayUrl} and restore ${displayPath(ctx, path)}?`,
      'Pass --yes to drop everything in the target database and restore the backup.',
    );
    if (!ok) throw new StrataError('REFUSED', 'restore cancelled: nothing was changed');
  }
  const progress = createBackupProgress(ctx.out);
  try {
    const verified = await verifyBackup(path, { onProgress: (p) => progress.update(p) });
    return await restoreBackup(db, path, { clean: flags.clean, verified, onProgress: (p) => progress.update(p) });
  } finally {
    progress.clear();
  }
}

export function registerRestore(program: Command, state: { exitCode: number }): Command {
  return program
    .command('restore')
    .argument('<file>', 'a backup written by `strata backup`')
    .description('restore a backup: checks the whole file, then restores it in one transaction')
    .option('--clean', 'drop everything the target database holds first (same transaction; asks, or --yes)')
    .addHelpText('after', `
The target must be empty unless --clean is given. A damaged or incomplete file is refused before
anything is changed; any failure while restoring rolls the whole restore back.

Examples:
  $ strata restore backups/app-20261126T004500Z.strata.gz
  $ strata restore backups/app-20261126T004500Z.strata.gz --clean --yes
  $ strata restore before-v2.strata.gz --url pglite:./restored --json`)
    .action(
      action(state, async (ctx, file: string, flags: RestoreFlags) => {
        let r: RestoreResult;
        try {
          r = await restoreCommand(ctx, file, flags);
        } catch (e) {
          // A target that is not empty needs a decision the run did not give: a usage error (exit 2).
          if (isStrataError(e) && e.code === 'NOT_EMPTY') {
            reportError(e, ctx.out);
            return EXIT.usage;
          }
          throw e;
        }
        const c = ctx.out.colors;
        ctx.out.line(`Restored ${displayPath(ctx, r.file)}: ${r.tables.length} table${r.tables.length === 1 ? '' : 's'}, ${formatCount(r.rows)} rows ${c.dim(`(${formatDuration(r.durationMs)})`)}`);
        const m = r.header.history.migrations;
        if (m) ctx.out.line(`Migration history: ${m.length} migration${m.length === 1 ? '' : 's'}${m.length ? `, last ${m[m.length - 1]!.name}` : ''}`);
        if (r.dropped > 0) ctx.out.info(c.dim(`(${r.dropped} objects were dropped first)`));
        ctx.out.result({
          ok: true, file: r.file, tables: r.tables, rows: r.rows, statements: r.statements, dropped: r.dropped, durationMs: r.durationMs,
          backup: { createdAt: r.header.createdAt, source: r.header.source, strataVersion: r.header.strataVersion },
          migrations: m?.map((x) => x.name) ?? null,
        });
        return EXIT.ok;
      }),
    );
}
