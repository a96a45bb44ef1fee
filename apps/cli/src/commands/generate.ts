import { relative } from 'node:path';
import type { Command } from 'commander';
import { assertServerCanExpress, featuresBeyondServer } from '@strata/schema';
import { codeSnapshot, generate as generateMigration, type GenerateResult } from '@strata/workflow';
import type { CommandContext } from '../context.js';
import { highlightSql } from '../highlight-sql.js';
import { progressPrinter } from '../render-progress.js';
import { renameResolver } from '../rename-resolver.js';
import { action } from '../run-action.js';
import { formatCount } from '@strata/core';

export type { GeneratedMigration, GenerateResult } from '@strata/workflow';

export interface GenerateOptions {
  name?: string;
  custom?: boolean;
  rename?: string[];
  /** Plain DDL instead of the lock-safe recipes (also the config's `unsafePlans`). */
  unsafePlans?: boolean;
  /** false with `--no-renames`: every open rename question is answered "drop and create". */
  renames?: boolean;
  /** Column renames on tables that exist as expand + contract migrations. */
  multiStep?: boolean;
}

/**
 * `strata generate` over @strata/workflow's `generate`: the config's schema code against the
 * newest migration, with rename questions asked on a terminal and progress on stderr.
 *
 * @example
 * const r = await generate(ctx, { name: 'add phone number' });
 */
export async function generate(ctx: CommandContext, options: GenerateOptions): Promise<GenerateResult> {
  const config = ctx.requireSchemaConfig();
  // With an explicit --url, generate knows the server the migration is for: a schema that server
  // cannot express stops here, not when migrate runs it, and the SQL may use what that server runs.
  let serverVersionNum: number | undefined;
  if (ctx.options.url) {
    const { snapshot } = await codeSnapshot(config);
    const server = await (await ctx.openDb()).serverInfo();
    serverVersionNum = server.versionNum;
    if (featuresBeyondServer(snapshot, 0).length > 0) assertServerCanExpress(snapshot, server, 'generate');
  }
  return generateMigration({
    config,
    ...(serverVersionNum !== undefined ? { serverVersionNum } : {}),
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.custom ? { custom: true } : { resolver: renameResolver(ctx, options.rename ?? [], options.renames !== false) }),
    ...(options.unsafePlans ? { unsafePlans: true } : {}),
    ...(options.multiStep ? { multiStep: true } : {}),
    // A table rewrite is asked on a terminal; without one generate stops (exit 2) naming the answers.
    ...(ctx.canPrompt ? { confirm: (request) => ctx.confirm(request.message, request.hint) } : {}),
    onProgress: progressPrinter(ctx),
  });
}

/** How many lines of plain changes, and of each migration's SQL, `generate` prints. */
const ECHO_LINES = 200;

export function registerGenerate(program: Command, state: { exitCode: number }): Command {
  return program
    .command('generate')
    .description('compare the schema code with the newest migration and write the next migration (up, down, snapshot)')
    .option('--name <name>', 'migration name (default: from the change)')
    .option('--custom', 'write an empty migration for hand-written SQL; records the schema code as the state after it')
    .option('--rename <from=to>', 'answer a rename question: [schema.]table[.column], an enum, view or schema (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--unsafe-plans', 'plain DDL instead of the lock-safe recipes (tables known to be small; also config unsafePlans)')
    .option('--multi-step', 'write a column rename on a table that exists as two migrations, expand (new column, sync trigger, backfill) and contract (held by migrate until --contract)')
    .option('--no-renames', 'answer every rename question no --rename answers "not a rename" (drop and create), without a terminal too')
    .addHelpText('after', `
Changes to tables that already exist use lock-safe recipes (CREATE INDEX CONCURRENTLY, NOT VALID then
VALIDATE, NOT NULL through a check, batched backfills), written as one migration split into parts.
A type change that rewrites a table stops without a terminal (exit 2) and is asked on one.

Examples:
  $ strata generate --name add_phone_number
  $ strata generate --rename users.name=users.full_name
  $ strata generate --multi-step --rename users.name=users.full_name   # no downtime: expand, deploy, contract
  $ strata generate --no-renames           # in CI: a removed and an added column are a drop and an add
  $ strata generate --rename products=catalog_items --name rename_products
  $ strata generate --custom --name backfill_full_name`)
    .action(
      action(state, async (ctx, opts: GenerateOptions) => {
        const r = await generate(ctx, opts);
        const c = ctx.out.colors;
        ctx.out.result(r);
        if (!r.changed) {
          ctx.out.line('no schema changes');
          return;
        }
        // Drops, renames, recipes (=), hazards (!) and warnings (*) are always shown; created and
        // altered objects, and the SQL, are cut on a big change (thousands of lines help no review
        // on a terminal): the files, and --json, hold everything.
        let listed = 0;
        for (const line of r.summary) {
          const kind = line[0];
          if (kind === '!') ctx.out.line(c.yellow(line));
          else if (kind === '*') ctx.out.line(c.magenta(line));
          else if (kind === '=') ctx.out.line(c.cyan(line));
          else if (!/^[+~] /.test(line) || listed++ < ECHO_LINES) ctx.out.line(line);
        }
        if (listed > ECHO_LINES) ctx.out.line(c.dim(`… ${formatCount(listed - ECHO_LINES)} more created or altered objects (all in the migration)`));
        for (const m of r.migrations) {
          ctx.out.line('');
          ctx.out.line(c.bold(`${m.name}${m.parts > 1 ? c.dim(`  (${m.parts} parts)`) : ''}`));
          for (const f of m.files) ctx.out.line(`  ${c.green('wrote')} ${relative(ctx.cwd, f) || f}`);
          if (m.up) {
            const lines = m.up.trimEnd().split('\n');
            ctx.out.line('');
            ctx.out.line(highlightSql(lines.slice(0, ECHO_LINES).join('\n'), c));
            if (lines.length > ECHO_LINES) {
              const upFile = m.files.find((f) => f.endsWith('.sql') && !f.endsWith('.down.sql'));
              ctx.out.line(c.dim(`… ${formatCount(lines.length - ECHO_LINES)} more lines in ${upFile ? relative(ctx.cwd, upFile) || upFile : 'the migration'}`));
            }
          }
        }
        ctx.out.line('');
        ctx.out.line(
          c.dim(opts.custom
            ? 'Write the SQL in the .sql file and its reverse in the .down.sql file, run `strata hash` to record the edit, then `strata migrate`.'
            : r.multiStep
              ? 'Review the SQL. `strata migrate` applies the expand migration and holds the contract; deploy the code that uses only the new columns, then `strata migrate --contract`.'
              : 'Review the SQL, then apply it with `strata migrate`.'),
        );
      }),
    );
}


