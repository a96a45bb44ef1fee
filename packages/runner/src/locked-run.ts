import { quoteLiteral } from '@strata/core';
import { extensionSchemasSql, type DatabaseClient, type Session } from '@strata/db';
import { ensureHistoryTable, historyDisplayName, HISTORY_FORMAT } from './history-table.js';
import { migrationLockKey } from './lock-key.js';
import type { LockWatch } from './run-migration-file.js';
import type { ResolvedRunnerOptions } from './runner-options.js';

/**
 * The settings every applying session runs with: the generated SQL leaves `public` unqualified
 * (the search_path, `public` unless a tenant run names its schema first), and a
 * `timestamp → timestamptz` cast depends on the time zone. Every schema that holds an extension
 * follows the pinned ones, read by the server each time the settings run (so before each part):
 * code writes an extension's types unqualified (`vector(3)`), and Supabase installs extensions in
 * `extensions`, which only its own search_path names.
 *
 * @example
 * await session.exec(sessionSettingsSql({ lockTimeoutMs: 100, statementTimeoutMs: 0 }));
 */
export function sessionSettingsSql(opts: Pick<ResolvedRunnerOptions, 'lockTimeoutMs' | 'statementTimeoutMs'> & { searchPath?: readonly string[] }): string {
  const path = opts.searchPath && opts.searchPath.length > 0 ? opts.searchPath : ['public'];
  const extensionSchemas = extensionSchemasSql(`ARRAY[${path.map(quoteLiteral).join(', ')}]`);
  return [
    // Each name quoted by the server, so the setting reads as SET would leave it (`public`, not `"public"`).
    `SELECT pg_catalog.set_config('search_path', concat_ws(', ', ${path.map((s) => `pg_catalog.quote_ident(${quoteLiteral(s)})`).join(', ')}, ${extensionSchemas}), false)`,
    "SET TimeZone TO 'UTC'",
    `SET lock_timeout TO '${Math.max(0, Math.floor(opts.lockTimeoutMs))}ms'`,
    `SET statement_timeout TO '${Math.max(0, Math.floor(opts.statementTimeoutMs))}ms'`,
  ].join(';\n');
}

/**
 * Runs `fn` holding the migration lock of the history table for its whole duration, on the
 * lock's dedicated session (never on pooled connections, whose clients come and go), with the
 * session settings pinned. The lock is keyed per history table (`migrationLockKey`) and polled
 * for (`waiting-for-lock` is reported once) up to `lockWaitMs`. `watch` lets another connection
 * see what the session waits for (null on PGlite).
 */
export async function withMigrationLock<T>(client: DatabaseClient, opts: ResolvedRunnerOptions, fn: (session: Session, watch: LockWatch | null) => Promise<T>): Promise<T> {
  const started = Date.now();
  const lock = await client.acquireMigrationLock({
    key: migrationLockKey(opts.history),
    waitMs: opts.lockWaitMs,
    onWait: ({ holderPid }) => opts.emit({ type: 'waiting-for-lock', holderPid }),
  });
  try {
    opts.emit({ type: 'lock-acquired', waitedMs: Date.now() - started });
    await lock.session.exec(sessionSettingsSql(opts));
    // Its connection is opened before the first migration file runs (runMigrationFile), not
    // here: a run with nothing to apply never opens it.
    const watch = lock.pid !== null && client.capabilities.multipleConnections ? { monitor: client, pid: lock.pid } : null;
    const result = await fn(lock.session, watch);
    return result;
  } finally {
    // The session goes back to a pool the caller may keep using: leave it as we found it.
    await lock.session.exec('RESET search_path; RESET TimeZone; RESET lock_timeout; RESET statement_timeout').catch(() => {});
    await lock.release();
  }
}

/** Creates or upgrades the history table (under the lock), reporting what was done. */
export async function prepareHistory(session: Session, opts: ResolvedRunnerOptions): Promise<void> {
  const r = await ensureHistoryTable(session, opts.history);
  const table = historyDisplayName(opts.history);
  if (r.change === 'created') opts.emit({ type: 'history-created', table });
  else if (r.change === 'upgraded') opts.emit({ type: 'history-upgraded', table, from: r.from ?? 1, to: HISTORY_FORMAT });
}
