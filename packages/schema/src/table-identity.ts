import { truncateIdentifier } from '@strata/core';
import { getTableName } from './drizzle.js';
import type { PgTable } from 'drizzle-orm/pg-core';

const SCHEMA = Symbol.for('drizzle:Schema');

/**
 * A table's schema and name as PostgreSQL stores them, read without running the table's third
 * argument (which `getTableConfig` does, and which may throw).
 *
 * @example
 * tableIdentity(pgSchema('auth').table('users', {})) // => { schema: 'auth', name: 'users' }
 */
export function tableIdentity(table: PgTable): { schema: string; name: string } {
  const schema = (table as unknown as Record<symbol, string | undefined>)[SCHEMA];
  return { schema: truncateIdentifier(schema ?? 'public'), name: truncateIdentifier(getTableName(table)) };
}
