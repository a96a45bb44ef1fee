import type { ServerFeatureUse, Snapshot } from '@strata/model';
import type { SqlStatement } from './sql-splitter.js';

/** The first line that makes a file run outside a transaction. */
export const NO_TRANSACTION_DIRECTIVE = '-- strata:no-transaction';

/** `meta/<name>.json` of a Strata migration. */
export interface MigrationMeta {
  version: 1;
  name: string;
  /** The migration this one was generated on top of; null for the first. */
  parent: string | null;
  /** Written by hand (`generate --custom`): the snapshot is the schema code's at that time. */
  custom: boolean;
  /** The schema after this migration. */
  snapshot: Snapshot;
  /** Set when the migration is one half of a multi-step change (`generate --multi-step`). */
  multiStep?: MultiStepMeta;
  /**
   * Statements only newer servers run (`generate --url` against PostgreSQL 17 may write SET
   * EXPRESSION): `migrate` refuses the migration on an older server before running anything.
   */
  serverFeatures?: ServerFeatureUse[];
}

/**
 * Which half of a multi-step (expand / contract) change a migration is. `migrate` applies an
 * expand migration (the backfill, then what the contract needs built) and holds a contract migration until
 * `migrate --contract`; the contract names its expand.
 */
export type MultiStepMeta =
  | { phase: 'expand'; columns: { schema: string; table: string; from: string; to: string }[] }
  | { phase: 'contract'; expand: string };

/**
 * One part of a migration file: the file is split by `--> strata:part` lines (a part in its own
 * transaction) and `--> strata:part no-transaction` lines (a part whose statements each commit on
 * their own). The text before the first marker is part 1 — outside a transaction when the file
 * starts with `-- strata:no-transaction` — and is left out when it holds no statement.
 */
export interface MigrationPart {
  /** 1-based number of the part in its file. */
  index: number;
  noTransaction: boolean;
  /** Line of its marker (1 for a first part without one). */
  line: number;
  /** Its statements (numbered across the whole file). */
  statements: SqlStatement[];
}

/** One SQL file of a migration (its up or its down). */
export interface MigrationFile {
  /** Path relative to the migration folder, e.g. `20261126001500_init.sql`. */
  file: string;
  /** Absolute path. */
  path: string;
  /** The file's text. */
  sql: string;
  /** Its statements, each with its line in the file (all parts, in order). */
  statements: SqlStatement[];
  /** Its parts, in order; one for a file without part markers. */
  parts: MigrationPart[];
  /** The file starts with the legacy header `-- strata:no-transaction` (its first part runs outside a transaction). */
  noTransaction: boolean;
  /** `h1:<base64 sha256>` of the file's bytes. */
  checksum: string;
}

/** A migration read from the folder. */
export interface Migration {
  /** `20261126001500_init`, or a drizzle-kit tag such as `0000_brave_hulk`. */
  name: string;
  /** Who wrote it: Strata (with a meta file) or drizzle-kit (listed in `meta/_journal.json`). */
  source: 'strata' | 'drizzle-kit';
  up: MigrationFile;
  /** `<name>.down.sql`, when there is one. */
  down: MigrationFile | null;
  /** Strata's meta file; null for drizzle-kit migrations. */
  meta: MigrationMeta | null;
  /** The up file's checksum: what the history table records. */
  checksum: string;
  /** For drizzle-kit migrations: the journal entry and the hash drizzle-orm's migrator records. */
  drizzleKit?: { idx: number; when: number; hash: string };
}

/** A file whose bytes do not match `meta/strata.sum`. */
export interface IntegrityIssue {
  file: string;
  issue: 'changed' | 'unlisted' | 'deleted';
}

/** Something wrong with the folder itself; each kind maps to one error code. */
export type FolderProblem =
  /** Two migrations generated on top of the same parent: two branches merged. */
  | { kind: 'branch-conflict'; parent: string | null; migrations: string[] }
  /** Files that do not match `meta/strata.sum`, or the sum file missing or damaged. */
  | { kind: 'integrity'; sumFile: 'ok' | 'missing' | 'damaged'; files: IntegrityIssue[] }
  /** A file that cannot be read as part of a migration. */
  | { kind: 'corrupt'; file: string; message: string };

/** What `readMigrationFolder` returns. */
export interface MigrationFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** Migrations in the order they apply: drizzle-kit's journal order, then Strata's by name. */
  migrations: Migration[];
  problems: FolderProblem[];
}
