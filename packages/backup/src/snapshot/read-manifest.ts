import { qualify, StrataError } from '@strata/core';
import type { Queryable } from '@strata/db';
import type { SnapshotTable } from './create-table-snapshot.js';
import { MANIFEST_TABLE } from './snapshot-name.js';

export interface Manifest {
  createdAt: string;
  tables: SnapshotTable[];
}

/** The manifest of a snapshot, or null when the schema is not a Strata snapshot. */
export async function tryReadManifest(q: Queryable, schema: string): Promise<Manifest | null> {
  const exists = await q.query<{ t: string | null }>('select to_regclass($1)::text as t', [qualify(schema, MANIFEST_TABLE)]);
  if (exists.rows[0]?.t == null) return null;
  const r = await q.query<{ copy: string; schema: string; name: string; columns: { name: string; type: string }[]; rows: string; at: string }>(
    `select copy_name as copy, source_schema as schema, source_table as name, columns, row_count::text as rows,
            to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at
       from ${qualify(schema, MANIFEST_TABLE)} order by source_schema collate "C", source_table collate "C"`,
  );
  return {
    createdAt: r.rows.map((x) => x.at).sort()[0] ?? '',
    tables: r.rows.map((x) => ({ schema: x.schema, name: x.name, copy: x.copy, columns: x.columns, rows: Number(x.rows) })),
  };
}

/** The manifest of snapshot `name`, or a NOT_FOUND error. */
export async function readManifest(q: Queryable, name: string, schema: string): Promise<Manifest> {
  const m = await tryReadManifest(q, schema);
  if (!m) throw new StrataError('NOT_FOUND', `snapshot "${name}" not found (no schema ${schema} with a manifest)`, { hint: 'List the snapshots with: strata snapshot list' });
  return m;
}
