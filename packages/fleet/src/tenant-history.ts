import { createHash } from 'node:crypto';
import { MAX_IDENTIFIER_BYTES } from '@strata/core';
import type { HistoryOptions } from '@strata/runner';

/**
 * The history table of one tenant schema: in the config's history schema (so introspecting the
 * tenant schema never sees it), named `<table>__<tenant>`; a name longer than PostgreSQL keeps is
 * cut and ends in 8 hex digits of the tenant's sha256, so two tenants never share a table. Each
 * history table has its own migration lock (`migrationLockKey`), so tenants of one database
 * migrate side by side.
 *
 * @example
 * tenantHistory({ schema: 'strata', table: 'migrations' }, 'acme') // => { schema: 'strata', table: 'migrations__acme' }
 */
export function tenantHistory(base: HistoryOptions, tenant: string): HistoryOptions {
  const table = `${base.table}__${tenant}`;
  if (Buffer.byteLength(table, 'utf8') <= MAX_IDENTIFIER_BYTES) return { schema: base.schema, table };
  const hash = createHash('sha256').update(tenant).digest('hex').slice(0, 8);
  return { schema: base.schema, table: `${cutToBytes(table, MAX_IDENTIFIER_BYTES - 9)}_${hash}` };
}

/** The longest start of `s` of at most `max` UTF-8 bytes, on a character boundary. */
function cutToBytes(s: string, max: number): string {
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch, 'utf8') > max) break;
    out += ch;
  }
  return out;
}
