import { StrataError } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { assertServerCanExpress, featuresBeyondServer } from '@strata/model';
import { assertFolderUsable } from './folder-errors.js';
import { historyDisplayName, recordHeld, recordUpPart, recordUpPartSql } from './history-table.js';
import { assertHistoryMatches, importDrizzleHistory, loadState } from './load-state.js';
import { prepareHistory, withMigrationLock, sessionSettingsSql } from './locked-run.js';
import type { MigrationState } from './migration-state.js';
import type { Migration, MigrationFolder } from './migration.js';
import { runMigrationFile } from './run-migration-file.js';
import { resolveRunnerOptions, type ResolvedRunnerOptions, type RunnerOptions } from './runner-options.js';
import { assertRunnable } from './statement-rules.js';

export interface MigrateOptions extends RunnerOptions {
  /** Apply pending migrations up to and including this one. */
  to?: string;
  /** Report what would run, with its SQL, and change nothing (no lock, no history table). */
  dryRun?: boolean;
  /** Apply pending migrations older than an applied one (config `outOfOrder: 'allow'`). */
  allowOutOfOrder?: boolean;
  /**
   * Apply contract migrations of multi-step changes too: `true` for every one pending, a name for
   * those up to and including that one. Without it, `migrate` stops at the first contract
   * migration, records it `held`, and applies nothing after it.
   */
  contract?: boolean | string;
}

/** The contract migration a run stopped at, and what waits behind it. */
export interface HeldContract {
  name: string;
  /** Its expand migration. */
  expand: string;
  /** Pending migrations after it that this run did not apply. */
  waiting: string[];
}

/** A migration that a run applies (or, in a dry run, would apply). */
export interface PlannedMigration {
  name: string;
  file: string;
  /** Every part that runs is outside a transaction. */
  noTransaction: boolean;
  outOfOrder: boolean;
  /** The statements that run (of the parts that run). */
  statements: { index: number; line: number; sql: string }[];
  /** The parts that run: all, or from the first not done for a partly applied migration. */
  parts: PlannedPart[];
  /** Parts in the file. */
  partsTotal: number;
  /** The first part that runs (> 1: resuming a partly applied migration). */
  fromPart: number;
}

/** One part of a planned migration. */
export interface PlannedPart {
  index: number;
  noTransaction: boolean;
  statements: { index: number; line: number; sql: string }[];
}

export interface MigrateResult {
  dryRun: boolean;
  /** Applied by this run, in order, with durations (empty in a dry run); `fromPart` > 1 when it resumed a partly applied migration. */
  applied: { name: string; durationMs: number; statements: number; parts: number; fromPart: number }[];
  /** What this run applied or would apply. */
  planned: PlannedMigration[];
  /** Migrations that were already applied when the run started (after taking the lock). */
  alreadyApplied: number;
  /** drizzle-kit history rows recognised and recorded in Strata's history. */
  importedFromDrizzleKit: string[];
  /** The contract migration the run stopped at (`migrate --contract` applies it), or null. */
  held: HeldContract | null;
  /** Contract migrations this run applied (or would apply). */
  contracted: string[];
}

/**
 * Applies pending migrations, exactly once however many processes run it at once: holds the
 * migration lock for the whole run (polling, so a CREATE INDEX CONCURRENTLY of the holder never
 * deadlocks with waiters), re-reads the history after taking it, runs each part of each migration
 * in its own transaction together with its history record (no-transaction parts statement by
 * statement, recorded after), resuming a partly applied migration at its first part not done,
 * with `search_path`, `TimeZone`, `lock_timeout` and `statement_timeout` pinned; lock timeouts
 * are retried (the whole part) within `lockBudgetMs`. Refuses edited or missing applied migrations, folder problems,
 * out-of-order migrations (unless allowed) and files that cannot run as they are written —
 * before running anything.
 *
 * @example
 * const folder = readMigrationFolder('./migrations');
 * const r = await migrate(db, folder, { onEvent: (e) => console.error(describeEvent(e)) });
 * for (const m of r.applied) console.log(`${m.name} ${m.durationMs} ms`);
 */
export async function migrate(client: DatabaseClient, folder: MigrationFolder, options: MigrateOptions = {}): Promise<MigrateResult> {
  const opts = resolveRunnerOptions(options);
  assertFolderUsable(folder);
  if (options.to !== undefined) findMigration(folder, options.to);

  if (options.dryRun) {
    const state = await loadState(client, folder, opts);
    const { targets, held } = checkAndSelect(folder, state, options, opts);
    await assertServerCanRun(client, targets);
    return {
      dryRun: true, applied: [], planned: targets.map((m) => plan(m, state)), alreadyApplied: countApplied(state), importedFromDrizzleKit: [], held, contracted: contractsOf(targets),
    };
  }

  return withMigrationLock(client, opts, async (session, watch) => {
    await prepareHistory(session, opts);
    // Read under the lock: another process may have applied migrations while we waited.
    const state = await loadState(session, folder, opts);
    const { targets, held } = checkAndSelect(folder, state, options, opts);
    await assertServerCanRun(client, targets);
    let imported: string[] = [];
    if (state.toImport.length > 0) {
      imported = await session.transaction((tx) => importDrizzleHistory(tx, state, opts));
      opts.emit({ type: 'drizzle-history-imported', names: imported });
    }
    const applied: MigrateResult['applied'] = [];
    for (const m of targets) {
      const fromPart = firstPartToRun(m, state);
      const parts = m.up.parts.length;
      // A migration may SET search_path or TimeZone itself; each part starts from the pinned values.
      const durationMs = await runMigrationFile(session, {
        settings: sessionSettingsSql(opts),
        migration: m.name,
        file: m.up,
        direction: 'up',
        opts,
        fromPart,
        watch,
        record: (q, part, ms) => recordUpPart(q, opts.history, {
          name: m.name, checksum: m.checksum, part: part.index, parts, durationMs: ms, appliedBy: opts.appliedBy, phase: m.meta?.multiStep?.phase ?? null,
        }),
        recordSql: (part) => recordUpPartSql(opts.history, {
          name: m.name, checksum: m.checksum, part: part.index, parts, appliedBy: opts.appliedBy, phase: m.meta?.multiStep?.phase ?? null,
        }),
      });
      applied.push({ name: m.name, durationMs, statements: m.up.parts.filter((p) => p.index >= fromPart).reduce((n, p) => n + p.statements.length, 0), parts, fromPart });
      opts.emit({ type: 'migration-applied', name: m.name, durationMs });
    }
    if (held) {
      const m = findMigration(folder, held.name);
      await recordHeld(session, opts.history, { name: m.name, checksum: m.checksum, parts: m.up.parts.length, appliedBy: opts.appliedBy });
    }
    return {
      dryRun: false, applied, planned: targets.map((m) => plan(m, state)), alreadyApplied: countApplied(state), importedFromDrizzleKit: imported, held, contracted: contractsOf(targets),
    };
  });
}

/** Applied migrations, not counting those partly applied or partly reverted. */
function countApplied(state: MigrationState): number {
  return state.applied.filter((r) => r.state === 'applied').length;
}

/** 1 for a pending migration; the first part not done for a partly applied one. */
function firstPartToRun(m: Migration, state: MigrationState): number {
  const row = state.partial.find((p) => p.migration === m)?.row;
  return row ? row.partsDone + 1 : 1;
}

/**
 * Stops before anything runs when a pending migration builds a schema the server cannot express
 * (NULLS NOT DISTINCT on PostgreSQL 13, …), naming the migration, the feature and the minimum
 * version. The server is asked for its version only when a pending snapshot uses such a feature.
 */
async function assertServerCanRun(client: DatabaseClient, targets: Migration[]): Promise<void> {
  const gated = targets.filter((m) => m.meta && (featuresBeyondServer(m.meta.snapshot, 0).length > 0 || (m.meta.serverFeatures?.length ?? 0) > 0));
  if (gated.length === 0) return;
  const server = await client.serverInfo();
  for (const m of gated) assertServerCanExpress(m.meta!.snapshot, server, `migrate: migration ${m.name}`, m.meta!.serverFeatures ?? []);
}

function plan(m: Migration, state: MigrationState): PlannedMigration {
  const fromPart = firstPartToRun(m, state);
  const parts = m.up.parts.filter((p) => p.index >= fromPart).map((p) => ({
    index: p.index, noTransaction: p.noTransaction, statements: p.statements.map((s) => ({ index: s.index, line: s.line, sql: s.sql })),
  }));
  return {
    name: m.name,
    file: m.up.file,
    noTransaction: parts.length > 0 && parts.every((p) => p.noTransaction),
    outOfOrder: state.outOfOrder.includes(m),
    statements: parts.flatMap((p) => p.statements),
    parts,
    partsTotal: m.up.parts.length,
    fromPart,
  };
}

/** The migration named `name`, or a NOT_FOUND error listing the newest names. */
export function findMigration(folder: MigrationFolder, name: string): Migration {
  const m = folder.migrations.find((x) => x.name === name || x.up.file === name);
  if (m) return m;
  const newest = folder.migrations.slice(-5).map((x) => x.name);
  throw new StrataError('USAGE', `no migration named "${name}" in ${folder.dir}`, {
    hint: newest.length ? `The newest are: ${newest.join(', ')}.` : 'The folder has no migrations.',
  });
}

const contractsOf = (ms: Migration[]) => ms.filter((m) => m.meta?.multiStep?.phase === 'contract').map((m) => m.name);

/**
 * A held contract is a barrier: the run stops at the first contract migration not asked for
 * (`options.contract`), and nothing after it runs.
 */
function holdContracts(folder: MigrationFolder, targets: Migration[], options: MigrateOptions): { targets: Migration[]; held: HeldContract | null } {
  let upTo = -1;
  if (options.contract === true) upTo = Infinity;
  else if (typeof options.contract === 'string') {
    const named = findMigration(folder, options.contract);
    if (named.meta?.multiStep?.phase !== 'contract') {
      throw new StrataError('USAGE', `${named.name} is not the contract migration of a multi-step change; nothing was run`, {
        hint: `Contract migrations in the folder: ${contractsOf(folder.migrations).join(', ') || 'none'}. Run \`strata migrate --contract\` to apply every pending one.`,
      });
    }
    upTo = folder.migrations.indexOf(named);
  }
  const stop = targets.findIndex((m) => m.meta?.multiStep?.phase === 'contract' && folder.migrations.indexOf(m) > upTo);
  if (stop < 0) return { targets, held: null };
  const m = targets[stop]!;
  const ms = m.meta!.multiStep as { phase: 'contract'; expand: string };
  return { targets: targets.slice(0, stop), held: { name: m.name, expand: ms.expand, waiting: targets.slice(stop + 1).map((x) => x.name) } };
}

function checkAndSelect(folder: MigrationFolder, state: MigrationState, options: MigrateOptions, opts: ResolvedRunnerOptions): { targets: Migration[]; held: HeldContract | null } {
  assertHistoryMatches(state, folder, opts);
  if (state.reverting.length > 0) {
    const r = state.reverting[0]!;
    throw new StrataError('REFUSED', `${r.name} is partly rolled back (down parts 1–${r.partsDone} of ${r.partsTotal} done); nothing was run`, {
      details: state.reverting.map((x) => `${x.name}: ${x.partsDone} of ${x.partsTotal} down parts done (${historyDisplayName(opts.history)})`),
      hint: 'Finish the rollback first (`strata rollback` resumes it at the next down part), then migrate.',
    });
  }
  const run = new Set([...state.partial.map((p) => p.migration), ...state.pending]);
  let targets = folder.migrations.filter((m) => run.has(m));
  if (options.to !== undefined) {
    const stop = folder.migrations.indexOf(findMigration(folder, options.to));
    targets = targets.filter((m) => folder.migrations.indexOf(m) <= stop);
  }
  const late = targets.filter((m) => state.outOfOrder.includes(m));
  if (late.length > 0 && !options.allowOutOfOrder) {
    const lastApplied = [...folder.migrations].reverse().find((m) => state.applied.some((r) => r.name === m.name));
    throw new StrataError('OUT_OF_ORDER', `${late.map((m) => m.name).join(', ')} ${late.length === 1 ? 'is' : 'are'} older than ${lastApplied?.name ?? 'a migration'}, which is already applied; nothing was run`, {
      details: late.map((m) => `${m.up.file}: pending, sorts before applied migrations`),
      hint: 'If it does not depend on the migrations applied after it, run `strata migrate --allow-out-of-order` (or set outOfOrder: "allow" in the config); otherwise delete it and generate it again on top of the newest migration.',
    });
  }
  for (const m of targets) assertRunnable(m.up, m.name);
  return holdContracts(folder, targets, options);
}
