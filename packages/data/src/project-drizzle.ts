import { createRequire } from 'node:module';
import { StrataError, drizzleOrmVersionFrom } from '@strata/core';
import type { QueryResult } from '@strata/db';
import { asNodePgRows } from './node-pg-values.js';

/** Runs one statement for drizzle: rows as arrays when `method` is `'all'`, with the result's field types. */
export type RunStatement = (sql: string, params: unknown[], method: 'all' | 'execute') => Promise<QueryResult<unknown>>;

/** Builds a drizzle database whose statements go through `run`. */
export type ProxyDrizzle = (run: RunStatement) => object;

type DrizzleCallback = (sql: string, params: unknown[], method: 'all' | 'execute') => Promise<{ rows: unknown[] }>;

/**
 * The pg-proxy driver of the drizzle-orm a data-migration file imports, when that is drizzle-orm
 * 1.x; null for 0.x or none (Strata's own drizzle-orm 0.45 then serves `tx.db`). The query
 * builder must come from the same major as the tables and operators: 1.x changed how `sql`
 * chunks hold their text, so `eq(users.id, 1)` from 1.x is unreadable to 0.45's builder. 1.x
 * decodes values with per-driver codecs: this driver gets node-postgres's, and rows shaped as
 * node-postgres returns them (asNodePgRows).
 *
 * @example
 * projectDrizzle('/app/scripts/data/20250101120000_backfill.ts') // => drizzle of the app's drizzle-orm 1.0.0-rc.5
 */
export function projectDrizzle(file: string): ProxyDrizzle | null {
  const require = createRequire(file);
  const version = drizzleOrmVersionFrom(file);
  if (version === null || Number.parseInt(version, 10) < 1) return null;
  let drizzle: (callback: DrizzleCallback, config: { codecs: unknown }) => object;
  let codecs: unknown;
  try {
    const driver = require('drizzle-orm/pg-proxy') as { drizzle?: unknown };
    codecs = (require('drizzle-orm/node-postgres/codecs') as { nodePgCodecs?: unknown }).nodePgCodecs;
    if (typeof driver.drizzle !== 'function' || codecs === undefined) throw new Error('drizzle-orm/pg-proxy or its node-postgres codecs are not where 1.0 has them');
    drizzle = driver.drizzle as typeof drizzle;
  } catch (cause) {
    const error = new StrataError('DATA_MIGRATION_FAILED', `${file}: could not load drizzle-orm ${version}'s pg-proxy driver for ctx.db: ${(cause as Error).message}`, {
      hint: 'ctx.db runs on the drizzle-orm the migration imports (1.0.0-rc.5 is tested); install that version again, or use ctx.query / ctx.sql.',
      cause,
    });
    // Only a migration that uses ctx.db needs the driver: the error comes with its first use.
    return () => new Proxy({}, { get: () => { throw error; } });
  }
  return (run) => drizzle(async (sql, params, method) => ({ rows: asNodePgRows(await run(sql, params, method)) }), { codecs });
}
