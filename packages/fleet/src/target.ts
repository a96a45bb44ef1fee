/** One target as written in a list: a URL (with `${ENV}` references allowed) and, for schema-per-tenant, a schema. */
export interface TargetSpec {
  /** A Strata URL; `${NAME}` is replaced by the environment variable NAME when the run starts. */
  url: string;
  /** The tenant schema the migration folder is applied to (the managed schema substituted); absent for a database per target. */
  schema?: string;
  /** How reports name it; default the schema, else the database name. */
  name?: string;
}

/** A target ready to run: named, with the URL still as written (its `${ENV}` references unresolved). */
export interface FleetTarget {
  name: string;
  /** The URL as written, `${ENV}` references kept: never holds a secret that was only in the environment. */
  url: string;
  /** The URL for messages: as written, passwords masked. */
  display: string;
  schema: string | null;
}

/** Where a list of targets comes from when it is a query on a control database. */
export interface ControlQuery {
  /** The control database's URL (`${ENV}` references allowed). */
  control: string;
  /** A query returning a `url` column, and optionally `schema` and `name`. */
  query: string;
}

/** The config's `targets` and the `--targets` file: a list of targets, or a query that lists them. */
export type TargetsSource = (string | TargetSpec)[] | ControlQuery;
