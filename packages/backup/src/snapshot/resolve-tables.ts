import { StrataError } from '@strata/core';
import type { Queryable } from '@strata/db';
import { listTables, listUserSchemas } from '../catalog.js';
import { SNAPSHOT_SCHEMA_PREFIX } from './snapshot-name.js';
import type { TableName } from './table-list.js';

/** The schemas whose tables a snapshot takes by default: every user schema but Strata's own. */
export async function managedSchemas(q: Queryable, schemas?: string[]): Promise<string[]> {
  const all = await listUserSchemas(q, ['strata', 'drizzle']);
  const user = all.filter((s) => !s.startsWith(SNAPSHOT_SCHEMA_PREFIX));
  return schemas ? user.filter((s) => schemas.includes(s)) : user;
}

/**
 * The tables to snapshot: those named (an unqualified name is looked up in the managed schemas
 * and must be found in exactly one), or every table of the managed schemas.
 */
export async function resolveTables(q: Queryable, schemas: string[], names?: TableName[]): Promise<{ schema: string; name: string }[]> {
  const available = await listTables(q, names?.some((n) => n.schema) ? [...new Set([...schemas, ...names.flatMap((n) => (n.schema ? [n.schema] : []))])] : schemas);
  if (!names) return available.map((t) => ({ schema: t.schema, name: t.name }));
  const out: { schema: string; name: string }[] = [];
  for (const n of names) {
    const found = available.filter((t) => t.name === n.name && (n.schema ? t.schema === n.schema : schemas.includes(t.schema)));
    const label = n.schema ? `${n.schema}.${n.name}` : n.name;
    if (found.length === 0) throw new StrataError('NOT_FOUND', `table ${label} not found${n.schema ? '' : ` in ${schemas.join(', ')}`}`, { hint: 'Name it as schema.table; quote a name with capitals, dots or spaces: "My Table".' });
    if (found.length > 1) throw new StrataError('USAGE', `table ${label} is in ${found.map((t) => t.schema).join(' and ')}`, { hint: `Say which: ${found.map((t) => `${t.schema}.${t.name}`).join(' or ')}` });
    if (!out.some((t) => t.schema === found[0]!.schema && t.name === found[0]!.name)) out.push({ schema: found[0]!.schema, name: found[0]!.name });
  }
  return out;
}
