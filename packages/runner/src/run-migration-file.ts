import { execBatch, type Queryable, type Session } from '@strata/db';
import { MigrationFailedError } from './migration-failed-error.js';
import type { MigrationFile } from './migration.js';
import type { ResolvedRunnerOptions } from './runner-options.js';
import type { SqlStatement } from './sql-splitter.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isLockTimeout = (e: unknown) => (e as { pg?: { code?: string } } | null)?.pg?.code === '55P03';

/** Backoff before attempt `attempt + 1`: 250 ms doubling, at most 8 s, with jitter so racing runners spread out. */
function backoffMs(attempt: number): number {
  return Math.min(8000, 250 * 2 ** (attempt - 1)) + Math.floor(Math.random() * 100);
}

/**
 * Runs one migration file (up or down) on the lock's session and records the outcome through
 * `record` — in the same transaction for an ordinary file, after the last statement for a
 * `-- strata:no-transaction` file. Returns the duration in ms. A failing statement throws a
 * `MigrationFailedError`; a statement that fails on `lock_timeout` is retried (from a savepoint
 * inside a transaction) with backoff, `lockRetries` attempts in all.
 */
export async function runMigrationFile(
  session: Session,
  args: {
    migration: string;
    file: MigrationFile;
    direction: 'up' | 'down';
    opts: ResolvedRunnerOptions;
    record: (q: Queryable, durationMs: number) => Promise<void>;
    /** SQL run on the session first (the pinned settings), in the same round trip when it can be. */
    settings?: string;
  },
): Promise<number> {
  const { migration, file, direction, opts } = args;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  opts.emit({ type: 'migration-started', name: migration, direction, statements: file.statements.length, noTransaction: file.noTransaction });

  const run = async (q: Session, st: SqlStatement, committed: number, savepoint: boolean) => {
    for (let attempt = 1; ; attempt++) {
      try {
        if (savepoint) await q.transaction((sp) => sp.exec(st.sql));
        else await q.exec(st.sql);
        return;
      } catch (e) {
        if (isLockTimeout(e) && attempt < opts.lockRetries) {
          const delayMs = backoffMs(attempt);
          opts.emit({ type: 'lock-retry', name: migration, file: file.file, statement: st.index, line: st.line, attempt, attempts: opts.lockRetries, delayMs });
          await sleep(delayMs);
          continue;
        }
        throw new MigrationFailedError({ migration, file, statement: st, error: e, direction, committed });
      }
    }
  };

  // The duration recorded is the one reported: the statements' time, up to the history row.
  let durationMs = 0;
  const settings = args.settings ?? '';
  if (file.noTransaction) {
    if (settings) await session.exec(settings);
    let committed = 0;
    for (const st of file.statements) {
      await run(session, st, committed, false);
      committed++;
    }
    durationMs = elapsed();
    await args.record(session, durationMs);
  } else {
    await session.transaction(async (tx) => {
      // All statements in one round trip; only when that fails are they run again one at a time
      // (the batch was undone), to name the failing statement and retry lock timeouts.
      if (!(await execBatch(tx, file.statements.map((st) => st.sql), settings))) {
        for (const st of file.statements) await run(tx, st, 0, opts.lockTimeoutMs > 0);
      }
      durationMs = elapsed();
      await args.record(tx, durationMs);
    });
  }
  return durationMs;
}
