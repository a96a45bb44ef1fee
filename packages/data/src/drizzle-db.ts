import { drizzle, type PgRemoteDatabase } from 'drizzle-orm/pg-proxy';
import { StrataError } from '@strata/core';
import type { Queryable } from '@strata/db';

/** drizzle-orm on Strata's connection (the pg-proxy driver over a `Queryable`). */
export type DataDatabase = PgRemoteDatabase<Record<string, never>>;

/**
 * A drizzle database whose statements run through `q`, so they take part in whatever transaction
 * is open there. Row queries come back as arrays (drizzle maps them by position, which keeps
 * joined columns of the same name apart).
 *
 * @example
 * const db = createDrizzleDb(session); await db.select().from(users);
 */
export function createDrizzleDb(q: Queryable): DataDatabase {
  const db = drizzle(async (sql, params, method) => {
    const r = await q.query(sql, params, method === 'all' ? { rowMode: 'array' } : undefined);
    return { rows: r.rows };
  });
  // The proxy driver cannot open transactions itself; say what to use instead of its generic error.
  Object.defineProperty(db, 'transaction', {
    value: () =>
      Promise.reject(new StrataError('USAGE', 'ctx.db.transaction() is not available in a data migration', {
        hint: 'Use ctx.transaction(async (tx) => { await tx.db.update(…) }) — or ctx.batch, whose callback already runs in a transaction.',
      })),
  });
  return db;
}
