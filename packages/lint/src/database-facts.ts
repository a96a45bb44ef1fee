import type { ColumnType } from './column-type.js';
import type { QualifiedName } from './ast.js';

/** What the database says about one table. */
export interface TableFacts {
  /** Estimated rows: pg_class.reltuples, or a count bounded by the grading threshold when never analysed. */
  rows: number;
  columns: Map<string, { type: ColumnType; notNull: boolean }>;
  /** Columns with a validated `CHECK (col IS NOT NULL)`. */
  notNullChecked: Set<string>;
}

/**
 * What `strata lint` reads from a database before linting: sizes and columns of the tables the
 * migrations touch, the tables of the indexes they drop, the volatility of functions their
 * defaults call. Keys are `keyOf(name)`.
 */
export interface DatabaseFacts {
  tables: Map<string, TableFacts>;
  indexes: Map<string, { table: QualifiedName; columns: string[] }>;
  /** `pg_proc.provolatile` per function name (the most volatile of its overloads). */
  functions: Map<string, 'i' | 's' | 'v'>;
}

/** Tables at or above this many rows make a blocking change an error; below, a warning; empty, a note. */
export const LARGE_TABLE_ROWS = 10_000;
