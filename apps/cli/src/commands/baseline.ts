import type { Command } from 'commander';
import { baseline } from '@strata/runner';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { migrationFolder, runnerOptions } from './runner-setup.js';

/**
 * Records migrations as applied without running them (adopting an existing database).
 *
 * @example
 * await baselineCommand(ctx, { to: '20261126001500_init' });
 */
export async function baselineCommand(ctx: CommandContext, flags: { to?: string } = {}): Promise<{ recorded: string[]; alreadyApplied: string[] }> {
  const folder = migrationFolder(ctx);
  const db = await ctx.openDb('direct', 'write');
  return baseline(db, folder, { ...runnerOptions(ctx), to: flags.to });
}

export function registerBaseline(program: Command, state: { exitCode: number }): Command {
  return program
    .command('baseline')
    .description('record migrations as applied without running them (adopting an existing database)')
    .option('--to <name>', 'record migrations up to and including this one (default: all)')
    .addHelpText('after', '\nExamples:\n  $ strata baseline\n  $ strata baseline --to 20261126001500_init')
    .action(
      action(state, async (ctx, flags: { to?: string }) => {
        const r = await baselineCommand(ctx, flags);
        if (r.recorded.length === 0) ctx.out.line('nothing to record: every migration is already in the history');
        else ctx.out.line(`${r.recorded.length} migration${r.recorded.length === 1 ? '' : 's'} recorded as applied (not run)`);
        ctx.out.result({ ok: true, ...r });
        return EXIT.ok;
      }),
    );
}
