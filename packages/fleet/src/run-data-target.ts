import { dataMigrationStatus, DEFAULT_HISTORY, runDataMigrations, type DataTenant, type HistoryLocation } from '@strata/data';
import type { DatabaseClient } from '@strata/db';
import { migrationLockKey } from '@strata/runner';
import type { ResolvedConfig } from '@strata/workflow';
import type { TargetResult } from './report.js';
import { substituteSchema } from './substitute-schema.js';
import { tenantHistory } from './tenant-history.js';

/** What one target's data run needs, prepared by `runFleet`. */
export interface DataTargetRun {
  db: DatabaseClient;
  config: ResolvedConfig;
  /** The data-migration directory (the config's `dataDir`). */
  dir: string;
  /** The tenant schema, or null for a database per target. */
  schema: string | null;
  /** The schema the code is written for (moved to the tenant's). */
  managed: string;
  lockWaitMs: number;
  onProgress: (phase: string, migration: string | null) => void;
}

/**
 * Where one target keeps its data-migration history and which lock it takes. A database per
 * target: `<history schema>.data_migrations` and the data lock, as `strata data run` on that
 * database. A tenant schema: its own table (`data_migrations__<tenant>`, as `tenantHistory` names
 * it) and a lock keyed on that table, so the tenants of one database run side by side.
 *
 * @example
 * dataHistoryOf({ schema: 'strata', table: 'migrations' }, 'acme') // => { location: { schema: 'strata', table: 'data_migrations__acme' }, lockKey: 123…n }
 */
export function dataHistoryOf(history: { schema: string }, tenant: string | null): { location: HistoryLocation; lockKey: bigint | undefined } {
  const base = { schema: history.schema, table: DEFAULT_HISTORY.table };
  if (tenant === null) return { location: base, lockKey: undefined };
  const location = tenantHistory(base, tenant);
  return { location, lockKey: migrationLockKey(location) };
}

/**
 * The session setting and substitution of a tenant's data run: its search_path is the tenant's
 * schema then `public`, and a statement naming the managed schema is moved to the tenant's the way
 * migrations are (`substituteSchema`).
 *
 * @example
 * dataTenant('acme', 'public').substitute('update "public"."users" set …') // => 'update "acme"."users" set …'
 */
export function dataTenant(schema: string, managed: string): DataTenant {
  return { schema, managed, substitute: (sql) => (schema === managed ? sql : substituteSchema(sql, managed, schema)) };
}

/**
 * Runs the pending data migrations on one target (`runDataMigrations`), with its own history and
 * lock (`dataHistoryOf`); errors are not caught here: `runFleet` reports them.
 *
 * @example
 * const r = await runDataTarget({ db, config, dir: config.dataDir, schema: 'acme', managed: 'public', lockWaitMs: 5000, onProgress: () => {} });
 */
export async function runDataTarget(t: DataTargetRun): Promise<Pick<TargetResult, 'outcome' | 'applied' | 'pending' | 'problems'>> {
  const { location, lockKey } = dataHistoryOf(t.config.history, t.schema);
  t.onProgress('waiting for lock', null);
  const report = await runDataMigrations({
    db: t.db,
    dir: t.dir,
    historySchema: location.schema,
    historyTable: location.table,
    ...(lockKey === undefined ? {} : { lockKey }),
    ...(t.schema === null ? {} : { tenant: dataTenant(t.schema, t.managed) }),
    lockWaitMs: t.lockWaitMs,
    lockTimeoutMs: t.config.lockTimeoutMs,
    statementTimeoutMs: t.config.statementTimeoutMs,
    onStart: (m) => t.onProgress('running', m.name),
  });
  // A changed file is never rerun: said the same way on every target, so they group.
  const problems = report.changed.map((c) => `data migration ${c.name}: changed after it finished (not run again)`);
  return { outcome: report.ran.length > 0 ? 'done' : 'up-to-date', applied: report.ran.map((m) => m.name), pending: [], problems };
}

/**
 * Where one target's data migrations stand (`strata data status` on it), reading only: `pending`
 * lists what waits to run or to resume (pending, running, interrupted); a failed migration, or a
 * finished one whose file changed since, is a problem (`drift`), worded the same on every target
 * so that targets group.
 *
 * @example
 * const r = await dataStatusTarget({ db, config, dir: config.dataDir, schema: null, managed: 'public', lockWaitMs: 0, onProgress: () => {} });
 * r.outcome // => 'pending'
 */
export async function dataStatusTarget(t: DataTargetRun): Promise<Pick<TargetResult, 'outcome' | 'applied' | 'pending' | 'problems'>> {
  t.onProgress('reading history', null);
  const list = await targetDataStatus(t.db, t.config, t.dir, t.schema);
  const problems: string[] = [];
  for (const m of list) {
    if (m.state === 'failed') problems.push(`data migration ${m.name}: failed${m.error ? `: ${m.error}` : ''}`);
    else if (m.state === 'done' && m.checksumChanged) problems.push(`data migration ${m.name}: changed after it finished (not run again)`);
  }
  const pending = list.filter((m) => m.file && (m.state === 'pending' || m.state === 'running' || m.state === 'interrupted')).map((m) => m.name);
  return { outcome: problems.length > 0 ? 'drift' : pending.length > 0 ? 'pending' : 'up-to-date', applied: [], pending, problems };
}

/** What a target still has to run (after a failure), or nothing when its history cannot be read. */
export async function dataPending(db: DatabaseClient, config: ResolvedConfig, dir: string, schema: string | null): Promise<string[]> {
  try {
    const list = await targetDataStatus(db, config, dir, schema);
    return list.filter((m) => m.file && m.state !== 'done').map((m) => m.name);
  } catch {
    return [];
  }
}

/** `dataMigrationStatus` on one target's own history and lock (`dataHistoryOf`). */
function targetDataStatus(db: DatabaseClient, config: ResolvedConfig, dir: string, schema: string | null) {
  const { location, lockKey } = dataHistoryOf(config.history, schema);
  return dataMigrationStatus({ db, dir, historySchema: location.schema, historyTable: location.table, ...(lockKey === undefined ? {} : { lockKey }) });
}
