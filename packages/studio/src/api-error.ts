import { isStrataError } from '@strata/core';
import { QueryError } from '@strata/db';
import type { ApiError } from './api-types.js';

/**
 * Turns an error into the JSON the page shows in place, with PostgreSQL's detail, hint, column
 * and constraint when the server refused a statement, and the HTTP status to send it with.
 */
export function toApiError(e: unknown): { status: 400 | 404 | 409 | 500; body: ApiError } {
  if (e instanceof QueryError) {
    const pos = Number(e.pg.position);
    return {
      status: 400,
      body: {
        error: {
          code: e.code,
          message: e.message,
          ...(e.pg.detail ? { detail: e.pg.detail } : {}),
          ...(e.pg.hint ? { hint: e.pg.hint } : {}),
          ...(Number.isFinite(pos) && pos > 0 ? { position: pos } : {}),
          ...(e.pg.column ? { column: e.pg.column } : {}),
          ...(e.pg.constraint ? { constraint: e.pg.constraint } : {}),
          ...(e.pg.code ? { sqlState: e.pg.code } : {}),
        },
      },
    };
  }
  if (isStrataError(e)) {
    const status = e.code === 'NOT_FOUND' ? 404 : e.code === 'REFUSED' ? 409 : e.code === 'INTERNAL' ? 500 : 400;
    return { status, body: { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } } };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { status: 500, body: { error: { code: 'INTERNAL', message } } };
}
