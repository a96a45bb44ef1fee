import { drizzle, type PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import { StrataError } from '@strata/core';
import type { Queryable } from '@strata/db';
import type { ProxyDrizzle, RunStatement } from './project-drizzle.js';

/** drizzle-orm on Strata's connection (the pg-proxy driver over a `Queryable`). */
export type DataDatabase = PgRemoteDatabase<Record<string, never>>;

/**
 * A drizzle database whose statements run through `q`, so they take part in whatever transaction
 * is open there. Row queries come back as arrays (drizzle maps them by position, which keeps
 * joined columns of the same name apart). `driver` builds it with the project's drizzle-orm 1.x
 * (see projectDrizzle); by default it is Strata's own 0.45. Either way it is typed as 0.45's.
 *
 * @example
 * const db = createDrizzleDb(session); await db.select().from(users);
 */
export function createDrizzleDb(q: Queryable, driver?: ProxyDrizzle): DataDatabase {
  const run: RunStatement = (sql, params, method) => q.query<unknown>(sql, params, method === 'all' ? { rowMode: 'array' } : undefined);
  const db = driver
    ? (driver(run) as DataDatabase)
    : drizzle(async (sql, params, method) => ({ rows: (await run(sql, params, method === 'all' ? 'all' : 'execute')).rows }));
  // The proxy driver cannot open transactions itself; say what to use instead of its generic error.
  Object.defineProperty(db, 'transaction', {
    value: () =>
      Promise.reject(new StrataError('USAGE', 'ctx.db.transaction() is not available in a data migration', {
        hint: 'Use ctx.transaction(async (tx) => { await tx.db.update(…) }) — or ctx.batch, whose callback already runs in a transaction.',
      })),
  });
  return db;
}
