/**
 * Every error Strata raises on purpose carries a stable `code`. Only the CLI turns codes into
 * exit codes and text; packages throw `StrataError` and never print.
 */
export const ERROR_CODES = {
  // usage and input
  USAGE: 'usage error',
  INPUT_REQUIRED: 'input required that a non-interactive run cannot give',
  CONFIG_NOT_FOUND: 'config file not found',
  CONFIG_INVALID: 'config file invalid',
  SCHEMA_LOAD_FAILED: 'schema file could not be loaded',
  SCHEMA_INVALID: 'schema code is invalid',
  SNAPSHOT_INVALID: 'snapshot is invalid',
  SQL_INVALID: 'SQL does not parse',
  UNSUPPORTED_BY_SERVER: 'the server version cannot express this',
  EXTENSION_UNAVAILABLE: 'the database cannot provide this extension',
  // database access
  URL_INVALID: 'database URL invalid',
  CONNECTION_FAILED: 'database connection failed',
  DATABASE_LOCKED: 'embedded database in use by another process',
  QUERY_FAILED: 'query failed',
  LOCK_TIMEOUT: 'timed out waiting for a lock',
  // migrations
  MIGRATIONS_CORRUPT: 'migration folder is corrupt',
  MIGRATION_FAILED: 'migration failed',
  INTEGRITY_MISMATCH: 'migration integrity check failed',
  OUT_OF_ORDER: 'out-of-order migration',
  NO_DOWN_MIGRATION: 'migration has no down file',
  BRANCH_CONFLICT: 'migrations from two branches share a parent',
  RENAME_AMBIGUOUS: 'rename is ambiguous',
  DATA_LOSS: 'change would lose data',
  DRIFT: 'database, history and schema code disagree',
  REFUSED: 'operation refused',
  // backup and data
  BACKUP_INVALID: 'backup file invalid',
  NOT_EMPTY: 'target database is not empty',
  NOT_FOUND: 'not found',
  DATA_MIGRATION_FAILED: 'data migration failed',
  INTERNAL: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface StrataErrorOptions {
  /** What the user can do about it; printed after the message. */
  hint?: string;
  /** Extra lines (file, line, statement, PostgreSQL detail…). */
  details?: string[];
  cause?: unknown;
}

/**
 * An expected failure with a stable code.
 *
 * @example
 * throw new StrataError('CONFIG_INVALID', 'strata.config.ts: `schema` is missing', { hint: 'Add schema: "./src/schema.ts"' });
 */
export class StrataError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode, message: string, options: StrataErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StrataError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

/** True for a `StrataError`, also when it comes from another copy of this package. */
export function isStrataError(e: unknown): e is StrataError {
  return (
    e instanceof StrataError ||
    (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'StrataError' && typeof (e as { code?: unknown }).code === 'string')
  );
}
