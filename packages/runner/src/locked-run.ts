import type { DatabaseClient, Session } from '@strata/db';
import type { ResolvedRunnerOptions } from './runner-options.js';

/** The settings every applying session runs with (TRAPS.md: unqualified SQL and timestamp casts depend on them). */
export function sessionSettingsSql(opts: Pick<ResolvedRunnerOptions, 'lockTimeoutMs' | 'statementTimeoutMs'>): string {
  return [
    'SET search_path TO public',
    "SET TimeZone TO 'UTC'",
    `SET lock_timeout TO '${Math.max(0, Math.floor(opts.lockTimeoutMs))}ms'`,
    `SET statement_timeout TO '${Math.max(0, Math.floor(opts.statementTimeoutMs))}ms'`,
  ].join(';\n');
}

/**
 * Runs `fn` holding the migration lock for its whole duration, on the lock's dedicated session
 * (never on pooled connections: TRAPS.md), with the session settings pinned. The lock is polled
 * for (`waiting-for-lock` is reported once) up to `lockWaitMs`.
 */
export async function withMigrationLock<T>(client: DatabaseClient, opts: ResolvedRunnerOptions, fn: (session: Session) => Promise<T>): Promise<T> {
  const started = Date.now();
  const lock = await client.acquireMigrationLock({
    waitMs: opts.lockWaitMs,
    onWait: ({ holderPid }) => opts.emit({ type: 'waiting-for-lock', holderPid }),
  });
  try {
    opts.emit({ type: 'lock-acquired', waitedMs: Date.now() - started });
    await lock.session.exec(sessionSettingsSql(opts));
    const result = await fn(lock.session);
    return result;
  } finally {
    // The session goes back to a pool the caller may keep using: leave it as we found it.
    await lock.session.exec('RESET search_path; RESET TimeZone; RESET lock_timeout; RESET statement_timeout').catch(() => {});
    await lock.release();
  }
}
