import type { QueryResult, Row } from '@strata/db';
import type { DataDatabase } from './drizzle-db.js';

/**
 * Where SQL goes inside a data migration: the run's own connection (outside a batch) or one
 * batch's transaction. Everything sent through `db`, `query` and `sql` runs on that connection.
 */
export interface DataTx {
  /** drizzle-orm on this connection, for the project's own tables: `db.update(users).set(…)`. */
  readonly db: DataDatabase;
  /** One statement with `$1…$n` parameters. */
  query<R = Row>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** A tagged template: each `${value}` becomes a parameter, never SQL text. */
  sql<R = Row>(strings: TemplateStringsArray, ...values: unknown[]): Promise<QueryResult<R>>;
}

/** Messages from a migration; the CLI prints them under the migration's name. */
export interface DataLogger {
  info(message: string): void;
  warn(message: string): void;
  /** Shown only with --verbose. */
  debug(message: string): void;
}

/** A table: `'users'` (found on the search_path), `'auth.users'`, `{ schema, name }`, or a drizzle table. */
export type TableRef = string | { schema?: string; name: string } | object;

/** A key column: its name in the database, or a drizzle column. */
export type KeyRef = string | object;

/** How `ctx.batch` walks a table. */
export interface BatchOptions {
  /** The table to walk. A string is `table` or `schema.table`; quote a part holding a dot: `'"my.schema".users'`. */
  table: TableRef;
  /**
   * The key to walk in order: one column or several (a composite key). It must be the primary key
   * or a unique, non-partial index over NOT NULL columns, or batches could skip rows. Default: the
   * primary key.
   */
  key?: KeyRef | readonly KeyRef[];
  /** Rows per batch (and per transaction); default 1000. */
  size?: number;
  /** Pause between batches, to leave the server room for other work; default 0. */
  pauseMs?: number;
  /** An SQL condition that limits the walk, e.g. `'full_name is null'` (no parameters); on a tenant's run, names in the managed schema are the tenant's. */
  where?: string;
  /**
   * The walk's name in the checkpoint; default the qualified table name. Give one when a migration
   * walks the same table twice.
   */
  name?: string;
  /** Count the rows first, for the percentage and the ETA; default true. */
  count?: boolean;
  /** How often a batch is retried after a lock timeout, deadlock or serialization failure; default 3. */
  retries?: number;
}

/** One batch, as the callback of `ctx.batch` gets it. */
export interface BatchInfo<K = unknown> {
  /** 1-based number of the batch in its walk; it keeps counting when a run resumes. */
  index: number;
  /** The batch's keys in order: values for a one-column key, tuples for a composite key. */
  ids: K[];
  /** The first and last key of the batch (inclusive). */
  from: K;
  to: K;
  /** How many rows the batch holds (`ids.length`). */
  rows: number;
  /** The keys column by column (one array per key column), for `unnest($1::int[], $2::int[])`. */
  columns: unknown[][];
}

/**
 * The work of one batch, inside the batch's transaction. Returns nothing (rows changed are counted
 * from the update/insert/delete statements it runs), or a number or query result to report
 * a different count.
 */
export type BatchFn<K = unknown> = (tx: DataTx, batch: BatchInfo<K>) => Promise<unknown>;

/** What `ctx.batch` did. */
export interface BatchSummary {
  /** The walk's name in the checkpoint. */
  name: string;
  /** The qualified table name, quoted. */
  table: string;
  /** Batches and rows of this walk in total, earlier runs included. */
  batches: number;
  rows: number;
  changed: number;
  /** True when an earlier run finished this walk and nothing was done now. */
  skipped: boolean;
  /** The key the walk resumed after, or null when it started from the beginning. */
  resumedAfter: unknown;
}

/** Progress of one walk, after each batch. */
export interface BatchProgress {
  migration: string;
  walk: string;
  table: string;
  batch: number;
  /** Rows walked so far, earlier runs included. */
  rowsDone: number;
  /** Rows to walk in all, or null with `count: false`. */
  total: number | null;
  /** Rows per second in this run. */
  rowsPerSecond: number;
  /** Estimated time left, or null when unknown. */
  etaMs: number | null;
  done: boolean;
}

/** A batch of a dry run: what it would have changed. */
export interface DryRunBatch {
  migration: string;
  walk: string;
  batch: number;
  from: unknown;
  to: unknown;
  rows: number;
  changed: number;
}

/**
 * A data run on one tenant schema (a fleet's schema-per-tenant target): the code is written for the
 * managed schema, the rows live in the tenant's.
 */
export interface DataTenant {
  /** The tenant's schema: first on the run's search_path (then `public`), so unqualified names land there. */
  schema: string;
  /** The schema the code names (drizzle `pgSchema` tables, `'tenant.users'`), read as the tenant's. */
  managed: string;
  /** A statement's text with every name in `managed` moved to `schema` (the fleet's schema substitution). */
  substitute(sql: string): string;
}

/** What `up(ctx)` gets. */
export interface DataMigrationContext extends DataTx {
  /** The migration's name, e.g. `20250101120000_backfill_full_name`. */
  readonly name: string;
  /** True in `strata data run --dry-run`: everything is rolled back at the end. */
  readonly dryRun: boolean;
  readonly log: DataLogger;
  /**
   * Walks a table in key order, `size` rows at a time, each batch in its own transaction together
   * with the checkpoint; a resumed run starts after the last committed batch.
   *
   * @example
   * await ctx.batch({ table: 'users', size: 5000 }, (tx, { ids }) =>
   *   tx.query('update users set full_name = name where id = any($1)', [ids]));
   */
  batch<K = unknown>(options: BatchOptions, fn: BatchFn<K>): Promise<BatchSummary>;
  /**
   * Runs `fn` once in the migration's life: in a transaction with the checkpoint, skipped when a
   * resumed run finds it done. For work outside batches that must not run twice.
   *
   * @example
   * await ctx.step('seed plans', (tx) => tx.query(`insert into plans (name) values ('free')`));
   */
  step(name: string, fn: (tx: DataTx) => Promise<unknown>): Promise<void>;
  /** Runs `fn` in a transaction (a savepoint inside a batch or a dry run). */
  transaction<T>(fn: (tx: DataTx) => Promise<T>): Promise<T>;
}

/** What a data-migration file passes to `defineDataMigration`. */
export interface DataMigrationDefinition {
  /** One line saying what the migration does; shown by `strata data status`. */
  description?: string;
  up(ctx: DataMigrationContext): Promise<void> | void;
}
