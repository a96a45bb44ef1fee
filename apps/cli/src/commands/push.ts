import type { Command } from 'commander';
import { StrataError } from '@strata/core';
import { execBatch } from '@strata/db';
import { diffSnapshots, renderMigration, rewriteQuestion, summarize, type Diff, type Hazard, type PlanNote, type Rewrite } from '@strata/diff';
import type { Snapshot, Table } from '@strata/schema';
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
  /** Plain DDL instead of the lock-safe recipes (also the config's `unsafePlans`). */
  unsafePlans?: boolean;
}

export interface PushResult {
  changed: boolean;
  applied: boolean;
  summary: string[];
  sql: string;
  hazards: Hazard[];
  dataLoss: Hazard[];
  /** Type changes that rewrite a table under an exclusive lock: applied after a confirmation or `--force`. */
  rewrites: Rewrite[];
  plans: PlanNote[];
}

/** Plain plans build indexes inside push's transaction: the CONCURRENTLY hint is for migrations only. */
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
  const schemas = managedSchemas(config, code);
  const lock = await db.acquireMigrationLock({
    waitMs: config.lockWaitMs,
    onWait: (w) => ctx.out.info(`waiting for another Strata process${w.holderPid ? ` (pid ${w.holderPid})` : ''} to release the migration lock…`),
  });
  try {
    // Read through the pool (the catalog queries run side by side); the lock keeps other
    // Strata processes from changing the schema meanwhile.
    const live = await withSpinner(ctx.out, 'reading the database', () => liveSnapshot(db, config, schemas));
    const unsafePlans = options.unsafePlans === true || config.unsafePlans;
    const spelled = await withSpinner(ctx.out, 'letting the server spell the schema code', () => serverSpelled(lock.session, code, config, schemas, live));
    const target = unsafePlans ? withoutConcurrently(spelled) : spelled;
    const resolver = renameResolver(ctx, options.rename ?? []);
    const diff: Diff = await diffSnapshots(live, target, { resolver, unsafePlans });
    await resolver.finish?.();
    const result: PushResult = {
      changed: diff.changes.length > 0,
      applied: false,
      summary: summarize(diff),
      sql: renderMigration(diff.upParts),
      hazards: diff.hazards,
      dataLoss: diff.hazards.filter((h) => h.kind === 'data-loss'),
      rewrites: unsafePlans ? [] : diff.rewrites,
      plans: diff.plans,
    };
    if (!result.changed || options.dryRun) return result;
    const rewrite = rewriteQuestion(result.rewrites);
    if ((result.dataLoss.length > 0 || rewrite) && !options.force) {
      const what = [
        ...(result.dataLoss.length ? [`push would lose data:\n${result.dataLoss.map((h) => `  - ${h.message}`).join('\n')}`] : []),
        ...(rewrite ? [`${rewrite.message.replace(/^this change rewrites /, 'push would rewrite ')}`] : []),
      ].join('\n');
      if (!ctx.canPrompt) {
        throw new StrataError('INPUT_REQUIRED', what, {
          hint: `Run it on a terminal to confirm, or pass --force to accept ${result.dataLoss.length ? 'the loss' : 'the rewrite'}.`,
        });
      }
      printPlan(ctx, result);
      if (!(await ctx.confirm(`${what}\nApply anyway?`, 'pass --force'))) {
        throw new StrataError('REFUSED', 'push cancelled: nothing was changed');
      }
    }
    // Part by part, as migrate runs a migration: a new enum value is committed before a later part
    // uses it, and a part outside a transaction (CREATE INDEX CONCURRENTLY, a batched backfill) runs
    // statement by statement on the session.
    for (const part of diff.upParts) {
      const statements = part.statements.map((st) => st.sql);
      if (!part.transactional) {
        for (const sql of statements) await lock.session.exec(sql);
        continue;
      }
      await lock.session.transaction(async (tx) => {
        await tx.exec(`SET LOCAL lock_timeout = '${Math.max(0, config.lockTimeoutMs)}ms'`);
        // One round trip; one statement at a time only to report a failure.
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
  for (const line of r.summary) ctx.out.line(line.startsWith('!') ? c.yellow(line) : line.startsWith('=') ? c.cyan(line) : line);
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
    .option('--unsafe-plans', 'plain DDL instead of the lock-safe recipes (also config unsafePlans)')
    .addHelpText('after', `
Examples:
  $ strata push
  $ strata push --dry-run
  $ strata push --rename users.name=users.full_name
  $ strata push --force          # non-interactive, accepting data loss and table rewrites`)
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
