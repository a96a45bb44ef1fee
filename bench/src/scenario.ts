import type { ProcessResult, ProcessSpec } from './measure.js';
import type { StallFigures } from './stall/stall-figures.js';

/** What `verify` may hand back besides passing: a note for the table, figures measured beside the run. */
export interface VerifiedRun {
  note?: string;
  /** The application writer's latencies during the run (the write-stall rows). */
  stall?: StallFigures;
  /** Peak connections to the server during the run (the fleet row). */
  connections?: number;
}

/** A run made ready (databases copied, folders written: none of it timed). */
export interface PreparedRun {
  /** The processes timed, one after another; the run's time is their sum. */
  steps: ProcessSpec[];
  /**
   * Checks that the run did the work (tables exist, the column is gone, rows were updated…), so a
   * tool that fails quietly never looks fast. Throws when it did not; may return a note.
   */
  verify(results: ProcessResult[]): Promise<string | void | VerifiedRun>;
  /** Called (untimed) just before step `index` starts: a writer's clock, a reader opened before the ALTER. */
  beforeStep?(index: number): Promise<void>;
  /** Drops what `prepare` made (databases, directories). */
  cleanup?(): Promise<void>;
}

/** One side of a comparison: Strata, or drizzle-kit / the obvious alternative. */
export interface Side {
  /** What runs, as shown in the table: `strata generate`, `drizzle-kit migrate`, `pg_dump -Fc`. */
  label: string;
  prepare(): Promise<PreparedRun>;
}

/** The same work done by Strata and by the other tool. */
export interface Scenario {
  row: string;
  /** Tables in the schema (size rows), or null for rows of their own size. */
  size: number | null;
  strata: Side;
  /** The other side, or why it is not run. */
  other: Side | { skipped: string; label: string };
}

export const isSkipped = (s: Scenario['other']): s is { skipped: string; label: string } => 'skipped' in s;
