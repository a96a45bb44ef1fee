import type { Command } from 'commander';
import { push as pushSchema, type PushResult } from '@strata/workflow';
import type { CommandContext } from '../context.js';
import { highlightSql } from '../highlight-sql.js';
import { progressPrinter } from '../render-progress.js';
import { renameResolver } from '../rename-resolver.js';
import { action, EXIT } from '../run-action.js';

export type { PushResult } from '@strata/workflow';

export interface PushOptions {
  force?: boolean;
  dryRun?: boolean;
  rename?: string[];
  /** Plain DDL instead of the lock-safe recipes (also the config's `unsafePlans`). */
  unsafePlans?: boolean;
  /** false with `--no-renames`: every open rename question is answered "drop and create". */
  renames?: boolean;
}

/**
 * `strata push` over @strata/workflow's `push`: the direct database, rename questions and the
 * data-loss question asked on a terminal (the plan printed first), progress on stderr.
 *
 * @example
 * const r = await push(ctx, { force: true });
 */
export async function push(ctx: CommandContext, options: PushOptions): Promise<PushResult> {
  const config = ctx.requireSchemaConfig();
  return pushSchema({
    config,
    db: () => ctx.openDb('direct'),
    ...(options.force ? { force: true } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
    ...(options.unsafePlans ? { unsafePlans: true } : {}),
    resolver: renameResolver(ctx, options.rename ?? [], options.renames !== false),
    renames: options.rename ?? [],
    ...(ctx.canPrompt ? {
      confirm: async (request) => {
        if (request.kind === 'push-data-loss' || request.kind === 'push-rewrite') printPlan(ctx, request.plan);
        return ctx.confirm(request.message, request.hint);
      },
    } : {}),
    onProgress: progressPrinter(ctx),
  });
}

function printPlan(ctx: CommandContext, r: PushResult): void {
  const c = ctx.out.colors;
  for (const line of r.summary) ctx.out.line(line.startsWith('!') ? c.yellow(line) : line.startsWith('=') ? c.cyan(line) : line);
  ctx.out.line('');
  ctx.out.line(highlightSql(r.sql.trimEnd(), c));
  ctx.out.line('');
}

export function registerPush(program: Command, state: { exitCode: number }): Command {
  return program
    .command('push')
    .description('make the database match the schema code directly (development; no migration files or history)')
    .option('--force', 'apply changes that lose data or rewrite tables without asking')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--rename <from=to>', 'answer a rename question (repeatable), as for generate', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--unsafe-plans', 'plain DDL instead of the lock-safe recipes (also config unsafePlans)')
    .option('--no-renames', 'answer every rename question no --rename answers "not a rename" (drop and create; the data loss still needs --force)')
    .addHelpText('after', `
Examples:
  $ strata push
  $ strata push --dry-run
  $ strata push --rename users.name=users.full_name
  $ strata push --force          # non-interactive, accepting data loss and table rewrites
  $ strata push --no-renames --dry-run   # without a terminal: see the drop-and-create plan`)
    .action(
      action(state, async (ctx, opts: PushOptions) => {
        const r = await push(ctx, opts);
        ctx.out.result(r);
        if (!r.changed) {
          ctx.out.line('the database already matches the schema code');
          return EXIT.ok;
        }
        if (!((r.dataLoss.length > 0 || r.rewrites.length > 0) && !opts.force && ctx.canPrompt && r.applied)) printPlan(ctx, r);
        ctx.out.line(r.applied ? ctx.out.colors.green('pushed: the database matches the schema code') : 'dry run: nothing was changed');
        return EXIT.ok;
      }),
    );
}
