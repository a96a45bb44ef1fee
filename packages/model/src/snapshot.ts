/**
 * The Snapshot: Strata's one model of a PostgreSQL schema. Schema code, a live database and every
 * migration's `meta/` file are turned into this shape, and everything that compares schemas
 * compares Snapshots. It is plain JSON: canonical (see `canonical-json.ts`), versioned, validated
 * when read.
 *
 * Conventions, relied on by every package:
 * - Objects are keyed by their name inside their schema; maps are `Record<string, …>` and are
 *   written with sorted keys, so two equal schemas give byte-identical files.
 * - Every name is the name PostgreSQL stores: already truncated to 63 bytes.
 * - Types are spelled as PostgreSQL's `format_type` spells them (`integer`, `character varying(255)`,
 *   `timestamp(3) with time zone`, `numeric(10,2)`), except the serial pseudo-types, which are kept
 *   as `serial`, `bigserial`, `smallserial` (an integer column whose default is `nextval` of the
 *   sequence it owns, named `<table>_<column>_seq`).
 * - Expressions (defaults, checks, generated columns, index expressions and predicates, view
 *   bodies, policy clauses) are SQL text. From schema code they are as drizzle renders them; the
 *   `db` package normalises them by letting the target server render them, so that code and
 *   catalog spell the same thing the same way.
 * - Fields marked "hint" say how to build an object, not what it is: they are kept but never compared.
 */

export const SNAPSHOT_VERSION = 1 as const;

export interface Snapshot {
  version: typeof SNAPSHOT_VERSION;
  dialect: 'postgresql';
  /** Every schema that holds or declares objects, `public` always included. */
  schemas: Record<string, SchemaDef>;
}

export interface SchemaDef {
  name: string;
  tables: Record<string, Table>;
  enums: Record<string, Enum>;
  sequences: Record<string, Sequence>;
  views: Record<string, View>;
}

export interface Enum {
  schema: string;
  name: string;
  /** In declaration order (order is meaningful for enums). */
  values: string[];
}

export interface Sequence {
  schema: string;
  name: string;
  /** `smallint`, `integer` or `bigint`. */
  dataType: 'smallint' | 'integer' | 'bigint';
  /** Numbers as decimal strings: they can exceed JavaScript's safe integers. */
  increment: string;
  minValue: string;
  maxValue: string;
  start: string;
  cache: string;
  cycle: boolean;
}

export type IdentityOptions = Omit<Sequence, 'schema' | 'name' | 'dataType'> & {
  /** The identity's sequence name (PostgreSQL's default: `<table>_<column>_seq`). */
  sequenceName: string;
};

export interface Column {
  name: string;
  /**
   * See the type conventions above. For an enum or other user type: its bare name. For an array:
   * the element type (`integer` with `dimensions: 1`, never `integer[]`).
   */
  type: string;
  /** Schema of a user-defined type (enum, domain, composite); absent for built-in types. */
  typeSchema?: string;
  /**
   * Array dimensions (0 = not an array). PostgreSQL does not enforce dimensions and a dump
   * loses them, so only `dimensions > 0` is part of equality.
   */
  dimensions: number;
  notNull: boolean;
  /** Default expression as SQL text; absent when there is none (also for serial and identity). */
  default?: string;
  /**
   * `GENERATED ALWAYS AS (expression) STORED`, or `… VIRTUAL` with `virtual: true` (PostgreSQL 18:
   * computed when read, nothing stored). Absent `virtual` is stored.
   */
  generated?: { expression: string; virtual?: true };
  identity?: { type: 'always' | 'byDefault' } & IdentityOptions;
  /** Collation, when not the default. */
  collation?: string;
}

export interface PrimaryKey {
  /** `<table>_pkey` unless named. */
  name: string;
  columns: string[];
}

export interface UniqueConstraint {
  name: string;
  columns: string[];
  nullsNotDistinct: boolean;
}

export interface CheckConstraint {
  name: string;
  expression: string;
}

export type ReferentialAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface ForeignKey {
  name: string;
  columns: string[];
  foreignSchema: string;
  foreignTable: string;
  foreignColumns: string[];
  onDelete: ReferentialAction;
  onUpdate: ReferentialAction;
}

export interface IndexElement {
  /** A column name, or an SQL expression (then `expression: true`). */
  value: string;
  expression: boolean;
  /** Descending order (default ascending). */
  desc: boolean;
  /** NULLS FIRST (PostgreSQL's default is NULLS LAST for ASC and NULLS FIRST for DESC; stored explicitly). */
  nullsFirst: boolean;
  /** Operator class, when not the default one for the type. */
  opclass?: string;
  collation?: string;
}

export interface Index {
  name: string;
  unique: boolean;
  /** Access method: `btree`, `hash`, `gin`, `gist`, `brin`, `spgist`, … */
  method: string;
  elements: IndexElement[];
  /** Partial index predicate. */
  where?: string;
  /** Storage parameters (`WITH (fillfactor = 70)`), values as text. */
  with?: Record<string, string>;
  nullsNotDistinct: boolean;
  /** Hint: build with CREATE INDEX CONCURRENTLY. Not compared. */
  concurrently?: boolean;
}

export interface Policy {
  name: string;
  as: 'permissive' | 'restrictive';
  for: 'all' | 'select' | 'insert' | 'update' | 'delete';
  /** Role names; `public` when unrestricted. Sorted. */
  to: string[];
  using?: string;
  withCheck?: string;
}

export interface Table {
  schema: string;
  name: string;
  /** In declaration (attnum) order; order is kept for display but is not part of equality. */
  columns: Column[];
  primaryKey?: PrimaryKey;
  uniques: Record<string, UniqueConstraint>;
  checks: Record<string, CheckConstraint>;
  foreignKeys: Record<string, ForeignKey>;
  indexes: Record<string, Index>;
  rlsEnabled: boolean;
  policies: Record<string, Policy>;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  /** The SELECT body (without `CREATE VIEW … AS`). */
  definition: string;
  /** Options: `security_barrier`, `check_option`, `security_invoker`, or a matview's storage parameters. */
  with?: Record<string, string>;
  /** Materialized view created `WITH NO DATA`. Hint. */
  withNoData?: boolean;
  /** Materialized view only: table access method (`USING heap`), when given. Added in version 1, optional. */
  using?: string;
  /** Materialized view only: `TABLESPACE`, when given. Added in version 1, optional. */
  tablespace?: string;
}

/** An empty snapshot: only `public`, with nothing in it. */
export function emptySnapshot(): Snapshot {
  // Fields in key order, as the snapshot is written (see canonicalJson).
  return { dialect: 'postgresql', schemas: { public: emptySchema('public') }, version: SNAPSHOT_VERSION };
}

export function emptySchema(name: string): SchemaDef {
  return { enums: {}, name, sequences: {}, tables: {}, views: {} };
}
