import { createPgliteClient } from '@strata/db';
import type { BenchServer } from './bench-server.js';

/** Tables in the schema `$1`, on a server or on PGlite. */
const TABLE_COUNT_SQL = 'select count(*)::text as n from pg_tables where schemaname = $1';

/** Tables in a schema of a database. */
export async function tableCount(server: BenchServer, database: string, schema = 'public'): Promise<number> {
  return server.withClient(database, async (db) => {
    const r = await db.query<{ n: string }>(TABLE_COUNT_SQL, [schema]);
    return Number(r.rows[0]?.n ?? 0);
  });
}

/** Tables in a schema of an embedded (PGlite) data directory; it must not be open elsewhere. */
export async function pgliteTableCount(dir: string, schema = 'public'): Promise<number> {
  const db = await createPgliteClient(dir);
  try {
    const r = await db.query<{ n: string }>(TABLE_COUNT_SQL, [schema]);
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await db.close();
  }
}

/** Whether `schema.table.column` exists. */
export async function columnExists(server: BenchServer, database: string, table: string, column: string, schema = 'public'): Promise<boolean> {
  return server.withClient(database, async (db) => {
    const r = await db.query(
      'select 1 from information_schema.columns where table_schema = $1 and table_name = $2 and column_name = $3',
      [schema, table, column],
    );
    return r.rows.length === 1;
  });
}

/** Whether a schema exists. */
export async function schemaExists(server: BenchServer, database: string, schema: string): Promise<boolean> {
  return server.withClient(database, async (db) => (await db.query('select 1 from pg_namespace where nspname = $1', [schema])).rows.length === 1);
}

/** Throws `message` unless `cond`. */
export function expect(cond: boolean, message: string): void {
  if (!cond) throw new Error(message);
}
