import type { Command } from 'commander';
import { check as checkProject, type CheckProblem, type CheckReport } from '@strata/workflow';
import type { CommandContext } from '../context.js';
import { progressPrinter } from '../render-progress.js';
import { action, EXIT } from '../run-action.js';
import { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';

export type { CheckProblem, CheckReport } from '@strata/workflow';

/**
 * `strata check` over @strata/workflow's `check`: the command's database, progress on stderr.
 *
 * @example
 * const r = await check(ctx); process.exitCode = r.ok ? 0 : 1;
 */
export async function check(ctx: CommandContext): Promise<CheckReport> {
  const config = ctx.requireSchemaConfig();
  return checkProject({ config, db: () => ctx.openDb(), onProgress: progressPrinter(ctx) });
}

export function registerCheck(program: Command, state: { exitCode: number }): Command {
  return addFleetOptions(program
    .command('check'))
    .description('exit 0 only when the database, the migration history and the schema code agree; report every difference')
    .addHelpText('after', `
Examples:
  $ strata check
  $ strata check --json     # { ok, problems: [{ kind, message }] }`)
    .action(
      action(state, async (ctx, flags: FleetFlags) => {
        if (isFleetRun(flags)) return (await import('./fleet.js')).fleetCommand(ctx, 'check', flags);
        const r = await check(ctx);
        const c = ctx.out.colors;
        ctx.out.result(r);
        if (r.ok) {
          ctx.out.line(c.green(`in sync: database, ${r.checked.applied} applied migration(s) and schema code agree (${r.checked.schemas.join(', ')})`));
          return EXIT.ok;
        }
        const titles: Record<CheckProblem['kind'], string> = {
          integrity: 'migration folder',
          pending: 'migrations not applied',
          'out-of-order': 'migrations out of order',
          changed: 'applied migrations edited',
          missing: 'applied migrations missing',
          partial: 'migrations partly applied',
          reverting: 'migrations partly rolled back',
          drift: 'database drift (not made by any migration)',
          'not-generated': 'schema changes not generated (run `strata generate`)',
        };
        for (const kind of Object.keys(titles) as CheckProblem['kind'][]) {
          const of = r.problems.filter((p) => p.kind === kind);
          if (of.length === 0) continue;
          ctx.out.line(c.bold(titles[kind]));
          for (const p of of) ctx.out.line(`  ${c.yellow('•')} ${p.message}`);
        }
        ctx.out.line(c.red(`${r.problems.length} problem(s) found`));
        return EXIT.failure;
      }),
    );
}
