/**
 * Strata's backup file, format version 1: a gzip stream of UTF-8 text that is also a valid psql
 * script. Every line Strata reads starts with `-- strata:` (a comment to psql):
 *
 * ```
 * -- strata-backup 1
 * -- strata:header {json BackupHeader}
 * SET client_encoding = 'UTF8';            settings, for psql (restore applies header.settings itself)
 * -- strata:section pre-data
 * -- strata:statement <n bytes>            each statement: its byte length, then the SQL and ";\n"
 * CREATE TABLE … ;
 * -- strata:section data
 * -- strata:table {"schema":…,"name":…}    one block per table, in header order
 * COPY "s"."t" ("a", "b") FROM stdin;
 * …rows in COPY text format…
 * \.
 * -- strata:table-end {"rows":n,"sha256":"…"}
 * -- strata:section post-data
 * -- strata:statement <n bytes>
 * …
 * -- strata:end {json BackupTrailer}          sha256 of every byte before this line
 * ```
 */
export const FORMAT_VERSION = 1 as const;
export const MAGIC_LINE = `-- strata-backup ${FORMAT_VERSION}`;
export const MARK = {
  header: '-- strata:header ',
  section: '-- strata:section ',
  statement: '-- strata:statement ',
  table: '-- strata:table ',
  tableEnd: '-- strata:table-end ',
  end: '-- strata:end ',
} as const;
export const SECTIONS = ['pre-data', 'data', 'post-data'] as const;
export type SectionName = (typeof SECTIONS)[number];

/** Session settings a backup is written with and restored under (pg_dump's, plus a pinned search_path). */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  client_encoding: 'UTF8',
  standard_conforming_strings: 'on',
  DateStyle: 'ISO, YMD',
  IntervalStyle: 'postgres',
  extra_float_digits: '3',
  TimeZone: 'UTC',
  bytea_output: 'hex',
  // The DDL names its own objects schema-qualified, but expressions the server printed (defaults,
  // view bodies) leave `public` objects unqualified, as they were printed under this path.
  search_path: 'public',
  row_security: 'off',
  statement_timeout: '0',
  lock_timeout: '0',
  idle_in_transaction_session_timeout: '0',
  check_function_bodies: 'off',
};

/** One table whose rows the file carries. */
export interface BackupTable {
  schema: string;
  name: string;
  /** The columns in the COPY data (generated columns are left out: the server computes them). */
  columns: string[];
  /** Rows in the file (counted in the same snapshot the data was read in). */
  rows: number;
}

/** A row of Strata's migration history at the time of the backup. */
export interface BackupMigration {
  name: string;
  checksum: string;
  appliedAt: string;
}

/** A row of the data-migration history at the time of the backup. */
export interface BackupDataMigration {
  name: string;
  status: string;
  rows: number;
  finishedAt: string | null;
}

/** The first thing in the file: what it is and what it holds. */
export interface BackupHeader {
  format: 'strata-backup';
  version: typeof FORMAT_VERSION;
  strataVersion: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  source: {
    /** The source URL, password masked. */
    url: string;
    backend: 'postgres' | 'pglite';
    database: string;
    serverVersion: string;
    serverVersionNum: number;
    encoding: string;
  };
  settings: Record<string, string>;
  /** Every schema the backup covers (the DDL creates those other than `public`). */
  schemas: string[];
  tables: BackupTable[];
  /** Statement counts of the two DDL sections. */
  statements: { preData: number; postData: number };
  /** Migration history at the time (null where the history table did not exist). */
  history: {
    table: string;
    migrations: BackupMigration[] | null;
    dataMigrations: BackupDataMigration[] | null;
  };
}

/** The per-table line after each table's data. */
export interface TableEnd {
  rows: number;
  sha256: string;
}

/** The last line: totals and the checksum of everything before it. */
export interface BackupTrailer {
  tables: number;
  rows: number;
  statements: number;
  /** sha256 (hex) of every uncompressed byte before the `-- strata:end` line. */
  sha256: string;
}

/** `"schema"."table"` as a human reads it in messages. */
export const tableLabel = (t: { schema: string; name: string }): string => `${t.schema}.${t.name}`;
