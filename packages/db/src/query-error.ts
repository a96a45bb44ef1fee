import { StrataError } from '@strata/core';

/** The fields PostgreSQL sends with an error (both drivers expose the same ones). */
export interface PgErrorFields {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
  schema?: string;
  table?: string;
  column?: string;
  constraint?: string;
}

/**
 * A statement the server refused. Keeps PostgreSQL's fields so callers can name the
 * statement, line and constraint.
 */
export class QueryError extends StrataError {
  readonly pg: PgErrorFields;
  readonly sql: string;

  constructor(pg: PgErrorFields, sql: string, cause?: unknown) {
    const details: string[] = [];
    if (pg.detail) details.push(`detail: ${pg.detail}`);
    if (pg.where) details.push(`where: ${pg.where}`);
    super(pg.code === '55P03' ? 'LOCK_TIMEOUT' : 'QUERY_FAILED', pg.message, { hint: pg.hint, details, cause });
    this.pg = pg;
    this.sql = sql;
  }
}

/** True when `e` looks like an error from PostgreSQL (either driver). */
export function isPgError(e: unknown): e is PgErrorFields & Error {
  return typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string' &&
    typeof (e as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);
}

/** Wraps a driver error into a `QueryError`, leaving anything else as it is. */
export function toQueryError(e: unknown, sql: string): unknown {
  if (e instanceof QueryError) return e;
  if (!isPgError(e)) return e;
  const f = e as PgErrorFields;
  return new QueryError(
    {
      code: f.code, message: f.message, detail: f.detail, hint: f.hint, position: f.position, where: f.where,
      schema: f.schema, table: f.table, column: f.column, constraint: f.constraint,
    },
    sql,
    e,
  );
}
