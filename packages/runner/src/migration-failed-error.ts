import { StrataError } from '@strata/core';
import type { PgErrorFields } from '@strata/db';
import type { MigrationFile } from './migration.js';
import type { SqlStatement } from './sql-splitter.js';

/**
 * A statement of a migration failed. Names the file, the statement and its line (and the
 * column, when PostgreSQL gave a position), with PostgreSQL's message, detail and hint.
 */
export class MigrationFailedError extends StrataError {
  readonly migration: string;
  readonly file: string;
  readonly statement: number;
  readonly line: number;
  readonly column: number;
  readonly pg: PgErrorFields | null;

  constructor(init: { migration: string; file: MigrationFile; statement: SqlStatement; error: unknown; direction: 'up' | 'down'; committed: number }) {
    const { file, statement: st, error } = init;
    const pg = pgFields(error);
    const at = pg?.position ? positionInFile(st, Number(pg.position)) : { line: st.line, column: st.column };
    const message = pg?.message ?? (error instanceof Error ? error.message : String(error));
    const details = [
      `at ${file.path}:${at.line}:${at.column}`,
      `statement ${st.index} of ${file.statements.length} (starts at line ${st.line}):`,
      ...excerpt(st.sql).map((l) => `  ${l}`),
    ];
    if (pg?.code) details.push(`SQLSTATE ${pg.code}`);
    if (pg?.detail) details.push(`detail: ${pg.detail}`);
    if (pg?.hint) details.push(`PostgreSQL hint: ${pg.hint}`);
    if (pg?.where) details.push(`where: ${pg.where}`);
    const verb = init.direction === 'up' ? 'migration' : 'rollback of';
    const kept = file.noTransaction
      ? init.committed > 0
        ? `This file runs outside a transaction: its statements 1–${init.committed} were committed and stay; nothing was recorded for it. Repair by hand or make the file safe to run again, then migrate again.`
        : 'Nothing of this file was applied (it runs outside a transaction and failed at its first statement).'
      : init.direction === 'up'
        ? 'This migration was rolled back and not recorded; the migrations before it stay applied. Fix the file, run `strata hash` (it was applied nowhere), and migrate again.'
        : 'This down migration was rolled back; the migration stays applied.';
    super('MIGRATION_FAILED', `${verb} ${init.migration} failed at ${file.file}:${at.line} (statement ${st.index}): ${message}`, {
      details,
      hint: kept,
      cause: error,
    });
    this.migration = init.migration;
    this.file = file.file;
    this.statement = st.index;
    this.line = at.line;
    this.column = at.column;
    this.pg = pg;
  }
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
