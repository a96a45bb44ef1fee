// The JSON the studio's server and page exchange. Types only, so the page's bundle can share them.

/** Where a migration stands, as `strata status` reports it. */
export type MigrationState = 'applied' | 'pending' | 'out-of-order' | 'changed' | 'missing' | 'partial' | 'reverting';

/** Whether a migration file still has the checksum recorded for it. */
export type ChecksumState = 'ok' | 'changed' | 'missing-file' | 'unknown';

/** One migration as the studio page shows it; filled in by the runner through a provider. */
export interface MigrationView {
  /** The file name without `.sql`, e.g. `20250101120000_add_phone_number`. */
  name: string;
  state: MigrationState;
  /** ISO time it was applied, null when it was not. */
  appliedAt: string | null;
  /** How long applying it took, null when unknown or not applied. */
  durationMs: number | null;
  checksum: ChecksumState;
  /** The up SQL, null when the file is missing. */
  up: string | null;
  /** The down SQL, null when there is none. */
  down: string | null;
}

/** The SQL `strata generate` would write for the schema code's changes. */
export interface PendingSql {
  up: string;
  down: string;
}

export type RelationKind = 'table' | 'partitioned-table' | 'view' | 'materialized-view' | 'foreign-table';

/** A row count: exact, a lower bound (counting stopped), or the planner's estimate for huge tables. */
export interface RowCount {
  value: number;
  kind: 'exact' | 'at-least' | 'estimate';
}

export interface TableSummary {
  schema: string;
  name: string;
  kind: RelationKind;
  /** null for views (counting would run their query) or when counting failed. */
  rows: RowCount | null;
}

export interface ColumnInfo {
  name: string;
  /** As PostgreSQL prints it: `character varying(20)`, `integer[]`, `public.mood`. */
  type: string;
  /** `pg_type.typname` (`int4`, `_text`, `mood`). */
  typeName: string;
  /** `pg_type.typcategory`: B boolean, N numeric, D date/time, S string, U user (json, uuid…), A array, E enum… */
  category: string;
  enumValues: string[] | null;
  nullable: boolean;
  default: string | null;
  identity: 'always' | 'by-default' | null;
  generated: boolean;
  primaryKey: boolean;
  /** False for generated and GENERATED ALWAYS identity columns. */
  writable: boolean;
}

export interface TableDetail {
  schema: string;
  name: string;
  kind: RelationKind;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Why rows cannot be edited, or null when they can. */
  readOnly: string | null;
  /** The foreign keys this table declares: a value in `columns` names a row of `refTable`. */
  foreignKeys: ForeignKeyInfo[];
  /** The foreign keys other tables (or this one) declare on this table. */
  referencedBy: IncomingReference[];
}

/** A foreign key another table declares on this one: its `columns` hold this table's `refColumns`. */
export interface IncomingReference {
  name: string;
  schema: string;
  table: string;
  columns: string[];
  refColumns: string[];
}

/** Asks how many rows reference one row: `values` holds (at least) its referenced columns. */
export interface ReferencingRequest {
  schema: string;
  table: string;
  values: Row;
}

/** One incoming foreign key and how many rows point at the row through it. */
export interface ReferencingCount extends IncomingReference {
  count: RowCount;
}

export type FilterOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'contains' | 'is-null' | 'not-null';

export interface Filter {
  column: string;
  op: FilterOp;
  /** Text form of the value (not for is-null / not-null). */
  value?: string;
}

export interface Sort {
  column: string;
  direction: 'asc' | 'desc';
}

export type Row = Record<string, unknown>;

export interface RowsRequest {
  schema: string;
  table: string;
  limit: number;
  offset: number;
  sort: Sort | null;
  filters: Filter[];
}

export interface RowsResponse {
  rows: Row[];
  /** Rows matching the filters. */
  total: RowCount;
}

/** A value to write: PostgreSQL's text form, or null. Columns left out get their default. */
export type WriteValues = Record<string, string | null>;

export interface InsertRequest {
  schema: string;
  table: string;
  values: WriteValues;
}

export interface UpdateRequest {
  schema: string;
  table: string;
  /** The primary key of the row, as read. */
  key: Row;
  values: WriteValues;
}

export interface DeleteRequest {
  schema: string;
  table: string;
  key: Row;
}

/** Deletes several rows by primary key, all or none. */
export interface DeleteManyRequest {
  schema: string;
  table: string;
  keys: Row[];
}

export interface IndexInfo {
  name: string;
  definition: string;
  unique: boolean;
  primary: boolean;
}

export type ConstraintType = 'primary-key' | 'unique' | 'foreign-key' | 'check' | 'exclusion' | 'trigger';

export interface ConstraintInfo {
  name: string;
  type: ConstraintType;
  definition: string;
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
}

export interface SchemaTable {
  schema: string;
  name: string;
  kind: RelationKind;
  columns: { name: string; type: string; nullable: boolean; default: string | null; primaryKey: boolean }[];
  indexes: IndexInfo[];
  constraints: ConstraintInfo[];
  foreignKeys: ForeignKeyInfo[];
}

export interface InfoResponse {
  database: string;
  backend: 'postgres' | 'pglite';
  version: string;
  notes: string[];
  providers: { migrations: boolean; pendingSql: boolean };
  /** Why nothing can be changed (no row edits, no writing SQL), or null when the studio can write. */
  readOnly: string | null;
  console: ConsoleInfo;
}

/** How the SQL console runs read-only statements (see `ConsoleAccess`). */
export interface ConsoleInfo {
  /** `login`: a separate unprivileged login (server); `guarded`: parser-checked (PGlite); `off`: refused. */
  mode: 'login' | 'guarded' | 'off';
  /** The console's login role (`login` mode). */
  role: string | null;
  /** Why the console is off, and what to do. */
  reason: string | null;
  hint: string | null;
  /** True when "allow writes" is offered (a studio that may write). */
  writes: boolean;
}

export interface ConsoleRequest {
  sql: string;
  /** false: the statement runs in a READ ONLY transaction. */
  write: boolean;
}

export interface ConsoleResponse {
  columns: string[];
  rows: unknown[][];
  /** Rows returned or affected. */
  rowCount: number;
  /** True when more rows were there than returned. */
  truncated: boolean;
  ms: number;
}

export interface MigrationsResponse {
  /** False when the CLI gave the studio no migrations provider. */
  available: boolean;
  migrations: MigrationView[];
}

export interface PendingResponse {
  available: boolean;
  /** null: the schema code and the migrations agree. */
  pending: PendingSql | null;
}

export interface ApiError {
  error: {
    code: string;
    message: string;
    detail?: string;
    hint?: string;
    /** 1-based character position in the statement (SQL console). */
    position?: number;
    column?: string;
    constraint?: string;
    /** PostgreSQL's SQLSTATE. */
    sqlState?: string;
  };
}
