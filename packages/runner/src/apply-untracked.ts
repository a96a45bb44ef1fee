import { StrataError } from '@strata/core';
import type { DatabaseClient, Session } from '@strata/db';
import { NO_TRANSACTION_DIRECTIVE, type MigrationFile } from './migration.js';
import { LOCK_BUDGET_HINT, MigrationFailedError } from './migration-failed-error.js';
import { h1 } from './checksum.js';
import { sessionSettingsSql } from './locked-run.js';
import { runMigrationFile } from './run-migration-file.js';
import { resolveRunnerOptions, type RunnerOptions } from './runner-options.js';
import { scanSql } from './sql-splitter.js';
import { splitParts } from './split-parts.js';

export interface ApplyUntrackedInput {
  /** The client the session comes from: on a server, a second connection names who blocks a lock. */
  client: DatabaseClient;
  /** The session to run on; the caller holds the migration lock on it (push does). */
  session: Session;
  /** The session's backend pid (from the lock), to watch its lock waits; null when unknown or on PGlite. */
  pid: number | null;
  /** A name for messages and events, e.g. `push`. */
  name: string;
  /** Migration text: statements split by `--> statement-breakpoint`, parts by `--> strata:part` lines. */
  sql: string;
  /** lockTimeoutMs, lockBudgetMs, statementTimeoutMs and onEvent, as for `migrate`. */
  options?: RunnerOptions;
}

/**
 * Runs migration text exactly as `migrate` runs a migration file — part by part, each
 * transactional part in one transaction retried as a whole after a lock timeout within
 * `lockBudgetMs`, `CONCURRENTLY` and `VALIDATE` without a lock timeout, the blocker named — but
 * records nothing in the history table. `push` applies its plan with it, so a development push
 * onto a busy database stalls writers no longer than a migration does.
 *
 * @example
 * await applyUntracked({ client, session: lock.session, pid: lock.pid, name: 'push', sql: renderMigration(diff.upParts) });
 */
export async function applyUntracked(input: ApplyUntrackedInput): Promise<number> {
  const opts = resolveRunnerOptions(input.options ?? {});
  const { statements, markers } = scanSql(input.sql);
  // The rendered plan says that its first part runs outside a transaction the way a file does, by
  // its first line (a lone DROP INDEX CONCURRENTLY, a first CREATE INDEX CONCURRENTLY): read it as
  // the migration folder reads it, or that part is sent inside BEGIN … COMMIT and refused.
  const noTransaction = input.sql.replace(/^\uFEFF/, '').split('\n', 1)[0]!.trim() === NO_TRANSACTION_DIRECTIVE;
  const file: MigrationFile = {
    file: input.name, path: input.name, sql: input.sql, noTransaction, checksum: h1(Buffer.from(input.sql)),
    statements, parts: splitParts(statements, markers, noTransaction),
  };
  // runMigrationFile opens the watcher's connection before the first part runs.
  const watch = input.pid !== null && input.client.capabilities.multipleConnections ? { monitor: input.client, pid: input.pid } : null;
  await input.session.exec(sessionSettingsSql(opts));
  try {
    return await runMigrationFile(input.session, {
      migration: input.name, file, direction: 'up', opts, settings: sessionSettingsSql(opts), watch,
      record: async () => {},
      // Nothing to record, but the part still goes as one round trip with its COMMIT.
      recordSql: () => 'SELECT 1',
    });
  } catch (e) {
    // The runner's error speaks of a migration file, `strata hash` and the history table; nothing
    // of that applies here. Keep its findings (statement, blocker, what stayed committed) and say
    // what the untracked run left behind.
    if (!(e instanceof MigrationFailedError)) throw e;
    const where = e.parts > 1 ? `part ${e.part} of ${e.parts}, ` : '';
    const before = e.part > 1 ? ` Parts 1–${e.part - 1} of the plan were applied and stay; run ${input.name} again to finish.` : '';
    const kept = e.committed.length > 0
      ? `Statements ${e.committed.join(', ')} of that part run outside a transaction and stay committed.`
      : `That part was rolled back.${e.part === 1 ? ' Nothing was changed.' : ''}`;
    const lock = e.lockBudgetUsed ? `${LOCK_BUDGET_HINT} ` : '';
    throw new StrataError(e.code, `${input.name} failed at ${where}statement ${e.statement}: ${e.pg?.message ?? e.message}`, {
      details: e.details.filter((d) => !d.startsWith(`at ${input.name}:`)),
      hint: `${lock}${kept}${before}`,
      cause: e,
    });
  } finally {
    // The session goes back to a pool the caller may keep using: leave it as we found it.
    await input.session.exec('RESET search_path; RESET TimeZone; RESET lock_timeout; RESET statement_timeout').catch(() => {});
  }
}
