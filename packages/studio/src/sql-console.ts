import { StrataError } from '@strata/core';
import { QueryError, type DatabaseClient, type QueryResult, type Session } from '@strata/db';
import { splitSql } from '@strata/runner';
import { loadSqlParser } from '@strata/sql';
import type { ConsoleResponse } from './api-types.js';
import type { ConsoleAccess } from './console-access.js';
import { guardStatement, type GuardedStatement } from './console-guard.js';

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

/** Caps on what one read-only console statement may take. */
export interface ConsoleLimits {
  /** Rows returned (read through a cursor, so a huge table is not loaded). */
  maxRows: number;
  /** `statement_timeout` on a server (PGlite ignores it, see `maxCost`). */
  timeoutMs: number;
  /**
   * The planner's total cost above which the embedded console refuses a statement before it
   * runs: PGlite cannot interrupt a running statement (it ignores statement_timeout and cancel
   * requests), so an expensive plan is refused instead of stopped.
   */
  maxCost: number;
}

export const DEFAULT_CONSOLE_LIMITS: ConsoleLimits = { maxRows: CONSOLE_MAX_ROWS, timeoutMs: 30_000, maxCost: 1_000_000 };

/** Functions of the database PostgreSQL reserves to privileged roles, or that run SQL text they are given. */
const RESTRICTED_FUNCTIONS = `
  select distinct lower(p.proname) as name from pg_proc p
   where lower(p.proname) = any($1::text[])
     and ((p.proacl is not null and not exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE'))
       or (p.prolang = (select l.oid from pg_language l where l.lanname = 'plpgsql') and p.prosrc ~* '\\mexecute\\M'))
   order by 1`;

/** The embedded console's checks that need the database: restricted functions, then the planned cost. */
async function checkEmbedded(tx: Session, sql: string, guarded: GuardedStatement, limits: ConsoleLimits): Promise<void> {
  if (guarded.functions.length) {
    const { rows } = await tx.query<{ name: string }>(RESTRICTED_FUNCTIONS, [guarded.functions]);
    if (rows.length) {
      throw new StrataError('REFUSED', `the read-only console refuses ${rows.map((r) => `${r.name}()`).join(', ')} on the embedded database`, {
        hint: 'PostgreSQL reserves it to privileged roles, or it runs SQL text it is given (EXECUTE); PGlite runs everything as a superuser, so the console refuses it.',
      });
    }
  }
  if (guarded.planOnly) return;
  const EXPLAIN = 'explain (format json) ';
  let plan: QueryResult<{ 'QUERY PLAN': [{ Plan: { 'Total Cost': number } }] }>;
  try {
    plan = await tx.query(EXPLAIN + sql);
  } catch (e) {
    // The statement's own error (an unknown column…), with its position in the statement as typed.
    const at = e instanceof QueryError ? Number(e.pg.position) : NaN;
    throw at > EXPLAIN.length ? new QueryError({ ...(e as QueryError).pg, position: String(at - EXPLAIN.length) }, sql, e) : e;
  }
  const cost = plan.rows[0]?.['QUERY PLAN'][0]?.Plan['Total Cost'] ?? 0;
  if (cost > limits.maxCost) {
    throw new StrataError('REFUSED', `the read-only console refuses this statement on the embedded database: the planner expects it to cost ${Math.round(cost).toLocaleString('en-US')} (the cap is ${limits.maxCost.toLocaleString('en-US')})`, {
      hint: 'PGlite cannot stop a running statement, so expensive ones are refused before they run: add a WHERE or a LIMIT, or query a PostgreSQL server.',
    });
  }
}

/** Parses the statement with PostgreSQL's parser and applies the read-only guard. */
async function guard(text: string, embedded: boolean): Promise<GuardedStatement> {
  const parser = await loadSqlParser();
  const statements = parser.parse(text);
  if (statements.length !== 1) {
    throw new StrataError('USAGE', `the console runs one statement at a time; this text has ${statements.length}`, { hint: 'Run them one by one.' });
  }
  return guardStatement(statements[0]!.node, { embedded });
}

/** Moves PostgreSQL's error position from the statement back into the text as typed. */
function inText(e: unknown, offset: number, text: string): unknown {
  const at = e instanceof QueryError ? Number(e.pg.position) : NaN;
  return at > 0 && offset > 0 ? new QueryError({ ...(e as QueryError).pg, position: String(at + offset) }, text, e) : e;
}

/**
 * Runs one statement from the SQL console in a transaction, committed when it succeeds.
 * - `write: true` runs on the studio's own client (the caller allows it only on a studio that may
 *   write, see `createApp`).
 * - `write: false` runs READ ONLY where `access` says: on a server, on the console's unprivileged
 *   login, under `statement_timeout`; on PGlite, after the parser's guard, the catalog check and the
 *   cost cap. With `access` off it is refused with the reason.
 * At most `limits.maxRows` rows come back. PostgreSQL's error position is given in the text as typed.
 *
 * @example
 * const access = await openConsoleAccess(db, { clientUrl: url });
 * const r = await runConsole(db, access, { sql: 'select count(*) from users', write: false });
 */
export async function runConsole(
  studioClient: DatabaseClient,
  access: ConsoleAccess,
  request: { sql: string; write: boolean },
  limits: ConsoleLimits = DEFAULT_CONSOLE_LIMITS,
): Promise<ConsoleResponse> {
  const started = Date.now();
  const { sql, offset } = oneStatement(request.sql);
  let outcome: { result: QueryResult; truncated: boolean };
  if (request.write) {
    // PGlite answers COPY … TO PROGRAM with OK, then hangs at the next statement: refuse it even here.
    if (studioClient.kind === 'pglite' && /\bprogram\b/i.test(sql)) {
      const [first] = (await loadSqlParser()).parse(sql);
      if (first && 'CopyStmt' in first.node && (first.node.CopyStmt as { is_program?: boolean }).is_program) {
        throw new StrataError('REFUSED', 'COPY … PROGRAM hangs the embedded database (PGlite runs no programs)', { hint: 'Run it against a PostgreSQL server.' });
      }
    }
    try {
      outcome = await studioClient.transaction((tx) => runBounded(tx, sql, limits.maxRows));
    } catch (e) {
      throw inText(e, offset, request.sql);
    }
  } else {
    if (access.mode === 'off') throw new StrataError('REFUSED', `the read-only SQL console is off: ${access.reason}`, { hint: access.hint });
    const embedded = access.mode === 'guarded';
    let guarded: GuardedStatement | null = null;
    try {
      guarded = await guard(request.sql, embedded);
    } catch (e) {
      // On a server the login is the boundary: text our parser cannot read goes to PostgreSQL, which reports it.
      if (embedded || !(e instanceof StrataError && e.code === 'SQL_INVALID')) throw e;
    }
    try {
      outcome = await access.client.transaction(async (tx) => {
        await tx.query('set transaction read only');
        if (!embedded) await tx.query(`set local statement_timeout = ${Math.max(1, Math.floor(limits.timeoutMs))}`);
        if (embedded && guarded) await checkEmbedded(tx, sql, guarded, limits);
        return runBounded(tx, sql, limits.maxRows);
      });
    } catch (e) {
      throw inText(e, offset, request.sql);
    }
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
