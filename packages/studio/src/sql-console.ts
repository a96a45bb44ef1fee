import { StrataError } from '@strata/core';
import { QueryError, type DatabaseClient, type QueryResult, type Session } from '@strata/db';
import { splitSql } from '@strata/runner';
import type { ConsoleResponse } from './api-types.js';

/** The most rows the console returns for one statement. */
export const CONSOLE_MAX_ROWS = 1000;

const CURSOR = 'strata_studio_console';
const DECLARE = `declare ${CURSOR} no scroll cursor for `;

/**
 * Reads at most `max + 1` rows of a query through a cursor, so `select * from huge` does not load
 * the whole table. Statements a cursor cannot hold (DML, SHOW, EXPLAIN…) run as they are.
 */
async function runBounded(tx: Session, sql: string, max: number): Promise<{ result: QueryResult; truncated: boolean }> {
  try {
    // A savepoint, so a statement DECLARE refuses leaves the transaction usable for the plain run.
    const fetched = await tx.transaction(async (sp) => {
      await sp.query(DECLARE + sql);
      const r = await sp.query(`fetch forward ${max + 1} from ${CURSOR}`);
      await sp.query(`close ${CURSOR}`);
      return r;
    });
    const truncated = fetched.rows.length > max;
    return { result: { ...fetched, rows: fetched.rows.slice(0, max), rowCount: Math.min(fetched.rows.length, max) }, truncated };
  } catch (e) {
    // 42601 syntax error / 0A000 not supported: not a query a cursor can hold. Anything else is the
    // user's error, with its position moved back into the statement as typed.
    if (!(e instanceof QueryError)) throw e;
    if (e.pg.code !== '42601' && e.pg.code !== '0A000') {
      const at = Number(e.pg.position);
      throw at > DECLARE.length ? new QueryError({ ...e.pg, position: String(at - DECLARE.length) }, sql, e) : e;
    }
  }
  const result = await tx.query(sql);
  const truncated = result.rows.length > max;
  return { result: { ...result, rows: result.rows.slice(0, max) }, truncated };
}

/**
 * The one statement of the console's text, split the way psql splits (strings, dollar quotes,
 * comments). More than one is refused before anything runs: node-postgres sends a query without
 * parameters as a simple query, where `commit; insert …` would end the READ ONLY transaction.
 */
function oneStatement(text: string): { sql: string; offset: number } {
  const statements = splitSql(text);
  const first = statements[0];
  if (!first) throw new StrataError('USAGE', 'there is no statement to run (only whitespace or comments)');
  if (statements.length > 1) {
    throw new StrataError('USAGE', `the console runs one statement at a time; this text has ${statements.length} (the second starts on line ${statements[1]!.line})`, {
      hint: 'Run them one by one, or select and run the one you want.',
    });
  }
  return { sql: first.sql, offset: first.offset };
}

/**
 * Runs one statement from the SQL console in a transaction: READ ONLY unless `write` is set (so
 * nothing it runs can change data), committed when it succeeds. PostgreSQL's error position is
 * given in the text as typed.
 *
 * @example
 * const r = await runConsole(db, { sql: 'select count(*) from users', write: false });
 */
export async function runConsole(db: DatabaseClient, request: { sql: string; write: boolean }, max = CONSOLE_MAX_ROWS): Promise<ConsoleResponse> {
  const started = Date.now();
  const { sql, offset } = oneStatement(request.sql);
  let outcome: { result: QueryResult; truncated: boolean };
  try {
    outcome = await db.transaction(async (tx) => {
      if (!request.write) await tx.query('set transaction read only');
      return runBounded(tx, sql, max);
    });
  } catch (e) {
    const at = e instanceof QueryError ? Number(e.pg.position) : NaN;
    if (at > 0 && offset > 0) throw new QueryError({ ...(e as QueryError).pg, position: String(at + offset) }, request.sql, e);
    throw e;
  }
  const { result, truncated } = outcome;
  const columns = result.fields.map((f) => f.name);
  return {
    columns,
    rows: result.rows.map((r) => columns.map((c) => r[c])),
    rowCount: result.rowCount,
    truncated,
    ms: Date.now() - started,
  };
}
