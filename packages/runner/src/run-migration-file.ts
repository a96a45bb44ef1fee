import { batchText, tryBatch, type Queryable, type Session } from '@strata/db';
import { concurrentIndexTarget, invalidIndexes, type InvalidIndex } from './concurrent-index.js';
import { LockRetryPolicy } from './lock-retry-policy.js';
import { LockWatcher, type LockWait } from './lock-watcher.js';
import { MigrationFailedError } from './migration-failed-error.js';
import type { MigrationFile, MigrationPart } from './migration.js';
import type { ResolvedRunnerOptions } from './runner-options.js';
import type { SqlStatement } from './sql-splitter.js';
import { runsWithoutLockTimeout } from './statement-rules.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isLockTimeout = (e: unknown) => (e as { pg?: { code?: string } } | null)?.pg?.code === '55P03';

/** Another connection that can look at the migration session while it waits (a server, not PGlite). */
export interface LockWatch {
  monitor: Queryable;
  pid: number;
}

const opened = new WeakSet<LockWatch>();

/**
 * Opens the watcher's connection, once per watch, before the first migration file of a run:
 * connecting takes longer than a 100 ms lock wait lasts. Not earlier: a run with nothing to
 * apply never needs it.
 */
async function openWatch(watch: LockWatch | null): Promise<void> {
  if (!watch || opened.has(watch)) return;
  opened.add(watch);
  await watch.monitor.query('select 1').catch(() => {});
}

/** A lock timeout inside a part's transaction: roll the whole transaction back and run it again. */
class RetryPart extends Error {
  constructor(readonly error: unknown) {
    super('lock timeout');
  }
}

/** A statement of a part's transaction failed for good. */
class StatementFailed extends Error {
  constructor(readonly error: unknown, readonly statement: SqlStatement, readonly lock?: LockRetryPolicy) {
    super('statement failed');
  }
}

/**
 * Runs one migration file (up or down) on the lock's session from part `fromPart` on, each
 * part in its own transaction with its record (`record`), or — for a no-transaction part —
 * statement by statement in autocommit, recorded after its last statement. Returns the time
 * taken, ms.
 *
 * Lock timeouts (`lock_timeout`, short on purpose) are retried within `lockBudgetMs` with
 * capped exponential backoff and jitter: a part in a transaction is rolled back and run again
 * as a whole (a savepoint retry would keep the locks its earlier statements took, and writers
 * queued behind them); outside a transaction, the statement alone. Statements whose locks do not
 * block writers (CONCURRENTLY, VALIDATE CONSTRAINT) run with `lock_timeout` 0. Before a
 * `CREATE INDEX CONCURRENTLY`, an INVALID index of the same name (an earlier failed build) is
 * dropped CONCURRENTLY. A failure throws a `MigrationFailedError` naming the part, statement and
 * line, what a no-transaction part committed, and any INVALID index left.
 */
export async function runMigrationFile(
  session: Session,
  args: {
    migration: string;
    file: MigrationFile;
    direction: 'up' | 'down';
    opts: ResolvedRunnerOptions;
    /** First part to run (1-based); the parts before it are done. Default 1. */
    fromPart?: number;
    /** Records that `part` is done: in its transaction, or after its last statement outside one. */
    record: (q: Queryable, part: MigrationPart, durationMs: number) => Promise<void>;
    /**
     * `record` as one SQL statement (its duration measured by the server), when the recording
     * can be: a transactional part is then sent as BEGIN, its statements, the record and COMMIT
     * in one round trip, so its locks are released the moment its work is done.
     */
    recordSql?: (part: MigrationPart) => string;
    /** SQL run on the session before each part (the pinned settings), in the same round trip when it can be. */
    settings?: string;
    /** Watches lock waits from another connection, to name who blocks; null on PGlite. */
    watch?: LockWatch | null;
  },
): Promise<number> {
  const { migration, file, direction, opts } = args;
  const fromPart = args.fromPart ?? 1;
  const parts = file.parts.filter((p) => p.index >= fromPart);
  const statements = parts.reduce((n, p) => n + p.statements.length, 0);
  await openWatch(args.watch ?? null);
  opts.emit({
    type: 'migration-started', name: migration, direction, statements, parts: file.parts.length, fromPart,
    noTransaction: parts.length > 0 && parts.every((p) => p.noTransaction),
  });
  const ctx = { ...args, settings: args.settings ?? '', watch: args.watch ?? null };
  let total = 0;
  for (const part of parts) {
    const ms = part.noTransaction ? await runOutside(session, part, ctx) : await runInTransaction(session, part, ctx);
    total += ms;
    if (file.parts.length > 1) opts.emit({ type: 'part-done', name: migration, direction, part: part.index, parts: file.parts.length, durationMs: ms });
  }
  return total;
}

type Ctx = Parameters<typeof runMigrationFile>[1] & { settings: string; watch: LockWatch | null };

const timeoutSql = (ms: number) => `SET lock_timeout TO '${Math.max(0, Math.floor(ms))}ms'`;

function watcher(ctx: Ctx, part: MigrationPart, statement: SqlStatement | null): LockWatcher | null {
  if (!ctx.watch) return null;
  const { lockTimeoutMs } = ctx.opts;
  const interval = lockTimeoutMs > 0 ? Math.min(1000, Math.max(10, Math.floor(lockTimeoutMs / 4))) : 1000;
  return new LockWatcher(ctx.watch.monitor, ctx.watch.pid, interval, {
    ms: lockTimeoutMs > 0 ? Math.max(2000, 2 * lockTimeoutMs) : 2000,
    onLongWait: (w, waitedMs) => ctx.opts.emit({ type: 'lock-waiting', ...at(ctx, part, statement), waitedMs, relation: w.relation, blockers: w.blockers }),
  });
}

function at(ctx: Ctx, part: MigrationPart, st: SqlStatement | null) {
  return { name: ctx.migration, file: ctx.file.file, part: part.index, parts: ctx.file.parts.length, statement: st?.index ?? null, line: st?.line ?? null };
}

function emitRetry(ctx: Ctx, part: MigrationPart, st: SqlStatement | null, policy: LockRetryPolicy, delayMs: number, seen: LockWait | null): void {
  ctx.opts.emit({
    type: 'lock-retry', ...at(ctx, part, st), attempt: policy.attempt, delayMs, elapsedMs: policy.elapsedMs(), budgetMs: policy.budgetMs,
    lockTimeoutMs: ctx.opts.lockTimeoutMs, relation: seen?.relation ?? null, blockers: seen?.blockers ?? [],
  });
}

function lockInfo(policy: LockRetryPolicy, seen: LockWait | null) {
  return { attempts: policy.attempt + 1, elapsedMs: policy.elapsedMs(), budgetMs: policy.budgetMs, relation: seen?.relation ?? null, blockers: seen?.blockers ?? [] };
}

/** A statement as sent inside a transaction: wrapped in `lock_timeout` 0 when its locks never block writers. */
function inTransactionSql(st: SqlStatement, lockTimeoutMs: number): string {
  if (!runsWithoutLockTimeout(st.sql) || lockTimeoutMs === 0) return st.sql;
  return `SET LOCAL lock_timeout TO 0;\n${st.sql}\n;\nSET LOCAL lock_timeout TO '${Math.floor(lockTimeoutMs)}ms'`;
}

async function runInTransaction(session: Session, part: MigrationPart, ctx: Ctx): Promise<number> {
  const { opts } = ctx;
  const started = performance.now();
  const policy = new LockRetryPolicy(opts.lockBudgetMs);
  for (;;) {
    const w = watcher(ctx, part, null);
    w?.start();
    try {
      if (ctx.recordSql) {
        const sent = await inOneRoundTrip(session, part, ctx, ctx.recordSql(part));
        if (sent.ok) {
          w?.stop();
          return Math.round(performance.now() - started);
        }
        if (isLockTimeout(sent.error) && policy.canRetry()) throw new RetryPart(sent.error);
        // Any other failure: run the part again below, statement by statement, to name the one
        // that fails (the round trip was rolled back as a whole).
      }
      let ms = 0;
      await session.transaction(async (tx) => {
        // All statements in one round trip; only when that fails for another reason than a lock
        // timeout with budget left are they run again one at a time (the batch was undone), to
        // name the failing statement.
        const batch = await tryBatch(tx, part.statements.map((st) => inTransactionSql(st, opts.lockTimeoutMs)), ctx.settings);
        if (!batch.ok) {
          if (isLockTimeout(batch.error) && policy.canRetry()) throw new RetryPart(batch.error);
          for (const st of part.statements) {
            const noTimeout = runsWithoutLockTimeout(st.sql) && opts.lockTimeoutMs > 0;
            try {
              if (noTimeout) await tx.exec('SET LOCAL lock_timeout TO 0');
              await tx.exec(st.sql);
              if (noTimeout) await tx.exec(`SET LOCAL lock_timeout TO '${Math.floor(opts.lockTimeoutMs)}ms'`);
            } catch (e) {
              if (isLockTimeout(e) && policy.canRetry()) throw new RetryPart(e);
              throw new StatementFailed(e, st, isLockTimeout(e) ? policy : undefined);
            }
          }
        }
        ms = Math.round(performance.now() - started);
        await ctx.record(tx, part, ms);
      });
      w?.stop();
      return ms;
    } catch (e) {
      const seen = w?.stop() ?? null;
      if (e instanceof RetryPart) {
        const delayMs = policy.next();
        emitRetry(ctx, part, null, policy, delayMs, seen);
        await sleep(delayMs);
        continue;
      }
      if (e instanceof StatementFailed) {
        throw new MigrationFailedError({
          migration: ctx.migration, file: ctx.file, part, statement: e.statement, error: e.error, direction: ctx.direction, committed: [],
          ...(e.lock ? { lock: lockInfo(e.lock, seen) } : {}),
        });
      }
      throw e;
    }
  }
}

/**
 * BEGIN, the pinned settings, the part's statements, its record and COMMIT as one query. On a
 * failure the server skips the rest and the transaction is rolled back here.
 */
async function inOneRoundTrip(session: Session, part: MigrationPart, ctx: Ctx, record: string): Promise<{ ok: true } | { ok: false; error: unknown }> {
  const body = batchText([...part.statements.map((st) => inTransactionSql(st, ctx.opts.lockTimeoutMs)), record]);
  try {
    await session.exec(`BEGIN;\n${ctx.settings ? `${ctx.settings};\n` : ''}${body}COMMIT`);
    return { ok: true };
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {});
    return { ok: false, error };
  }
}

async function runOutside(session: Session, part: MigrationPart, ctx: Ctx): Promise<number> {
  const { opts } = ctx;
  const started = performance.now();
  if (ctx.settings) await session.exec(ctx.settings);
  const committed: SqlStatement[] = [];
  for (const st of part.statements) {
    const noTimeout = runsWithoutLockTimeout(st.sql) && opts.lockTimeoutMs > 0;
    const cic = concurrentIndexTarget(st.sql);
    // An earlier build of this index that failed or was interrupted left it INVALID: `IF NOT
    // EXISTS` would skip it and a plain CREATE would fail, so drop it first (without blocking writers).
    if (cic?.name) {
      for (const ix of await invalidIndexes(session, cic).catch(() => [] as InvalidIndex[])) {
        await session.exec('SET lock_timeout TO 0');
        try {
          await session.exec(ix.dropSql);
        } finally {
          await session.exec(timeoutSql(opts.lockTimeoutMs));
        }
        opts.emit({ type: 'invalid-index-dropped', ...at(ctx, part, st), index: ix.index });
      }
    }
    const policy = new LockRetryPolicy(opts.lockBudgetMs);
    for (;;) {
      const w = watcher(ctx, part, st);
      w?.start();
      try {
        if (noTimeout) await session.exec('SET lock_timeout TO 0');
        await session.exec(st.sql);
        w?.stop();
        break;
      } catch (e) {
        const seen = w?.stop() ?? null;
        if (isLockTimeout(e) && policy.canRetry()) {
          const delayMs = policy.next();
          emitRetry(ctx, part, st, policy, delayMs, seen);
          await sleep(delayMs);
          continue;
        }
        const left = cic ? await invalidIndexes(session, cic).catch(() => [] as InvalidIndex[]) : [];
        throw new MigrationFailedError({
          migration: ctx.migration, file: ctx.file, part, statement: st, error: e, direction: ctx.direction, committed, invalidIndexes: left,
          ...(isLockTimeout(e) ? { lock: lockInfo(policy, seen) } : {}),
        });
      } finally {
        if (noTimeout) await session.exec(timeoutSql(opts.lockTimeoutMs)).catch(() => {});
      }
    }
    committed.push(st);
  }
  const ms = Math.round(performance.now() - started);
  await ctx.record(session, part, ms);
  return ms;
}
