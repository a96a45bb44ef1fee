import type { Command } from 'commander';
import { drop as dropAll, type DropResult } from '@strata/workflow';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';

export { dropPlan, dropStatements, type DropItem, type DropResult } from '@strata/workflow';

export interface DropOptions {
  force?: boolean;
}

/**
 * `strata drop` over @strata/workflow's `drop`: the direct database; without `force`, the list of
 * what goes is printed and the question asked on a terminal.
 *
 * @example
 * await drop(ctx, { force: true });
 */
export async function drop(ctx: CommandContext, options: DropOptions): Promise<DropResult> {
  return dropAll({
    config: ctx.config,
    db: () => ctx.openDb('direct'),
    ...(options.force ? { force: true } : {}),
    confirm: async (request) => {
      if (request.kind === 'drop') {
        ctx.out.info(`drop will remove ${request.items.length} object(s) from ${ctx.databaseUrl().url}:`);
        for (const i of request.items) ctx.out.info(`  - ${i.kind} ${i.name}`);
      }
      return ctx.confirm(request.message, request.hint);
    },
  });
}

export function registerDrop(program: Command, state: { exitCode: number }): Command {
  return program
    .command('drop')
    .description("drop every object in the managed schemas and Strata's history (development reset)")
    .option('--force', 'drop without asking (needed without a terminal)')
    .addHelpText('after', `
Examples:
  $ strata drop
  $ strata drop --force      # in scripts`)
    .action(
      action(state, async (ctx, opts: DropOptions) => {
        const r = await drop(ctx, { force: opts.force || ctx.options.yes });
        ctx.out.result(r);
        if (!r.dropped) ctx.out.line('nothing to drop');
        else ctx.out.line(`dropped ${r.items.length} object(s): ${r.items.map((i) => i.name).join(', ')}`);
        return EXIT.ok;
      }),
    );
}
