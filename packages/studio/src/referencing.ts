import { StrataError, qualify, quoteIdent } from '@strata/core';
import type { Queryable } from '@strata/db';
import type { ReferencingCount, ReferencingRequest } from './api-types.js';
import { cappedCount, describeTable } from './catalog.js';

/** A row value as a query parameter: JSON values as their text, the rest as read. */
export function asParam(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
}

/**
 * How many rows of each table that references this one point at the given row (counted up to
 * 10,000), one entry per incoming foreign key. `values` must hold the referenced columns.
 *
 * @example
 * await countReferencing(db, { schema: 'public', table: 'users', values: { id: 1 } });
 * // [{ name: 'posts_user_id_fkey', schema: 'public', table: 'posts', columns: ['user_id'], refColumns: ['id'], count: { value: 3, kind: 'exact' } }]
 */
export async function countReferencing(q: Queryable, request: ReferencingRequest): Promise<ReferencingCount[]> {
  const table = await describeTable(q, request.schema, request.table);
  const out: ReferencingCount[] = [];
  for (const ref of table.referencedBy) {
    const missing = ref.refColumns.filter((c) => !(c in request.values));
    if (missing.length) {
      throw new StrataError('USAGE', `bad request: values must hold ${missing.map((m) => `"${m}"`).join(', ')} (referenced by ${ref.name})`);
    }
    const keys = ref.refColumns.map((c) => request.values[c]);
    // MATCH SIMPLE: a row whose referencing columns hold a NULL references nothing.
    if (keys.some((v) => v === null || v === undefined)) {
      out.push({ ...ref, count: { value: 0, kind: 'exact' } });
      continue;
    }
    const params = keys.map(asParam);
    const where = ref.columns.map((c, i) => `${quoteIdent(c)} = $${i + 1}`).join(' and ');
    out.push({ ...ref, count: await cappedCount(q, `${qualify(ref.schema, ref.table)} where ${where}`, params) });
  }
  return out;
}
