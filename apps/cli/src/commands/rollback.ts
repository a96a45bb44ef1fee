import { Option, type Command } from 'commander';
import { rollback, type RollbackResult } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { migrationFolder, positiveInt, printPlannedSql, runnerOptions } from './runner-setup.js';
import { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';

export interface RollbackFlags {
  steps?: string | number;
  to?: string;
  dryRun?: boolean;
}

/**
 * Runs down migrations, newest first (default one step), each in its own transaction.
 *
 * @example
 * await rollbackCommand(ctx, { steps: 2 });
 */
export async function rollbackCommand(ctx: CommandContext, flags: RollbackFlags = {}): Promise<RollbackResult> {
  const steps = typeof flags.steps === 'number' ? flags.steps : positiveInt('--steps', flags.steps);
  const folder = migrationFolder(ctx);
  const db = await ctx.openDb('direct', 'write');
  return rollback(db, folder, { ...runnerOptions(ctx), steps, to: flags.to, dryRun: flags.dryRun });
}

export function registerRollback(program: Command, state: { exitCode: number }): Command {
  return addFleetOptions(program
    .command('rollback'))
    .description('run down migrations, newest first (default one step)')
    .addOption(new Option('--steps <n>', 'how many applied migrations to revert').conflicts('to'))
    .option('--to <name>', 'revert every migration applied after this one')
    .option('--dry-run', 'print the SQL that would run and change nothing')
    .addHelpText('after', '\nExamples:\n  $ strata rollback\n  $ strata rollback --steps 3 --dry-run\n  $ strata rollback --to 20261126001500_init\n  $ strata rollback --all --to 20261126001500_init')
    .action(
      action(state, async (ctx, flags: RollbackFlags & FleetFlags) => {
        if (isFleetRun(flags)) return (await import('./fleet.js')).fleetCommand(ctx, 'rollback', flags);
        const r = await rollbackCommand(ctx, flags);
        if (r.dryRun) {
          printPlannedSql(ctx, r.planned);
          ctx.out.info(r.planned.length === 0 ? 'nothing to roll back' : `dry run: ${r.planned.length} migration${r.planned.length === 1 ? '' : 's'} would be reverted; nothing was changed`);
        } else if (r.reverted.length === 0) {
          ctx.out.line('nothing to roll back: no migration is applied');
        }
        ctx.out.result({ ok: true, ...r });
        return EXIT.ok;
      }),
    );
}
