import type { QueryResult, Queryable, Row } from '@strata/db';
import { createDrizzleDb } from './drizzle-db.js';
import type { ProxyDrizzle } from './project-drizzle.js';
import { toParameterized } from './sql-template.js';
import type { DataTx } from './types.js';

/** Counts the rows changed by the statements sent through one `DataTx`. */
export interface WriteCounter {
  changed: number;
}

// A statement counts as a write when its first keyword (after comments and parentheses) is one;
// a WITH query counts when it holds a data-modifying statement.
const FIRST_WORD = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/|\()*([a-z]+)/i;
const WRITE = /^(?:update|insert|delete|merge)$/i;
const WRITE_INSIDE = /\b(?:update|insert|delete|merge)\b/i;

/** True for an UPDATE, INSERT, DELETE or MERGE (also inside WITH). */
export function isWriteStatement(sql: string): boolean {
  const word = FIRST_WORD.exec(sql)?.[1] ?? '';
  if (WRITE.test(word)) return true;
  return /^with$/i.test(word) && WRITE_INSIDE.test(sql);
}

/**
 * Wraps a connection (or a transaction on it) as the `DataTx` a migration sees: raw SQL, a
 * tagged template and drizzle, all counting the rows their writes change. `rewrite` (a tenant
 * run's schema substitution) is applied to every statement's text before it is sent. `driver`
 * builds `db` (the project's drizzle-orm 1.x; default Strata's own).
 */
export function createDataTx(
  q: Queryable, counter: WriteCounter = { changed: 0 }, rewrite: (sql: string) => string = (s) => s, driver?: ProxyDrizzle,
): DataTx {
  const counted: Queryable = {
    async query<R = Row>(text: string, params?: readonly unknown[], options?: Parameters<Queryable['query']>[2]): Promise<QueryResult<R>> {
      const r = await q.query<R>(rewrite(text), params, options);
      if (isWriteStatement(text)) counter.changed += r.rowCount;
      return r;
    },
    exec: (text) => q.exec(rewrite(text)),
  };
  return {
    db: createDrizzleDb(counted, driver),
    query: (text, params) => counted.query(text, params),
    sql: (strings, ...values) => {
      const { text, params } = toParameterized(strings, ...values);
      return counted.query(text, params);
    },
  };
}
