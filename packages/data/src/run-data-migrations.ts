import { StrataError, isStrataError, quoteIdent } from '@strata/core';
import { QueryError, type DatabaseClient, type Session } from '@strata/db';
import type { RunState } from './batch-walk.js';
import { emptyCheckpoint } from './checkpoint.js';
import { createDataContext } from './data-context.js';
import { acquireDataLock } from './data-lock.js';
import { DEFAULT_HISTORY, DataHistory, type HistoryRow } from './history-table.js';
import { loadDataMigration, locateInFile } from './load-data-migration.js';
import { projectDrizzle } from './project-drizzle.js';
import { listDataMigrationFiles, type DataMigrationFile } from './migration-files.js';
import type { BatchProgress, BatchSummary, DataTenant, DryRunBatch } from './types.js';

export type DataLogLevel = 'info' | 'warn' | 'debug';

/** What a caller (the CLI) hears while migrations run. */
export interface DataRunHooks {
  /** Another data run holds the lock; we wait. */
  onLockWait?(info: { holderPid: number | null }): void;
  onStart?(m: { name: string; description: string | null; resumed: boolean }): void;
  onFinish?(m: DataMigrationOutcome): void;
  onProgress?(p: BatchProgress): void;
  /** `ctx.log` of a migration, and Strata's own notices about it. */
  onLog?(level: DataLogLevel, migration: string, message: string): void;
}

export interface RunDataMigrationsOptions extends DataRunHooks {
  db: DatabaseClient;
  /** The data-migration directory. */
  dir: string;
  /** Run only this one: its full name, its name without the timestamp, or its file name. */
  only?: string;
  /** Run inside one transaction that is rolled back; report what would change. */
  dryRun?: boolean;
  /** Schema of the history table (`<schema>.data_migrations`); default `strata`. */
  historySchema?: string;
  /** Name of the history table; default `data_migrations` (a tenant schema's run has its own). */
  historyTable?: string;
  /** The advisory lock key of the run; default `DATA_LOCK_KEY` (a tenant schema's run has its own, so tenants of one database run side by side). */
  lockKey?: bigint;
  /**
   * A run on one tenant schema: the session's search_path is the tenant's schema, then `public`
   * (unqualified names and drizzle `pgTable`s land in the tenant's schema), and statements naming
   * the managed schema (drizzle `pgSchema` tables, `'tenant.users'`) are moved to the tenant's.
   */
  tenant?: DataTenant;
  /** How long to wait for another data run; default 60 000. */
  lockWaitMs?: number;
  /** `lock_timeout` for the run's statements (a batch that hits it is retried); default none. */
  lockTimeoutMs?: number;
  /** `statement_timeout` for the run's statements; default none. */
  statementTimeoutMs?: number;
}

/** One migration this run executed to its end. */
export interface DataMigrationOutcome {
  name: string;
  description: string | null;
  /** True when it continued from a checkpoint of an earlier run. */
  resumed: boolean;
  walks: BatchSummary[];
  /** Rows walked by its batches, earlier runs included. */
  rows: number;
  ms: number;
  /** Dry run only: every batch with the rows it would have changed. */
  batches?: DryRunBatch[];
}

export interface DataRunReport {
  dryRun: boolean;
  /** Migrations run to the end now (in a dry run: that would have been). */
  ran: DataMigrationOutcome[];
  /** Finished earlier; not run again. */
  done: string[];
  /** Finished earlier, but the file changed since: reported, never rerun. */
  changed: { name: string; file: string }[];
  /** In the history but their file is gone. */
  missing: string[];
}

/** Picks the file `only` names: the full name, the file name, or the part after the timestamp. */
export function findDataMigration(files: DataMigrationFile[], only: string): DataMigrationFile {
  const exact = files.find((f) => f.name === only || f.file.endsWith(`/${only}`));
  if (exact) return exact;
  const bySuffix = files.filter((f) => f.name.slice(15) === only);
  if (bySuffix.length === 1) return bySuffix[0]!;
  if (bySuffix.length > 1) {
    throw new StrataError('USAGE', `"${only}" names ${bySuffix.length} data migrations: ${bySuffix.map((f) => f.name).join(', ')}`, {
      hint: 'Give the full name, with its timestamp.',
    });
  }
  throw new StrataError('NOT_FOUND', `no data migration "${only}"`, {
    hint: files.length ? `Known: ${files.map((f) => f.name).join(', ')}.` : 'The data-migration directory is empty; create one with `strata data new <name>`.',
  });
}

class DryRunRollback extends Error {}

/**
 * Runs the pending data migrations in order, one data run at a time (advisory lock), each tracked
 * in the history table. A migration stopped by an error or a kill resumes from its checkpoint;
 * a finished one never runs again.
 *
 * @example
 * const report = await runDataMigrations({ db, dir: './scripts/data', onProgress: (p) => … });
 */
export async function runDataMigrations(options: RunDataMigrationsOptions): Promise<DataRunReport> {
  const files = listDataMigrationFiles(options.dir);
  const selected = options.only === undefined ? files : [findDataMigration(files, options.only)];
  const dryRun = options.dryRun ?? false;
  const lock = await acquireDataLock(options.db, options.lockWaitMs ?? 60_000, options.onLockWait, options.lockKey);
  const session = lock.session;
  const settings: string[] = [];
  if (options.tenant) settings.push(`set search_path to ${[...new Set([options.tenant.schema, 'public'])].map(quoteIdent).join(', ')}`);
  if (options.lockTimeoutMs) settings.push(`set lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
  if (options.statementTimeoutMs) settings.push(`set statement_timeout = ${Math.round(options.statementTimeoutMs)}`);
  try {
    for (const s of settings) await session.exec(s);
    if (!dryRun) return await runSelected(session, options, files, selected, false);
    let report: DataRunReport | undefined;
    try {
      await session.transaction(async (tx) => {
        report = await runSelected(tx, options, files, selected, true);
        throw new DryRunRollback();
      });
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
    return report!;
  } finally {
    // The session may be shared (a PGlite directory's tenants take turns on it): leave it as found.
    if (settings.length) await session.exec('reset search_path; reset lock_timeout; reset statement_timeout').catch(() => {});
    await lock.release();
  }
}

async function runSelected(
  session: Session, options: RunDataMigrationsOptions, files: DataMigrationFile[], selected: DataMigrationFile[], dryRun: boolean,
): Promise<DataRunReport> {
  const history = new DataHistory(session, { schema: options.historySchema ?? DEFAULT_HISTORY.schema, table: options.historyTable ?? DEFAULT_HISTORY.table });
  await history.ensure();
  const rows = new Map<string, HistoryRow>((await history.list()).map((r) => [r.name, r]));
  const known = new Set(files.map((f) => f.name));
  const report: DataRunReport = { dryRun, ran: [], done: [], changed: [], missing: [...rows.keys()].filter((n) => !known.has(n)) };
  for (const file of selected) {
    const row = rows.get(file.name);
    if (row?.status === 'done') {
      if (row.checksum === file.checksum) report.done.push(file.name);
      else {
        report.changed.push({ name: file.name, file: file.file });
        options.onLog?.('warn', file.name, `${file.file} changed after it finished; it is not run again (write a new data migration for new work)`);
      }
      continue;
    }
    if (row && row.checksum !== file.checksum) options.onLog?.('info', file.name, 'the file changed since the interrupted run; resuming from its checkpoint with the new code');
    report.ran.push(await runOne(session, history, options, file, row ?? null, dryRun));
  }
  return report;
}

async function runOne(
  session: Session, history: DataHistory, options: RunDataMigrationsOptions, file: DataMigrationFile, row: HistoryRow | null, dryRun: boolean,
): Promise<DataMigrationOutcome> {
  const migration = await loadDataMigration(file.file);
  const drizzle = projectDrizzle(file.file);
  const description = migration.description ?? null;
  const resumed = row !== null && (Object.keys(row.checkpoint.walks).length > 0 || Object.keys(row.checkpoint.steps).length > 0);
  const log = (level: DataLogLevel) => (message: string) => options.onLog?.(level, file.name, message);
  const batches: DryRunBatch[] = [];
  const state: RunState = {
    migration: file.name,
    session,
    history,
    checkpoint: row?.checkpoint ?? emptyCheckpoint(),
    walksSeen: new Set(),
    walks: [],
    activeWalk: null,
    dryRun,
    log: { info: log('info'), warn: log('warn'), debug: log('debug') },
    onProgress: options.onProgress,
    onDryRunBatch: (b) => batches.push(b),
    ...(options.tenant ? { tenant: options.tenant } : {}),
    ...(drizzle ? { drizzle } : {}),
  };
  options.onStart?.({ name: file.name, description, resumed });
  const started = Date.now();
  await history.start(file.name, file.checksum);
  try {
    await migration.up(createDataContext(state));
  } catch (e) {
    const failure = asFailure(e, file);
    if (!dryRun) await history.fail(file.name, failure.message).catch(() => {});
    if (dryRun) failure.details.push('dry run: everything was rolled back');
    throw failure;
  }
  await history.finish(file.name);
  const outcome: DataMigrationOutcome = {
    name: file.name, description, resumed, walks: state.walks, rows: state.walks.reduce((n, w) => n + w.rows, 0), ms: Date.now() - started,
    ...(dryRun ? { batches } : {}),
  };
  options.onFinish?.(outcome);
  return outcome;
}

/** Names the migration (and the line in its file) in every error that leaves `up`. */
function asFailure(e: unknown, file: DataMigrationFile): StrataError {
  if (isStrataError(e) && e.code === 'DATA_MIGRATION_FAILED') return e;
  const message = e instanceof Error ? e.message : String(e);
  const where = locateInFile(e, file.file);
  const details = [...(where !== file.file ? [`at ${where}`] : []), ...(isStrataError(e) ? e.details : [])];
  if (e instanceof QueryError) details.push(`statement: ${e.sql.trim().split('\n')[0]!.slice(0, 200)}`);
  return new StrataError('DATA_MIGRATION_FAILED', `${file.name} failed: ${message}`, {
    details,
    hint: (isStrataError(e) && e.hint) || 'Fix it and run `strata data run` again: committed batches and steps are not repeated.',
    cause: e,
  });
}
