import type { RuleId } from './rule-catalog.js';

/** How bad a finding is: errors fail `strata lint` (exit 1), warnings and notes do not. */
export type Severity = 'error' | 'warning' | 'info';

/** One problem found in a migration file. */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** What is wrong and why, in one sentence. */
  message: string;
  /** The safe way, when there is one. */
  hint?: string;
  /** The file as given (relative to the working directory when it was found there). */
  file: string;
  /** 1-based line and column of the statement (or of the part of it that the finding is about). */
  line: number;
  column: number;
  /** The statement's first line, for context. */
  statement?: string;
  /** The table the finding is about and how its size graded the finding. */
  table?: { name: string; rows: number | null; basis: TableBasis };
  /** Set when a `-- strata:ignore` comment silenced this finding. */
  suppressed?: { reason: string; line: number };
}

/** Where the size of a table came from, for the message and the grading. */
export type TableBasis =
  /** Read from the database (pg_class.reltuples, or a bounded count when never analysed). */
  | 'database'
  /** Not in the database: created by an earlier migration that is pending, so it starts empty. */
  | 'pending'
  /** No database: created by an earlier migration of the folder. */
  | 'earlier-migration'
  /** No database, and no migration read creates it: it exists already. */
  | 'existing'
  /** The database was read and has no such table. */
  | 'missing';

/** What `lintMigrations` returns. */
export interface LintReport {
  /** The files linted, in order. */
  files: string[];
  /** Every finding, suppressed ones included, in file and line order. */
  findings: Finding[];
  /** Unsuppressed findings per severity. */
  counts: Record<Severity, number>;
  /** True when the database's table sizes graded the findings. */
  database: boolean;
  /** True when no unsuppressed finding is an error. */
  ok: boolean;
}
