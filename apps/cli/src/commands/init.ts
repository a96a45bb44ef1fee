import type { Command } from 'commander';
import { initProject } from '@strata/workflow';
import { action, EXIT } from '../run-action.js';

export function registerInit(program: Command, state: { exitCode: number }): Command {
  return program
    .command('init')
    .description('set up Strata here: strata.config.ts, a schema folder with an example table, the migration folder, .gitignore and db:* scripts')
    .addHelpText('after', '\nNever overwrites a file: exits 2 naming it when strata.config.* or the example table already exists.\n\nExamples:\n  $ strata init\n  $ strata init && npm run db:generate && npm run db:migrate')
    .action(
      action(state, async (ctx) => {
        const r = initProject(ctx.cwd);
        for (const s of r.steps) ctx.out.line(`${s.action} ${s.path}${s.detail ? ctx.out.colors.dim(` (${s.detail})`) : ''}`);
        ctx.out.info('next: install @strata/cli and drizzle-orm, edit the example table, then `strata generate` and `strata migrate`');
        ctx.out.result({ ok: true, ...r });
        return EXIT.ok;
      }),
    );
}
