import { StrataError } from '@strata/core';
import type {
  CheckConstraint, Column, Enum, ForeignKey, Index, Policy, PrimaryKey, Sequence, Table, UniqueConstraint, View,
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
 * One part of a migration file. A migration stays one migration (one name, one history row, one
 * down file); it is split into parts when PostgreSQL needs a commit in between (a new enum value
 * used later, a constraint validated apart from the statement that added it) or when statements
 * must run outside a transaction (`CREATE INDEX CONCURRENTLY`, a backfill that commits per batch).
 * `renderMigration` writes the parts separated by `--> strata:part` lines.
 */
export interface MigrationPart {
  statements: Statement[];
  /** False: the part runs outside a transaction, each statement on its own (`--> strata:part no-transaction`). */
  transactional: boolean;
  /** Why this part is separate from the one before it (written after its marker; not for the first part). */
  reason?: string;
}

/** A lock-safe recipe the plan used instead of a plain statement. */
export type RecipeKind =
  /** `CREATE [UNIQUE] INDEX CONCURRENTLY` outside a transaction. */
  | 'concurrent-index'
  /** `DROP INDEX CONCURRENTLY` outside a transaction. */
  | 'concurrent-drop-index'
  /** `ADD CONSTRAINT … NOT VALID`, then `VALIDATE CONSTRAINT` in a transaction of its own. */
  | 'not-valid-then-validate'
  /** `CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE`, `SET NOT NULL` (no scan), drop the check. */
  | 'not-null-via-check'
  /** A unique index built concurrently, then `ADD CONSTRAINT … UNIQUE USING INDEX`. */
  | 'unique-using-index'
  /** NOT NULL by the check recipe, a unique index built concurrently, then `ADD CONSTRAINT … PRIMARY KEY USING INDEX`. */
  | 'primary-key-using-index'
  /** A column with a volatile default: added without it, default set, existing rows filled in batches. */
  | 'backfill-in-batches';

/** Which recipe was used for which object, and why (for summaries and hazard comments). */
export interface PlanNote {
  recipe: RecipeKind;
  /** The object concerned, quoted as in SQL. */
  object: string;
  /** One line: what the recipe does and why it keeps the table writable. */
  message: string;
}

/**
 * A change that rewrites a table that already exists, holding an exclusive lock for the whole
 * rewrite, for which no lock-safe recipe exists (a type change that is not binary-coercible).
 */
export interface Rewrite {
  table: ObjectRef;
  column: string;
  from: string;
  to: string;
  message: string;
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
  /** prev → next, every statement of every part in order. */
  up: Statement[];
  /** next → prev, every statement of every part in order. */
  down: Statement[];
  /** The up migration as parts (usually one): write it with `renderMigration(diff.upParts)`. */
  upParts: MigrationPart[];
  /** The down migration as parts. */
  downParts: MigrationPart[];
  /** Every hazard of `up`. */
  hazards: Hazard[];
  /** Things to tell whoever generates the migration (e.g. data a down migration cannot restore). */
  warnings: string[];
  /** The lock-safe recipes `up` uses (empty with `unsafePlans`). */
  plans: PlanNote[];
  /** Table rewrites `up` does under an exclusive lock (no lock-safe recipe exists): ask before writing them. */
  rewrites: Rewrite[];
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
  | (OnColumn & {
      kind: 'alter-identity';
      from: NonNullable<Column['identity']>;
      to: NonNullable<Column['identity']>;
      /** Runs before the column's type change: the new bounds fit the old type, the old ones may not fit the new (bigint → integer). */
      beforeTypeChange?: true;
    })
  | (OnColumn & { kind: 'add-serial'; serialType: 'serial' | 'bigserial' | 'smallserial' })
  /** `sequence`: the name the serial's sequence has when this runs (its old name when the table or column was renamed). */
  | (OnColumn & { kind: 'drop-serial'; sequence: string })
  | (OnColumn & { kind: 'drop-generated-expression' })
  /** PostgreSQL 17+: `ALTER COLUMN … SET EXPRESSION AS (…)`; a stored column's table is rewritten. */
  | (OnColumn & { kind: 'set-generated-expression'; expression: string; virtual: boolean })
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
