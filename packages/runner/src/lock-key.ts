import { createHash } from 'node:crypto';
import { DEFAULT_LOCK_KEY } from '@strata/db';
import { DEFAULT_HISTORY, type HistoryOptions } from './history-table.js';

/**
 * The advisory lock key of one history table: runners of the same history table exclude each
 * other, runners of different ones (a schema per tenant, each with its own history) do not — so
 * 500 tenant schemas in one database migrate side by side. The default table `strata.migrations`
 * keeps the key every earlier Strata used (`DEFAULT_LOCK_KEY`), so an older and a newer Strata
 * still exclude each other there; any other table gets the first 62 bits of
 * sha256 of the schema and table names (positive, so it reads the same in `pg_locks`).
 *
 * @example
 * migrationLockKey({ schema: 'tenant_42', table: 'migrations' }) // => 1234…n (stable)
 */
export function migrationLockKey(h: HistoryOptions): bigint {
  if (h.schema === DEFAULT_HISTORY.schema && h.table === DEFAULT_HISTORY.table) return DEFAULT_LOCK_KEY;
  const digest = createHash('sha256').update(`${h.schema}\u0000${h.table}`).digest();
  return digest.readBigUInt64BE(0) >> 2n;
}
