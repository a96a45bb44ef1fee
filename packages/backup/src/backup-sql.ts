import { qualify, quoteIdent, quoteLiteral } from '@strata/core';
import type { Queryable } from '@strata/db';

const columnList = (columns: string[]) => (columns.length === 0 ? '' : ` (${columns.map(quoteIdent).join(', ')})`);

/** The COPY statement that loads one table's rows (as written in, and rebuilt from, the file). */
export function copyFromSql(t: { schema: string; name: string; columns: string[] }): string {
  return `COPY ${qualify(t.schema, t.name)}${columnList(t.columns)} FROM stdin`;
}

/** The COPY statement that reads one table's rows, or the rows of one range of its pages (`to` open when absent). */
export function copyToSql(t: { schema: string; name: string; columns: string[] }, pages?: { from: number; to?: number }): string {
  if (!pages) return `COPY ${qualify(t.schema, t.name)}${columnList(t.columns)} TO STDOUT`;
  const cols = t.columns.map(quoteIdent).join(', ');
  const upper = pages.to === undefined ? '' : ` AND ctid < '(${pages.to},0)'::tid`;
  return `COPY (SELECT ${cols} FROM ONLY ${qualify(t.schema, t.name)} WHERE ctid >= '(${pages.from},0)'::tid${upper}) TO STDOUT`;
}

/** One setting as the file spells it for psql. */
export function settingSql(name: string, value: string): string {
  return `SELECT pg_catalog.set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, false);`;
}

/** Applies settings for the current transaction only (`SET LOCAL`), so a pooled connection is left as it was. */
export async function applyLocalSettings(q: Queryable, settings: Readonly<Record<string, string>>): Promise<void> {
  for (const [name, value] of Object.entries(settings)) {
    await q.query('select pg_catalog.set_config($1, $2, true)', [name, value]);
  }
}
