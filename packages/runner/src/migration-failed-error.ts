import { StrataError } from '@strata/core';
import type { PgErrorFields } from '@strata/db';
import type { InvalidIndex } from './concurrent-index.js';
import type { MigrationFile, MigrationPart } from './migration.js';
import { describeBlocker, type LockBlocker } from './runner-events.js';
import type { SqlStatement } from './sql-splitter.js';

/** What to do when a lock wait used up lockBudgetMs (shared by migrate's and push's errors). */
export const LOCK_BUDGET_HINT =
  'Another session held a lock this statement needs for longer than lockBudgetMs. Let it finish (or end it: select pg_terminate_backend(<pid>)), or raise lockBudgetMs; then run again.';

/**
 * A statement of a migration failed. Names the file, the statement and its line (and the
 * column, when PostgreSQL gave a position), with PostgreSQL's message, detail and hint.
 */
export class MigrationFailedError extends StrataError {
  readonly migration: string;
  readonly file: string;
  /** The part that failed (1-based), of `parts`. */
  readonly part: number;
  readonly parts: number;
  readonly statement: number;
  readonly line: number;
  readonly column: number;
  readonly pg: PgErrorFields | null;
  /** Statements of the failed no-transaction part that were committed before it failed. */
  readonly committed: number[];
  /** INVALID indexes the failure left behind (a `CREATE INDEX CONCURRENTLY` that did not finish). */
  readonly invalidIndexes: InvalidIndex[];
  /** True when it gave up on a lock wait after lockBudgetMs. */
  readonly lockBudgetUsed: boolean;

  constructor(init: {
    migration: string;
    file: MigrationFile;
    part: MigrationPart;
    statement: SqlStatement;
    error: unknown;
    direction: 'up' | 'down';
    /** Statements of this (no-transaction) part committed before the failure. */
    committed: SqlStatement[];
    invalidIndexes?: InvalidIndex[];
    /** For a lock timeout that used up lockBudgetMs: the attempts, the time, and what was seen holding the lock. */
    lock?: { attempts: number; elapsedMs: number; budgetMs: number; relation: string | null; blockers: LockBlocker[] };
  }) {
    const { file, part, statement: st, error } = init;
    const pg = pgFields(error);
    const at = pg?.position ? positionInFile(st, Number(pg.position)) : { line: st.line, column: st.column };
    const message = pg?.message ?? (error instanceof Error ? error.message : String(error));
    const parts = file.parts.length;
    const many = parts > 1;
    const inPart = many ? `part ${part.index} of ${parts}, ` : '';
    const details = [
      `at ${file.path}:${at.line}:${at.column}`,
      `${many ? `part ${part.index} of ${parts} (${part.noTransaction ? 'outside a transaction' : 'in a transaction'}), ` : ''}statement ${st.index} of ${file.statements.length} (starts at line ${st.line}):`,
      ...excerpt(st.sql).map((l) => `  ${l}`),
    ];
    if (pg?.code) details.push(`SQLSTATE ${pg.code}`);
    if (pg?.detail) details.push(`detail: ${pg.detail}`);
    if (pg?.hint) details.push(`PostgreSQL hint: ${pg.hint}`);
    if (pg?.where) details.push(`where: ${pg.where}`);
    if (init.lock) {
      const l = init.lock;
      details.push(`gave up after ${l.attempts} attempt${l.attempts === 1 ? '' : 's'} over ${(l.elapsedMs / 1000).toFixed(1)} s (lockBudgetMs ${l.budgetMs})`);
      if (l.blockers.length) details.push(`the lock${l.relation ? ` on ${l.relation}` : ''} was held by ${l.blockers.map(describeBlocker).join(', ')}`);
    }
    for (const c of init.committed) details.push(`committed before the failure: statement ${c.index} (line ${c.line}): ${c.sql.split('\n')[0]!.slice(0, 120)}`);
    for (const ix of init.invalidIndexes ?? []) details.push(`left behind: the INVALID index ${ix.index}; drop it with: ${ix.dropSql};`);
    const verb = init.direction === 'up' ? 'migration' : 'rollback of';
    const done = part.index - 1;
    const before = !many || done === 0 ? '' : init.direction === 'up'
      ? ` Parts 1–${done} of it are applied and recorded; the next \`strata migrate\` resumes at part ${part.index}.`
      : ` Down parts 1–${done} are reverted and recorded; the next \`strata rollback\` resumes at part ${part.index}.`;
    let kept: string;
    if (part.noTransaction) {
      const n = init.committed.length;
      const what = many ? `Part ${part.index} runs outside a transaction` : 'This file runs outside a transaction';
      kept = n > 0
        ? `${what}: its statements ${init.committed[0]!.index}–${init.committed[n - 1]!.index} were committed and stay (statements ${init.committed.map((c) => c.index).join(', ')}); nothing was recorded for it, so it runs again from its first statement. Write it to be safe to run again (IF NOT EXISTS), or repair by hand, then migrate again.`
        : `${what} and failed at its first statement: nothing of it was applied.`;
      if ((init.invalidIndexes ?? []).length > 0) kept += ' The INVALID index above is dropped (CONCURRENTLY) by the next run before it is built again, or drop it yourself.';
    } else if (init.direction === 'up' && isGuardStop(pg)) {
      // The file is right and nothing changed: editing it (and `strata hash`) would only defeat the guard.
      kept = `${many ? `Part ${part.index}` : 'This migration'} was rolled back and not recorded; one of its guards stopped it before anything changed. Do what the PostgreSQL hint above says (fix the rows, or the schema code), then migrate again.`;
    } else if (init.direction === 'up') {
      kept = many
        ? `Part ${part.index} was rolled back and not recorded. Fix the cause (or the file, then \`strata hash\` if it was applied nowhere) and migrate again.`
        : 'This migration was rolled back and not recorded; the migrations before it stay applied. Fix the file, run `strata hash` (it was applied nowhere), and migrate again.';
    } else {
      kept = many ? `Down part ${part.index} was rolled back; the migration stays recorded.` : 'This down migration was rolled back; the migration stays applied.';
    }
    if (init.lock) kept = `${LOCK_BUDGET_HINT} ${kept}`;
    super('MIGRATION_FAILED', `${verb} ${init.migration} failed at ${file.file}:${at.line} (${inPart}statement ${st.index}): ${message}`, {
      details,
      hint: `${kept}${before}`,
      cause: error,
    });
    this.migration = init.migration;
    this.file = file.file;
    this.part = part.index;
    this.parts = parts;
    this.statement = st.index;
    this.line = at.line;
    this.column = at.column;
    this.pg = pg;
    this.committed = init.committed.map((c) => c.index);
    this.invalidIndexes = init.invalidIndexes ?? [];
    this.lockBudgetUsed = init.lock !== undefined;
  }
}

/** A generated guard (a `DO $strata$` block) refused the rows: it raises P0001 with a 'strata: ' message. */
function isGuardStop(pg: PgErrorFields | null): boolean {
  return pg?.code === 'P0001' && pg.message.startsWith('strata: ');
}

function pgFields(e: unknown): PgErrorFields | null {
  const pg = (e as { pg?: PgErrorFields } | null)?.pg;
  return pg && typeof pg.message === 'string' ? pg : null;
}

/** PostgreSQL's `position` (1-based, in characters of the statement sent) as a line and column in the file. */
export function positionInFile(st: SqlStatement, position: number): { line: number; column: number } {
  const chars = Array.from(st.sql);
  const before = chars.slice(0, Math.max(0, position - 1)).join('');
  const lines = before.split('\n');
  if (lines.length === 1) return { line: st.line, column: st.column + Array.from(before).length };
  return { line: st.line + lines.length - 1, column: Array.from(lines.at(-1)!).length + 1 };
}

function excerpt(sql: string): string[] {
  const lines = sql.split('\n');
  return lines.length > 6 ? [...lines.slice(0, 5).map((l) => l.slice(0, 160)), `… (${lines.length - 5} more lines)`] : lines.map((l) => l.slice(0, 160));
}
