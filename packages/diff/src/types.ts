import { StrataError } from '@strata/core';
import type {
  CheckConstraint, Column, Enum, ForeignKey, Index, Policy, PrimaryKey, Sequence, Snapshot, Table, UniqueConstraint, View,
} from '@strata/schema';

/** A schema-qualified object name. */
export interface ObjectRef {
  schema: string;
  name: string;
}

/** What can go wrong when a statement runs on a database that holds data and serves traffic. */
export type HazardKind =
  /** Rows or values are removed (drop, narrowing type change). */
  | 'data-loss'
  /** PostgreSQL rewrites the whole table (and its indexes) under an exclusive lock. */
  | 'table-rewrite'
  /** A lock that blocks reads or writes for as long as the statement scans the table. */
  | 'blocking-lock'
  /** An index built without CONCURRENTLY: writes to the table wait until it is done. */
  | 'blocking-index-build'
  /** Application code still using the old name or shape fails once this runs (rename, drop). */
  | 'breaks-running-code'
  /** The down migration cannot bring back what this removes (the data of a dropped column or table). */
  | 'irreversible';

export interface Hazard {
  kind: HazardKind;
  message: string;
  /** The object concerned, quoted as in SQL (`"public"."users"."email"`). */
  object: string;
}

/** One SQL statement of a migration, with what it risks. */
export interface Statement {
  /** The SQL, without a trailing semicolon. */
  sql: string;
  hazards: Hazard[];
  /** False when the statement cannot run inside a transaction block (CREATE INDEX CONCURRENTLY). */
  transactional: boolean;
  /** A remark for the reader (e.g. "the data of this column is not restored"), written as `-- ` lines. */
  comment?: string;
}

/**
 * One migration's worth of statements. A diff is split into parts when PostgreSQL needs a commit in
 * between (a new enum value used in the same migration) or a part must run outside a transaction
 * (indexes built CONCURRENTLY on existing tables). Write each part as its own migration, in order.
 */
export interface MigrationPart {
  up: Statement[];
  /** Returns from this part's `snapshot` to the previous part's (or `prev`). */
  down: Statement[];
  /** False: every statement of `up` must run outside a transaction (the file starts with `-- strata:no-transaction`). */
  transactional: boolean;
  /** The schema after this part; the last part's is `next`. */
  snapshot: Snapshot;
  /** Why this part exists on its own; absent for the main part. */
  reason?: string;
}

/** A rename the resolver confirmed, as applied by the diff. */
export interface AppliedRename {
  kind: 'schema' | 'table' | 'column' | 'enum' | 'view';
  /** Dotted path of the old object (`[schema, table, column]`, `[schema, name]` or `[schema]`). */
  from: string[];
  to: string[];
}

/** The result of comparing two snapshots. */
export interface Diff {
  changes: Change[];
  /** prev → next, all parts in order. */
  up: Statement[];
  /** next → prev, all parts in reverse order. */
  down: Statement[];
  /** Every hazard of `up`. */
  hazards: Hazard[];
  /** Things to tell whoever generates the migration (e.g. data a down migration cannot restore). */
  warnings: string[];
  parts: MigrationPart[];
  renames: AppliedRename[];
}

interface ChangeBase {
  /** Why an object that did not change itself is dropped and created again. */
  reason?: string;
}

/** Where a constraint or index is added: on a table created by the same migration, nothing waits on it. */
interface OnTable extends ChangeBase {
  table: ObjectRef;
}
interface OnColumn extends OnTable {
  column: string;
}
interface MaybeNewTable extends OnTable {
  newTable: boolean;
}

/**
 * One schema change. Table references name the table as it is called when the statement runs:
 * drops run first (old names), then renames, then everything else (new names).
 */
export type Change =
  | (ChangeBase & { kind: 'create-schema'; schema: string })
  | (ChangeBase & { kind: 'drop-schema'; schema: string })
  | (ChangeBase & { kind: 'rename-schema'; from: string; to: string })
  | (ChangeBase & { kind: 'create-enum'; enum: Enum })
  | (ChangeBase & { kind: 'drop-enum'; enum: Enum })
  | (ChangeBase & { kind: 'rename-enum'; from: ObjectRef; to: ObjectRef })
  | (ChangeBase & { kind: 'add-enum-value'; enum: ObjectRef; value: string; before?: string; after?: string })
  /** Values removed or reordered: the type is built anew and every column converted (see `alter-column-type`). */
  | (ChangeBase & { kind: 'rebuild-enum'; from: Enum; to: Enum; tempName: string })
  | (ChangeBase & { kind: 'finish-enum-rebuild'; enum: ObjectRef; tempName: string })
  | (ChangeBase & { kind: 'create-sequence'; sequence: Sequence })
  | (ChangeBase & { kind: 'drop-sequence'; sequence: Sequence })
  | (ChangeBase & { kind: 'alter-sequence'; from: Sequence; to: Sequence })
  /** A serial or identity sequence following its table or column to a new name. */
  | (ChangeBase & { kind: 'rename-sequence'; schema: string; from: string; to: string })
  | (ChangeBase & { kind: 'create-table'; table: Table })
  | (ChangeBase & { kind: 'drop-table'; table: Table })
  | (ChangeBase & { kind: 'rename-table'; from: ObjectRef; to: ObjectRef })
  | (OnTable & { kind: 'add-column'; column: Column })
  | (OnTable & { kind: 'drop-column'; column: Column })
  | (OnTable & { kind: 'rename-column'; from: string; to: string })
  | (OnColumn & {
      kind: 'alter-column-type';
      from: Column;
      to: Column;
      /** Set when the type is an enum being rebuilt: the values rows may still hold. */
      enumRebuild?: { enum: ObjectRef; tempName: string; allowed: string[] };
    })
  | (OnColumn & { kind: 'set-column-default'; default: string })
  | (OnColumn & { kind: 'drop-column-default' })
  | (OnColumn & { kind: 'set-not-null' })
  | (OnColumn & { kind: 'drop-not-null' })
  | (OnColumn & { kind: 'add-identity'; identity: NonNullable<Column['identity']> })
  | (OnColumn & { kind: 'drop-identity' })
  | (OnColumn & { kind: 'alter-identity'; from: NonNullable<Column['identity']>; to: NonNullable<Column['identity']> })
  | (OnColumn & { kind: 'add-serial'; serialType: 'serial' | 'bigserial' | 'smallserial' })
  /** `sequence`: the name the serial's sequence has when this runs (its old name when the table or column was renamed). */
  | (OnColumn & { kind: 'drop-serial'; sequence: string })
  | (OnColumn & { kind: 'drop-generated-expression' })
  | (MaybeNewTable & { kind: 'add-primary-key'; primaryKey: PrimaryKey })
  | (OnTable & { kind: 'drop-primary-key'; primaryKey: PrimaryKey })
  | (MaybeNewTable & { kind: 'add-unique'; unique: UniqueConstraint })
  | (OnTable & { kind: 'drop-unique'; unique: UniqueConstraint })
  | (MaybeNewTable & { kind: 'add-check'; check: CheckConstraint })
  | (OnTable & { kind: 'drop-check'; check: CheckConstraint })
  | (MaybeNewTable & { kind: 'add-foreign-key'; foreignKey: ForeignKey })
  | (OnTable & { kind: 'drop-foreign-key'; foreignKey: ForeignKey })
  | (OnTable & { kind: 'rename-constraint'; constraint: 'primary key' | 'unique' | 'check' | 'foreign key'; from: string; to: string })
  | (MaybeNewTable & { kind: 'create-index'; index: Index; concurrently: boolean })
  | (OnTable & { kind: 'drop-index'; index: Index })
  | (OnTable & { kind: 'rename-index'; from: string; to: string })
  | (ChangeBase & { kind: 'create-view'; view: View })
  | (ChangeBase & { kind: 'drop-view'; view: View })
  | (ChangeBase & { kind: 'rename-view'; from: ObjectRef; to: ObjectRef; materialized: boolean })
  | (MaybeNewTable & { kind: 'enable-rls' })
  | (OnTable & { kind: 'disable-rls' })
  | (MaybeNewTable & { kind: 'create-policy'; policy: Policy })
  | (OnTable & { kind: 'drop-policy'; policy: Policy })
  | (OnTable & { kind: 'rename-policy'; from: string; to: string });

export type ChangeKind = Change['kind'];

/** Fails to compile when a switch over a union misses a case. */
export function assertNever(value: never): never {
  throw new StrataError('INTERNAL', `unhandled case: ${JSON.stringify(value)}`);
}
