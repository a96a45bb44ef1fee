import { StrataError } from '@strata/core';

/**
 * Statements the read-only console passes on to PostgreSQL. Queries run; data changes reach the
 * server only to be refused by the READ ONLY transaction (so the user reads PostgreSQL's own
 * message). Everything else — COPY, DO, CALL, SET, PREPARE/EXECUTE, DECLARE, LOAD, VACUUM, DDL… —
 * is refused before it runs.
 */
const TOP_LEVEL = new Set(['SelectStmt', 'ExplainStmt', 'VariableShowStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/** Statements that may appear inside another one (a data-modifying WITH, EXPLAIN's query). */
const NESTED = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

/**
 * Built-in functions the embedded console refuses by name (PGlite always runs as a superuser, so
 * the role cannot stop them). Each reaches outside the query: files and programs of the machine,
 * large objects, session and role settings (`set_config('role', …)` undoes SET ROLE), other
 * statements given as text (`query_to_xml('…')`, `ts_stat('…')`), server administration, or time
 * that PGlite cannot interrupt. The catalog check in `sql-console.ts` adds every function
 * PostgreSQL itself reserves to privileged roles (EXECUTE revoked from PUBLIC).
 */
const DENIED_NAMES = new Set([
  'set_config',
  'query_to_xml', 'query_to_xmlschema', 'query_to_xml_and_xmlschema', 'cursor_to_xml', 'cursor_to_xmlschema',
  'ts_stat', 'ts_rewrite',
  'pg_read_file', 'pg_read_binary_file', 'pg_stat_file', 'pg_current_logfile',
  'pg_reload_conf', 'pg_rotate_logfile', 'pg_terminate_backend', 'pg_cancel_backend', 'pg_promote', 'pg_switch_wal',
  'pg_create_restore_point', 'pg_backup_start', 'pg_backup_stop', 'pg_log_backend_memory_contexts', 'pg_import_system_collations',
  'pg_sleep', 'pg_sleep_for', 'pg_sleep_until',
  'loread', 'lowrite', 'pg_notify',
]);

/** Name prefixes refused the same way (families of the functions above). */
const DENIED_PREFIXES = [
  'lo_', 'pg_ls_', 'pg_file_', 'pg_advisory_', 'pg_try_advisory_', 'pg_logical_', 'pg_replication_', 'pg_create_',
  'pg_drop_replication_', 'pg_copy_', 'pg_wal_replay_', 'pg_stat_reset', 'binary_upgrade_', 'dblink',
];

/** Why a function name is refused, or null. */
function deniedFunction(name: string): string | null {
  const n = name.toLowerCase();
  if (DENIED_NAMES.has(n) || DENIED_PREFIXES.some((p) => n.startsWith(p))) return n;
  return null;
}

/** What the guard found in a statement that passed it. */
export interface GuardedStatement {
  /** The statement's kind, e.g. `SelectStmt`. */
  kind: string;
  /** Every function the statement calls by name (lower case, without schema), for the catalog check. */
  functions: string[];
  /** True for a statement that is only planned (EXPLAIN without ANALYZE, SHOW): nothing to cost. */
  planOnly: boolean;
}

function refuse(what: string, hint: string): StrataError {
  return new StrataError('REFUSED', `the read-only console refuses ${what}`, { hint });
}

type Json = unknown;

function isAnalyze(explain: Record<string, Json>): boolean {
  const options = Array.isArray(explain.options) ? explain.options : [];
  return options.some((o) => {
    const def = (o as { DefElem?: { defname?: string; arg?: { String?: { sval?: string }; Integer?: { ival?: number } } } }).DefElem;
    if (def?.defname?.toLowerCase() !== 'analyze') return false;
    // `analyze false|off|no|0` keeps it a plan; anything else (or no value) runs the statement.
    const arg = def.arg;
    if (arg?.String) return !['false', 'off', 'no'].includes((arg.String.sval ?? '').toLowerCase());
    if (arg?.Integer) return (arg.Integer.ival ?? 0) !== 0;
    return true;
  });
}

/**
 * Checks one parsed statement (a libpg-query node, `{ SelectStmt: … }`) for the read-only console.
 * `embedded`: the database runs everything as a superuser (PGlite), so the whole tree is walked
 * and every way out of a query is refused — not only at the top, but in subqueries, CTEs and
 * function arguments. On a server (`embedded` false) only the statement's kind is checked: the
 * console's login role is the boundary there.
 *
 * @example
 * guardStatement(parser.parse("select pg_read_file('/etc/passwd')")[0].node, { embedded: true }); // throws REFUSED
 */
export function guardStatement(node: Json, options: { embedded: boolean }): GuardedStatement {
  const [kind, body] = Object.entries(node as Record<string, Json>)[0] ?? ['', null];
  if (!TOP_LEVEL.has(kind)) {
    const name = kind.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    throw refuse(`${name || 'this'} statements`, 'It runs queries only (SELECT, VALUES, TABLE, WITH, EXPLAIN, SHOW). Writing needs a studio started with --write, and "allow writes".');
  }
  const explain = kind === 'ExplainStmt' ? (body as Record<string, Json>) : null;
  if (explain && options.embedded && isAnalyze(explain)) {
    throw refuse('EXPLAIN ANALYZE on the embedded database', 'It runs the statement, and PGlite cannot stop a running statement: use EXPLAIN without ANALYZE.');
  }
  const planOnly = kind === 'VariableShowStmt' || explain !== null;
  const functions = new Set<string>();
  const walk = (value: Json): void => {
    if (Array.isArray(value)) {
      for (const v of value) walk(v);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value as Record<string, Json>)) {
      if (/^[A-Z]/.test(key) && key.endsWith('Stmt') && !NESTED.has(key)) {
        throw refuse(`a ${key.replace(/Stmt$/, '')} statement inside a query`, 'It runs queries only.');
      }
      if (options.embedded) {
        if (key === 'intoClause') throw refuse('SELECT … INTO', 'It runs queries only; it creates no tables.');
        if (key === 'withClause' && (child as { recursive?: boolean }).recursive) {
          throw refuse('WITH RECURSIVE on the embedded database', 'A recursive query can run forever, and PGlite cannot stop a running statement.');
        }
        if (key === 'FuncCall') {
          const parts = ((child as { funcname?: { String?: { sval?: string } }[] }).funcname ?? []).map((p) => p.String?.sval ?? '');
          const name = parts[parts.length - 1] ?? '';
          const denied = deniedFunction(name);
          if (denied) {
            throw refuse(`${denied}() on the embedded database`, 'PGlite runs every statement as a superuser, so the console refuses functions that reach files, programs, large objects, settings, other statements given as text, or that cannot be interrupted.');
          }
          functions.add(name.toLowerCase());
        }
      }
      walk(child);
    }
  };
  walk(body);
  return { kind, functions: [...functions], planOnly };
}
