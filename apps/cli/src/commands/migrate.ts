import type { Command } from 'commander';
import { migrate, type MigrateResult } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { migrationFolder, printPlannedSql, runnerOptions } from './runner-setup.js';
import { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';

export interface MigrateFlags {
  to?: string;
  dryRun?: boolean;
  allowOutOfOrder?: boolean;
  /** Back the database up first (when there is something to apply); on failure, print the restore command. */
  backup?: boolean;
  /** Apply held contract migrations too: `true` (`--contract`) for all, or up to the one named. */
  contract?: boolean | string;
}

/**
 * Applies pending migrations of the config's folder on the direct connection (`directUrl` when
 * set): holds the migration lock, one transaction per migration, exactly once.
 *
 * @example
 * const r = await migrateCommand(ctx, { to: '20261126001500_init' });
 */
export async function migrateCommand(ctx: CommandContext, flags: MigrateFlags = {}): Promise<MigrateResult> {
  const folder = migrationFolder(ctx);
  const db = await ctx.openDb('direct', 'write');
  const run = (dryRun: boolean | undefined) => migrate(db, folder, {
    ...runnerOptions(ctx),
    to: flags.to,
    dryRun,
    allowOutOfOrder: flags.allowOutOfOrder || ctx.config.outOfOrder === 'allow',
    ...(flags.contract !== undefined ? { contract: flags.contract } : {}),
  });
  if (!flags.backup || flags.dryRun) return run(flags.dryRun);
  // Loaded only for --backup: the backup format (and the diff it reads schemas with) is most of
  // what `migrate` would otherwise load.
  const { migrateWithBackup } = await import('./backup-before-migrate.js');
  return migrateWithBackup(ctx, db, run);
}

export function registerMigrate(program: Command, state: { exitCode: number }): Command {
  return addFleetOptions(program
    .command('migrate'))
    .description('apply pending migrations in order, each in its own transaction, holding the migration lock')
    .option('--to <name>', 'apply pending migrations up to and including this one')
    .option('--dry-run', 'print the SQL that would run and change nothing')
    .option('--allow-out-of-order', 'also apply pending migrations older than an applied one')
    .option('--backup', 'back the database up first (strata backup); on failure, print the restore command')
    .option('--contract [name]', 'also apply the contract migrations of multi-step changes (all pending, or up to this one); deploy the new code first')
    .addHelpText('after', '\nThe contract migration of a multi-step change (generate --multi-step) is held until --contract:\nnothing generated after it is applied before it.\n\nExamples:\n  $ strata migrate\n  $ strata migrate --dry-run\n  $ strata migrate --contract\n  $ strata migrate --to 20261126001500_init --json\n  $ strata migrate --all --concurrency 8 --canary 2')
    .action(
      action(state, async (ctx, flags: MigrateFlags & FleetFlags) => {
        if (isFleetRun(flags)) return (await import('./fleet.js')).fleetCommand(ctx, 'migrate', flags);
        const r = await migrateCommand(ctx, flags);
        if (r.dryRun) {
          printPlannedSql(ctx, r.planned);
          ctx.out.info(r.planned.length === 0 ? 'nothing to apply: the database is up to date' : `dry run: ${r.planned.length} migration${r.planned.length === 1 ? '' : 's'} would be applied; nothing was changed`);
        } else if (r.applied.length === 0) {
          if (flags.contract !== undefined && !r.held) ctx.out.line('no contract migration pending');
          if (!r.held) ctx.out.line(`nothing to apply: the database is up to date (${r.alreadyApplied} applied)`);
        } else {
          const total = r.applied.reduce((n, m) => n + m.durationMs, 0);
          ctx.out.line(`${r.applied.length} migration${r.applied.length === 1 ? '' : 's'} applied ${ctx.out.colors.dim(`(${total} ms)`)}`);
        }
        if (r.held) {
          const c = ctx.out.colors;
          ctx.out.line(`${c.yellow('held')} ${r.held.name}: the contract of ${r.held.expand}; deploy the code that uses only the new columns, then run \`strata migrate --contract\``);
          if (r.held.waiting.length) ctx.out.line(`${c.yellow('waiting')} behind it, not applied: ${r.held.waiting.join(', ')}`);
        }
        ctx.out.result({ ok: true, ...r });
        return EXIT.ok;
      }),
    );
}
