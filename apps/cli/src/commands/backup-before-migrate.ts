import type { MigrateResult } from '@strata/runner';
import type { DatabaseClient } from '@strata/db';
import type { CommandContext } from '../context.js';
import { backupCommand, displayPath } from './backup.js';

const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`);

/** The exact command that puts the database back as it was when `file` was written. */
export function restoreCommandLine(ctx: CommandContext, file: string): string {
  const parts = ['strata', 'restore', shellWord(displayPath(ctx, file)), '--clean'];
  if (ctx.options.config) parts.push('--config', shellWord(ctx.options.config));
  // The password stays masked: the URL is printed as every URL Strata prints.
  if (ctx.options.url) parts.push('--url', shellWord(ctx.options.url));
  return parts.join(' ');
}

/**
 * `migrate --backup`: when there is something to apply, backs the database up first, then
 * migrates; when the migration fails, prints the command that restores the backup.
 *
 * @example
 * return migrateWithBackup(ctx, db, (dryRun) => migrate(db, folder, { ...options, dryRun }));
 */
export async function migrateWithBackup(
  ctx: CommandContext,
  db: DatabaseClient,
  run: (dryRun: boolean) => Promise<MigrateResult>,
): Promise<MigrateResult & { backup?: string }> {
  const plan = await run(true);
  if (plan.planned.length === 0) return run(false);
  const b = await backupCommand(ctx, {}, db);
  ctx.out.info(`Backup written: ${displayPath(ctx, b.file)}`);
  try {
    return { ...(await run(false)), backup: b.file };
  } catch (e) {
    ctx.out.info(`The migration failed. To put the database back as it was before this run:\n  ${restoreCommandLine(ctx, b.file)}`);
    throw e;
  }
}
