import { StrataError, isStrataError, maskSecrets, quoteIdent } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { migrate, rollback, status, type HistoryOptions, type MigrationFolder, type RunnerEvent } from '@strata/runner';
import type { ResolvedConfig } from '@strata/workflow';
import { checkTarget, historyProblems } from './check-target.js';
import type { FleetAction, TargetResult } from './report.js';

/** What one target's run needs, prepared by `runFleet`. */
export interface TargetRun {
  action: FleetAction;
  db: DatabaseClient;
  config: ResolvedConfig;
  /** The target's folder (the managed schema substituted for a tenant). */
  folder: MigrationFolder;
  /** The folder as written. */
  original: MigrationFolder;
  history: HistoryOptions;
  schema: string | null;
  managed: string;
  lockWaitMs: number;
  allowOutOfOrder: boolean;
  /** rollback: revert every migration applied after this one. */
  rollbackTo?: string;
  onProgress: (phase: string, migration: string | null) => void;
}

type Outcome = Pick<TargetResult, 'outcome' | 'applied' | 'pending' | 'problems'>;

/**
 * Runs the action on one target with the library functions a single database uses (`migrate`,
 * `status`, the drift comparison of `check`, `rollback --to`), each target with its own history table and lock.
 * Errors are not caught here: `runFleet` reports them.
 *
 * @example
 * const r = await runTarget({ action: 'migrate', db, config, folder, original: folder, history, schema: null, managed: 'public', lockWaitMs: 5000, allowOutOfOrder: false, onProgress: () => {} });
 */
export async function runTarget(t: TargetRun): Promise<Outcome> {
  if (t.action === 'data' || t.action === 'data-status') throw new StrataError('INTERNAL', `runTarget: ${t.action} goes through run-data-target.ts`);
  if (t.action === 'migrate') {
    if (t.schema !== null && t.managed === 'public') {
      // Migrations never create `public`: its tenant copy is created here.
      t.onProgress('creating schema', null);
      await ensureSchema(t.db, t.schema);
    }
    // Tenants of one database share the history schema: creating it side by side races.
    if (t.schema !== null) await ensureSchema(t.db, t.history.schema);
    t.onProgress('waiting for lock', null);
    const r = await migrate(t.db, t.folder, {
      ...runnerSettings(t),
      allowOutOfOrder: t.allowOutOfOrder,
      onEvent: (e: RunnerEvent) => {
        if (e.type === 'lock-acquired') t.onProgress('migrating', null);
        else if (e.type === 'migration-started') t.onProgress('migrating', e.name);
      },
    });
    return { outcome: r.applied.length > 0 ? 'applied' : 'up-to-date', applied: r.applied.map((m) => m.name), pending: [], problems: [] };
  }
  if (t.action === 'rollback') {
    t.onProgress('waiting for lock', null);
    const r = await rollback(t.db, t.folder, {
      ...runnerSettings(t),
      to: t.rollbackTo,
      onEvent: (e: RunnerEvent) => {
        if (e.type === 'migration-started') t.onProgress('reverting', e.name);
      },
    });
    return { outcome: r.reverted.length > 0 ? 'reverted' : 'up-to-date', applied: r.reverted.map((m) => m.name), pending: [], problems: [] };
  }
  if (t.action === 'status') {
    t.onProgress('reading history', null);
    const r = await status(t.db, t.folder, { history: t.history });
    const problems = historyProblems(r);
    return { outcome: problems.length > 0 ? 'drift' : r.pending.length > 0 ? 'pending' : 'up-to-date', applied: [], pending: r.pending, problems };
  }
  t.onProgress('checking', null);
  const r = await checkTarget(t.db, { config: t.config, folder: t.folder, original: t.original, history: t.history, schema: t.schema, managed: t.managed });
  return { outcome: r.problems.length > 0 ? 'drift' : r.pending.length > 0 ? 'pending' : 'up-to-date', applied: [], pending: r.pending, problems: r.problems };
}

/** The runner options every action passes: the target's history table, the config's timeouts, the fleet's lock wait, a tenant's search_path. */
function runnerSettings(t: TargetRun) {
  return {
    history: t.history,
    lockTimeoutMs: t.config.lockTimeoutMs,
    lockBudgetMs: t.config.lockBudgetMs,
    statementTimeoutMs: t.config.statementTimeoutMs,
    lockWaitMs: t.lockWaitMs,
    // A tenant's session resolves unqualified names (a hand-written `create table foo`) in its schema; `public` stays for extensions.
    ...(t.schema === null ? {} : { searchPath: [...new Set([t.schema, 'public'])] }),
  };
}

/**
 * `CREATE SCHEMA IF NOT EXISTS`, which two sessions running it at once can fail with a duplicate
 * (the catalog's unique index): the loser finds the schema there and carries on.
 */
async function ensureSchema(db: DatabaseClient, name: string): Promise<void> {
  try {
    await db.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}`);
  } catch (e) {
    const exists = await db.query<{ n: number }>('select count(*)::int as n from pg_namespace where nspname = $1', [name]).catch(() => null);
    if (!exists?.rows[0]?.n) throw e;
  }
}

/** An error as a report shows it: code, message, hint, details, with `secret` (a resolved URL) and every password hidden. */
export function reportedError(e: unknown, secret: string, display: string): NonNullable<TargetResult['error']> {
  const hide = (s: string) => maskSecrets(secret ? s.split(secret).join(display) : s);
  if (isStrataError(e)) return { code: e.code, message: hide(e.message), ...(e.hint ? { hint: hide(e.hint) } : {}), details: e.details.map(hide) };
  return { code: 'INTERNAL', message: hide((e as Error)?.message ?? String(e)), details: [] };
}
