import type { Command } from 'commander';
import { StrataError } from '@strata/core';
import { execBatch } from '@strata/db';
import { diffSnapshots, renderMigration, summarize, type Diff, type Hazard } from '@strata/diff';
import { assertServerCanExpress, featuresBeyondServer, type Snapshot, type Table } from '@strata/schema';
import { codeSnapshot } from '../code-snapshot.js';
import type { CommandContext } from '../context.js';
import { highlightSql } from '../highlight-sql.js';
import { liveSnapshot, managedSchemas, serverSpelled } from '../managed-schema.js';
import { action, EXIT } from '../run-action.js';
import { withSpinner } from '../spinner.js';
import { renameResolver } from './generate.js';

export interface PushOptions {
  force?: boolean;
  dryRun?: boolean;
  rename?: string[];
}

export interface PushResult {
  changed: boolean;
  applied: boolean;
  summary: string[];
  sql: string;
  hazards: Hazard[];
  dataLoss: Hazard[];
}

/** Push builds indexes inside its transaction: the CONCURRENTLY hint is for migrations only. */
function withoutConcurrently(s: Snapshot): Snapshot {
  // Copy only the tables that carry the hint; the rest are shared, never changed. (fromEntries,
  // not assignment: a table may be called `__proto__`.)
  const unhinted = (t: Table): Table =>
    Object.values(t.indexes).some((i) => i.concurrently)
      ? { ...t, indexes: Object.fromEntries(Object.entries(t.indexes).map(([k, i]) => [k, { ...i, concurrently: undefined }])) }
      : t;
  const schemas = Object.fromEntries(Object.entries(s.schemas).map(([name, schema]) => [name, {
    ...schema,
    tables: Object.fromEntries(Object.entries(schema.tables).map(([tname, t]) => [tname, unhinted(t)])),
  }]));
  return { ...s, schemas };
}

/**
 * Makes the database match the schema code directly, without migration files or history (the
 * guide's development loop). Data loss needs `--force` or a yes at the prompt.
 *
 * @example
 * const r = await push(ctx, { force: true });
 */
export async function push(ctx: CommandContext, options: PushOptions): Promise<PushResult> {
  const config = ctx.requireSchemaConfig();
  if (config.production && !options.dryRun) {
    throw new StrataError('REFUSED', `push refuses to run: ${config.file} says production: true`, {
      hint: 'Use `strata generate` and `strata migrate` for a production database.',
    });
  }
  const { snapshot: code } = await codeSnapshot(config);
  const db = await ctx.openDb('direct');
  // Only a schema using a feature newer than PostgreSQL 13 costs the question to the server.
  if (featuresBeyondServer(code, 0).length > 0) assertServerCanExpress(code, await db.serverInfo(), 'push');
  const schemas = managedSchemas(config, code);
  const lock = await db.acquireMigrationLock({
    waitMs: config.lockWaitMs,
    onWait: (w) => ctx.out.info(`waiting for another Strata process${w.holderPid ? ` (pid ${w.holderPid})` : ''} to release the migration lock…`),
  });
  try {
    // Read through the pool (the catalog queries run side by side); the lock keeps other
    // Strata processes from changing the schema meanwhile.
    const live = await withSpinner(ctx.out, 'reading the database', () => liveSnapshot(db, config, schemas));
    const target = withoutConcurrently(await withSpinner(ctx.out, 'letting the server spell the schema code', () => serverSpelled(lock.session, code, config, schemas, live)));
    const resolver = renameResolver(ctx, options.rename ?? []);
    const diff: Diff = await diffSnapshots(live, target, { resolver });
    await resolver.finish?.();
    const result: PushResult = {
      changed: diff.changes.length > 0,
      applied: false,
      summary: summarize(diff),
      sql: diff.parts.map((p) => renderMigration(p.up)).join(''),
      hazards: diff.hazards,
      dataLoss: diff.hazards.filter((h) => h.kind === 'data-loss'),
    };
    if (!result.changed || options.dryRun) return result;
    if (result.dataLoss.length > 0 && !options.force) {
      const lines = result.dataLoss.map((h) => `  - ${h.message}`).join('\n');
      if (!ctx.canPrompt) {
        throw new StrataError('INPUT_REQUIRED', `push would lose data:\n${lines}`, {
          hint: 'Run it on a terminal to confirm, or pass --force to accept the loss.',
        });
      }
      printPlan(ctx, result);
      if (!(await ctx.confirm(`push would lose data:\n${lines}\nApply anyway?`, 'pass --force'))) {
        throw new StrataError('REFUSED', 'push cancelled: nothing was changed');
      }
    }
    // One transaction per part: a new enum value must be committed before a later part uses it.
    for (const part of diff.parts) {
      await lock.session.transaction(async (tx) => {
        await tx.exec(`SET LOCAL lock_timeout = '${Math.max(0, config.lockTimeoutMs)}ms'`);
        // One round trip; one statement at a time only to report a failure.
        const statements = part.up.map((st) => st.sql);
        if (!(await execBatch(tx, statements))) for (const sql of statements) await tx.exec(sql);
      });
    }
    result.applied = true;
    return result;
  } finally {
    await lock.release();
  }
}

function printPlan(ctx: CommandContext, r: PushResult): void {
  const c = ctx.out.colors;
  for (const line of r.summary) ctx.out.line(line.startsWith('!') ? c.yellow(line) : line);
  ctx.out.line('');
  ctx.out.line(highlightSql(r.sql.trimEnd(), c));
  ctx.out.line('');
}

export function registerPush(program: Command, state: { exitCode: number }): Command {
  return program
    .command('push')
    .description('make the database match the schema code directly (development; no migration files or history)')
    .option('--force', 'apply changes that lose data without asking')
    .option('--dry-run', 'print the plan and change nothing')
    .option('--rename <from=to>', 'answer a rename question (repeatable), as for generate', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addHelpText('after', `
Examples:
  $ strata push
  $ strata push --dry-run
  $ strata push --rename users.name=users.full_name
  $ strata push --force          # non-interactive, accepting data loss`)
    .action(
      action(state, async (ctx, opts: PushOptions) => {
        const r = await push(ctx, opts);
        ctx.out.result(r);
        if (!r.changed) {
          ctx.out.line('the database already matches the schema code');
          return EXIT.ok;
        }
        if (!(r.dataLoss.length > 0 && !opts.force && ctx.canPrompt && r.applied)) printPlan(ctx, r);
        ctx.out.line(r.applied ? ctx.out.colors.green('pushed: the database matches the schema code') : 'dry run: nothing was changed');
        return EXIT.ok;
      }),
    );
}
