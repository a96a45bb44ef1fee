import { StrataError } from '@strata/core';
import type { MigrationFile, MigrationPart } from './migration.js';
import { PART_MARKER, PART_MARKER_NO_TRANSACTION, type SqlStatement } from './sql-splitter.js';

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
 * True for the statements that run with `lock_timeout` 0: their locks never block writers, and a
 * timeout halfway would leave an INVALID index (`CREATE`/`DROP INDEX CONCURRENTLY`,
 * `REINDEX … CONCURRENTLY`) or waste a validation scan (`ALTER TABLE … VALIDATE CONSTRAINT`).
 *
 * @example
 * runsWithoutLockTimeout('ALTER TABLE t VALIDATE CONSTRAINT c') // => true
 */
export function runsWithoutLockTimeout(sql: string): boolean {
  const head = sql.slice(0, 400).replace(/\s+/g, ' ').toLowerCase();
  return /^(create\s+(unique\s+)?index\s+concurrently|drop\s+index\s+concurrently|reindex\b.*\bconcurrently)\b/.test(head) ||
    /^alter\s+table\b.*\bvalidate\s+constraint\b/.test(head);
}

/**
 * Refuses a file that cannot run the way the runner will run it, before anything is applied:
 * a part in a transaction refuses transaction control and statements that cannot run in a
 * transaction block (with the marker to add); a no-transaction part (`--> strata:part
 * no-transaction`, or a file starting with `-- strata:no-transaction`) runs statement by
 * statement in autocommit, so it refuses transaction control and statements that only work
 * inside a transaction block.
 *
 * @example
 * assertRunnable(migration.up, migration.name);
 */
export function assertRunnable(file: MigrationFile, migration: string): void {
  const bad: { st: SqlStatement; part: MigrationPart; need: StatementNeed }[] = [];
  for (const part of file.parts) {
    for (const st of part.statements) {
      const need = statementNeed(st.sql);
      if (need === 'transaction-control' || (part.noTransaction ? need === 'transaction-block' : need === 'no-transaction-block')) bad.push({ st, part, need });
    }
  }
  if (bad.length === 0) return;
  const first = bad[0]!;
  const many = file.parts.length > 1;
  const where = (b: { st: SqlStatement; part: MigrationPart }) =>
    `${file.file}:${b.st.line}: ${many ? `part ${b.part.index}, ` : ''}statement ${b.st.index}: ${b.st.sql.split('\n')[0]!.slice(0, 100)}`;
  let reason: string;
  let hint: string;
  switch (first.need) {
    case 'transaction-control':
      reason = 'controls the transaction itself';
      hint = first.part.noTransaction
        ? 'A no-transaction part runs each statement on its own; move statements that must commit together into a part of their own (after a "--> strata:part" line).'
        : 'Strata runs each part of a migration in its own transaction: remove BEGIN/COMMIT/ROLLBACK; to commit halfway, start a new part with a "--> strata:part" line.';
      break;
    case 'no-transaction-block':
      reason = 'cannot run inside a transaction block';
      hint = `Put it in a part of its own: a line "${PART_MARKER_NO_TRANSACTION}" before it (and "${PART_MARKER}" before what follows, if that needs a transaction). Make it safe to run again, e.g. CREATE INDEX CONCURRENTLY IF NOT EXISTS.`;
      break;
    case 'transaction-block':
      reason = many || !file.noTransaction
        ? 'only works inside a transaction block, and its part runs outside a transaction, each statement on its own'
        : 'only works inside a transaction block, and this -- strata:no-transaction file runs each statement on its own';
      hint = `Move it (with the statements it protects) into a part that runs in a transaction (after a "${PART_MARKER}" line).`;
      break;
    case 'any':
      throw new Error('unreachable');
    default: {
      const never: never = first.need;
      throw new Error(`unknown need ${String(never)}`);
    }
  }
  throw new StrataError('REFUSED', `${migration}: ${file.file} line ${first.st.line}, ${many ? `part ${first.part.index}, ` : ''}statement ${first.st.index} ${reason}; nothing was applied`, {
    details: bad.map(where),
    hint,
  });
}
