import { relative } from 'node:path';
import type { Command } from 'commander';
import { StrataError, formatCount } from '@strata/core';
import {
  createDataMigrationFile, dataMigrationStatus, runDataMigrations, type DataMigrationStatus, type DataRunReport, type DryRunBatch,
} from '@strata/data';
import type { CommandContext } from '../context.js';
import { action, EXIT } from '../run-action.js';
import { addFleetOptions, isFleetRun, type FleetFlags } from './fleet-options.js';
import { createDataProgress, formatDuration } from './data-progress.js';

export interface DataNewResult {
  name: string;
  file: string;
}

/**
 * `strata data new <name>`: writes `<dataDir>/<YYYYMMDDHHMMSS>_<name>.ts` from the template.
 *
 * @example
 * const { file } = await dataNew(ctx, 'backfill_full_name');
 */
export async function dataNew(ctx: CommandContext, name: string): Promise<DataNewResult> {
  return createDataMigrationFile({ dir: ctx.config.dataDir, name });
}

export interface DataRunOptions {
  /** Run only this migration (full name, name without timestamp, or file name). */
  name?: string;
  dryRun?: boolean;
}

const num = formatCount;
const keyText = (v: unknown) => (Array.isArray(v) ? `(${v.join(', ')})` : String(v));

/**
 * `strata data run [name] [--dry-run]`: runs the pending data migrations in order, printing
 * progress on stderr; a migration interrupted earlier resumes from its checkpoint.
 *
 * @example
 * const report = await dataRun(ctx, { dryRun: true });
 */
export async function dataRun(ctx: CommandContext, options: DataRunOptions = {}): Promise<DataRunReport> {
  const { out } = ctx;
  const c = out.colors;
  const db = await ctx.openDb('direct', 'write');
  const progress = createDataProgress(out);
  const say = (fn: () => void) => { progress.clear(); fn(); };
  const dry = options.dryRun ? c.yellow('[dry run] ') : '';
  return runDataMigrations({
    db,
    dir: ctx.config.dataDir,
    only: options.name,
    dryRun: options.dryRun,
    historySchema: ctx.config.history.schema,
    lockWaitMs: ctx.config.lockWaitMs,
    lockTimeoutMs: ctx.config.lockTimeoutMs,
    statementTimeoutMs: ctx.config.statementTimeoutMs,
    onLockWait: ({ holderPid }) => say(() => out.info(`waiting for another \`strata data run\`${holderPid ? ` (server process ${holderPid})` : ''} …`)),
    onStart: (m) => say(() => out.line(`${dry}${c.bold(m.name)}${m.description ? c.dim(`  ${m.description}`) : ''}${m.resumed ? c.cyan('  (resuming)') : ''}`)),
    onProgress: (p) => progress.update(p),
    onLog: (level, migration, message) => say(() => {
      const text = `  ${c.dim(`${migration}:`)} ${message}`;
      if (level === 'warn') out.warn(`${migration}: ${message}`);
      else if (level === 'debug') out.debug(text);
      else out.info(text);
    }),
    onFinish: (m) => say(() => {
      const changed = m.walks.reduce((n, w) => n + w.changed, 0);
      const what = m.walks.length ? `${num(m.rows)} rows walked, ${num(changed)} changed` : 'done';
      out.line(`${options.dryRun ? c.yellow('~') : c.green('✓')} ${m.name}  ${what} in ${formatDuration(m.ms)}${options.dryRun ? c.yellow('  (rolled back)') : ''}`);
      if (m.batches) printDryRunBatches(ctx, m.batches);
    }),
  });
}

function printDryRunBatches(ctx: CommandContext, batches: DryRunBatch[]): void {
  const shown = ctx.out.verbose ? batches : batches.slice(0, 20);
  for (const b of shown) {
    ctx.out.line(`    ${b.walk} batch ${b.batch}: ${keyText(b.from)} … ${keyText(b.to)}  ${num(b.rows)} rows, would change ${num(b.changed)}`);
  }
  if (shown.length < batches.length) ctx.out.line(ctx.out.colors.dim(`    … ${batches.length - shown.length} more batches (--verbose or --json lists them all)`));
}

/**
 * `strata data status`: every data migration with its state (pending, running, interrupted,
 * failed, done), rows and times.
 *
 * @example
 * const list = await dataStatus(ctx);
 */
export async function dataStatus(ctx: CommandContext): Promise<DataMigrationStatus[]> {
  const db = await ctx.openDb('direct', 'read');
  return dataMigrationStatus({ db, dir: ctx.config.dataDir, historySchema: ctx.config.history.schema });
}

function printStatus(ctx: CommandContext, list: DataMigrationStatus[]): void {
  const c = ctx.out.colors;
  if (list.length === 0) {
    ctx.out.line(`No data migrations in ${relative(ctx.cwd, ctx.config.dataDir) || '.'} (create one with \`strata data new <name>\`).`);
    return;
  }
  const paint = { pending: c.yellow, running: c.cyan, interrupted: c.magenta, failed: c.red, done: c.green } as const;
  const width = Math.max(...list.map((m) => m.name.length));
  for (const m of list) {
    const notes: string[] = [];
    if (m.rows > 0 || m.state !== 'pending') notes.push(`${num(m.rows)} rows`);
    if (m.finishedAt) notes.push(`finished ${m.finishedAt}`);
    else if (m.updatedAt && m.state !== 'pending') notes.push(`last checkpoint ${m.updatedAt}`);
    if (m.checksumChanged) notes.push(c.yellow(m.state === 'done' ? 'file changed after it ran (not run again)' : 'file changed since the last run'));
    if (!m.file) notes.push(c.dim('file missing'));
    ctx.out.line(`${m.name.padEnd(width)}  ${paint[m.state](m.state.padEnd(11))} ${notes.join('  ')}`);
    if (m.error && m.state === 'failed') ctx.out.line(`${' '.repeat(width + 2)}${c.red(m.error)}`);
  }
}

export function registerData(program: Command, state: { exitCode: number }): Command {
  const data = program
    .command('data')
    .description('data migrations: scaffold, run (tracked, batched, resumable) and list them')
    .addHelpText('after', `
Data migrations live in dataDir (config; default ./scripts/data) as <timestamp>_<name>.ts and are
tracked in <history schema>.data_migrations. A run stopped by an error or a kill resumes from its
last committed batch; a finished migration never runs again.

Examples:
  $ strata data new backfill_full_name
  $ strata data run --dry-run
  $ strata data run
  $ strata data status --json`);

  data
    .command('new')
    .argument('<name>', 'what the migration does, e.g. backfill_full_name')
    .description('write a new data migration from the template')
    .addHelpText('after', '\nExamples:\n  $ strata data new backfill_full_name\n  $ strata data new fix-orphan-posts --json')
    .action(action(state, async (ctx, name: string) => {
      const r = await dataNew(ctx, name);
      ctx.out.line(`Created ${relative(ctx.cwd, r.file)}`);
      ctx.out.result({ ok: true, ...r });
    }));

  addFleetOptions(data
    .command('run')
    .argument('[name]', 'run only this migration (its name, with or without the timestamp)')
    .option('--dry-run', 'run in a transaction that is rolled back; report what would change'))
    .description('run pending data migrations in order, resuming interrupted ones')
    .addHelpText('after', '\nExamples:\n  $ strata data run --dry-run\n  $ strata data run\n  $ strata data run backfill_full_name\n  $ strata data run --all --concurrency 8')
    .action(action(state, async (ctx, name: string | undefined, opts: FleetFlags & { dryRun?: boolean }) => {
      if (isFleetRun(opts)) {
        if (name !== undefined) throw new StrataError('USAGE', 'a data migration name cannot be combined with --all or --targets yet', { hint: 'Run every pending data migration on the fleet (drop the name), or one on a database with --url.' });
        return (await import('./fleet.js')).fleetCommand(ctx, 'data', opts);
      }
      const report = await dataRun(ctx, { name, dryRun: opts.dryRun });
      if (report.ran.length === 0) {
        const done = report.done.length + report.changed.length;
        ctx.out.line(name ? `${name}: already done, nothing to run.` : `No pending data migrations${done ? ` (${done} done)` : ''}.`);
      }
      ctx.out.result({ ok: true, ...report });
    }));

  addFleetOptions(data
    .command('status'))
    .description('list data migrations: pending, running, interrupted, failed or done')
    .addHelpText('after', '\nExamples:\n  $ strata data status\n  $ strata data status --json\n  $ strata data status --all')
    .action(action(state, async (ctx, opts: FleetFlags) => {
      if (isFleetRun(opts)) return (await import('./fleet.js')).fleetCommand(ctx, 'data-status', opts);
      const list = await dataStatus(ctx);
      printStatus(ctx, list);
      const problems = list.filter((m) => m.state === 'failed' || (m.state === 'done' && m.checksumChanged));
      ctx.out.result({ ok: problems.length === 0, dir: ctx.config.dataDir, migrations: list });
      return problems.length ? EXIT.failure : EXIT.ok;
    }));

  return data;
}
