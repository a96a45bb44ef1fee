import { StrataError } from '@strata/core';
import { NO_TRANSACTION_DIRECTIVE, type MigrationFile } from './migration.js';
import type { SqlStatement } from './sql-splitter.js';

/**
 * What a statement needs from the way it is run:
 * - `transaction-control`: BEGIN, COMMIT, ROLLBACK… — the runner owns transactions, so a file never has them;
 * - `no-transaction-block`: cannot run inside a transaction block (CREATE/DROP INDEX CONCURRENTLY,
 *   REINDEX CONCURRENTLY, VACUUM, CREATE DATABASE, ALTER SYSTEM…);
 * - `transaction-block`: only works inside one (LOCK, SET LOCAL, SET TRANSACTION, SAVEPOINT,
 *   RELEASE, ROLLBACK TO, DECLARE without HOLD): run on its own it fails or does nothing;
 * - `any`: everything else.
 */
export type StatementNeed = 'transaction-control' | 'no-transaction-block' | 'transaction-block' | 'any';

const RULES: [RegExp, StatementNeed][] = [
  [/^(rollback|abort)(\s+(work|transaction))?\s+to\b/, 'transaction-block'],
  [/^(commit|rollback)\s+prepared\b/, 'no-transaction-block'],
  [/^(begin|start\s+transaction|commit|end|rollback|abort|prepare\s+transaction)\b/, 'transaction-control'],
  [/^(savepoint|release)\b/, 'transaction-block'],
  [/^lock\b/, 'transaction-block'],
  [/^set\s+(local|transaction|constraints)\b/, 'transaction-block'],
  [/^declare\b(?![^;]*\bwith\s+hold\b)/, 'transaction-block'],
  [/^create\s+(unique\s+)?index\s+concurrently\b/, 'no-transaction-block'],
  [/^drop\s+index\s+concurrently\b/, 'no-transaction-block'],
  [/^reindex\b.*\bconcurrently\b/, 'no-transaction-block'],
  [/^alter\s+table\b.*\bdetach\s+partition\b.*\bconcurrently\b/, 'no-transaction-block'],
  [/^vacuum\b/, 'no-transaction-block'],
  [/^(create|drop)\s+(database|tablespace)\b/, 'no-transaction-block'],
  [/^alter\s+system\b/, 'no-transaction-block'],
];

/**
 * Classifies one statement by its leading keywords (comments are not part of a statement's text).
 *
 * @example
 * statementNeed('CREATE INDEX CONCURRENTLY i ON t (c)') // => 'no-transaction-block'
 */
export function statementNeed(sql: string): StatementNeed {
  const head = sql.slice(0, 400).replace(/\s+/g, ' ').toLowerCase();
  for (const [re, need] of RULES) if (re.test(head)) return need;
  return 'any';
}

/**
 * Refuses a file that cannot run the way the runner will run it, before anything is applied:
 * an ordinary file runs in one transaction, so transaction control and statements that cannot
 * run in a transaction block are refused (with the directive to add); a
 * `-- strata:no-transaction` file runs statement by statement in autocommit, so transaction
 * control and statements that only work inside a transaction block are refused.
 *
 * @example
 * assertRunnable(migration.up, migration.name);
 */
export function assertRunnable(file: MigrationFile, migration: string): void {
  const bad: { st: SqlStatement; need: StatementNeed }[] = [];
  for (const st of file.statements) {
    const need = statementNeed(st.sql);
    if (need === 'transaction-control' || (file.noTransaction ? need === 'transaction-block' : need === 'no-transaction-block')) bad.push({ st, need });
  }
  if (bad.length === 0) return;
  const first = bad[0]!;
  const where = (st: SqlStatement) => `${file.file}:${st.line}: statement ${st.index}: ${st.sql.split('\n')[0]!.slice(0, 100)}`;
  let reason: string;
  let hint: string;
  switch (first.need) {
    case 'transaction-control':
      reason = 'controls the transaction itself';
      hint = file.noTransaction
        ? 'A -- strata:no-transaction file runs each statement on its own; move statements that must commit together into an ordinary migration.'
        : 'Strata runs each migration in its own transaction: remove BEGIN/COMMIT/ROLLBACK from the file.';
      break;
    case 'no-transaction-block':
      reason = 'cannot run inside a transaction block';
      hint = `Put it in a migration of its own whose first line is "${NO_TRANSACTION_DIRECTIVE}" (then make it safe to run again, e.g. CREATE INDEX CONCURRENTLY IF NOT EXISTS).`;
      break;
    case 'transaction-block':
      reason = 'only works inside a transaction block, and this -- strata:no-transaction file runs each statement on its own';
      hint = 'Move it (with the statements it protects) into an ordinary migration, which runs in a transaction.';
      break;
    case 'any':
      throw new Error('unreachable');
    default: {
      const never: never = first.need;
      throw new Error(`unknown need ${String(never)}`);
    }
  }
  throw new StrataError('REFUSED', `${migration}: ${file.file} line ${first.st.line}, statement ${first.st.index} ${reason}; nothing was applied`, {
    details: bad.map((b) => where(b.st)),
    hint,
  });
}
