import { quoteIdent } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { readManifest, tryReadManifest } from './read-manifest.js';
import { SNAPSHOT_SCHEMA_PREFIX, snapshotSchema } from './snapshot-name.js';

/** One snapshot as `snapshot list` shows it. */
export interface SnapshotSummary {
  name: string;
  schema: string;
  createdAt: string;
  tables: { schema: string; name: string; rows: number }[];
  rows: number;
  /** Bytes on disk of the copies (tables and their TOAST). */
  bytes: number;
}

/**
 * Every snapshot in the database, newest first.
 *
 * @example
 * for (const s of await listTableSnapshots(db)) console.log(s.name, s.createdAt, s.rows);
 */
export async function listTableSnapshots(client: DatabaseClient): Promise<SnapshotSummary[]> {
  const schemas = await client.query<{ name: string; bytes: string }>(
    `select n.nspname as name,
            coalesce((select sum(pg_total_relation_size(c.oid)) from pg_class c where c.relnamespace = n.oid and c.relkind = 'r'), 0)::text as bytes
       from pg_namespace n where starts_with(n.nspname, $1) order by 1`,
    [SNAPSHOT_SCHEMA_PREFIX],
  );
  const out: SnapshotSummary[] = [];
  for (const s of schemas.rows) {
    const m = await tryReadManifest(client, s.name);
    if (!m) continue;
    out.push({
      name: s.name.slice(SNAPSHOT_SCHEMA_PREFIX.length),
      schema: s.name,
      createdAt: m.createdAt,
      tables: m.tables.map((t) => ({ schema: t.schema, name: t.name, rows: t.rows })),
      rows: m.tables.reduce((n, t) => n + t.rows, 0),
      bytes: Number(s.bytes),
    });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
}

/**
 * Drops a snapshot (its schema and everything in it).
 *
 * @example
 * await dropTableSnapshot(db, 'before-v2');
 */
export async function dropTableSnapshot(client: DatabaseClient, name: string): Promise<{ name: string; tables: number }> {
  const schema = snapshotSchema(name);
  return client.transaction(async (tx) => {
    const m = await readManifest(tx, name, schema);
    await tx.exec(`DROP SCHEMA ${quoteIdent(schema)} CASCADE`);
    return { name, tables: m.tables.length };
  });
}

