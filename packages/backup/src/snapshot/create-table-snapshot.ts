import { cutToBytes, qualify, quoteIdent, StrataError, MAX_IDENTIFIER_BYTES } from '@strata/core';
import type { DatabaseClient } from '@strata/db';
import { tableLabel } from '../backup-format.js';
import type { ProgressCallback } from '../progress.js';
import { liveColumns, tableKey } from './live-columns.js';
import { managedSchemas, resolveTables } from './resolve-tables.js';
import { MANIFEST_TABLE, snapshotSchema } from './snapshot-name.js';
import type { TableName } from './table-list.js';

export interface CreateSnapshotOptions {
  /** Tables to copy; default every table of the managed schemas. */
  tables?: TableName[];
  /** Managed schemas; default every user schema but Strata's (`strata`, `strata_snapshot_*`) and drizzle's. */
  schemas?: string[];
  onProgress?: ProgressCallback;
}

/** One table of a snapshot, as its manifest records it. */
export interface SnapshotTable {
  schema: string;
  name: string;
  /** The copy's name inside the snapshot schema. */
  copy: string;
  /** The copied columns and their types at the time (generated columns are left out). */
  columns: { name: string; type: string }[];
  rows: number;
}

export interface SnapshotResult {
  name: string;
  schema: string;
  createdAt: string;
  tables: SnapshotTable[];
  rows: number;
}

/** `schema.table` when it fits in a name, else shortened and numbered: unique within the snapshot. */
function copyNames(tables: { schema: string; name: string }[]): string[] {
  const used = new Set([MANIFEST_TABLE]);
  return tables.map((t, i) => {
    let name = `${t.schema}.${t.name}`;
    if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES || used.has(name)) {
      name = `${cutToBytes(name, 50)}~${i + 1}`;
    }
    used.add(name);
    return name;
  });
}

/**
 * Copies tables into the schema `strata_snapshot_<name>` (the guide's "snapshot tables"), all in
 * one repeatable-read transaction so the copies agree with each other, with a manifest table
 * recording the time, the tables, their columns and row counts. Columns of user-defined types
 * (enums, domains) are kept as text, so a snapshot never holds a migration back from changing them.
 *
 * @example
 * const s = await createTableSnapshot(db, 'before-v2', { tables: [{ name: 'users' }] });
 */
export async function createTableSnapshot(client: DatabaseClient, name: string, options: CreateSnapshotOptions = {}): Promise<SnapshotResult> {
  const schema = snapshotSchema(name);
  return client.session((session) =>
    session.transaction(async (tx) => {
      await tx.exec('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const exists = await tx.query('select 1 from pg_namespace where nspname = $1', [schema]);
      if (exists.rows.length > 0) {
        throw new StrataError('REFUSED', `snapshot "${name}" already exists`, { hint: `Pick another name, or drop it first: strata snapshot drop ${name}` });
      }
      const schemas = await managedSchemas(tx, options.schemas);
      const tables = await resolveTables(tx, schemas, options.tables);
      if (tables.length === 0) {
        throw new StrataError('NOT_FOUND', `no tables to snapshot in ${schemas.join(', ') || 'this database'}`, { hint: 'Name them with --tables, or create tables first.' });
      }
      const columns = await liveColumns(tx, tables);
      const names = copyNames(tables);
      await tx.exec(`CREATE SCHEMA ${quoteIdent(schema)};
        CREATE TABLE ${qualify(schema, MANIFEST_TABLE)} (
          copy_name text PRIMARY KEY,
          source_schema text NOT NULL,
          source_table text NOT NULL,
          columns jsonb NOT NULL,
          row_count bigint NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now(),
          UNIQUE (source_schema, source_table)
        )`);
      const out: SnapshotTable[] = [];
      let rowsDone = 0;
      for (const [i, t] of tables.entries()) {
        options.onProgress?.({ phase: 'data', table: tableLabel(t), tableRows: 0, rowsDone, rowsTotal: 0, tablesDone: i, tablesTotal: tables.length });
        const cols = (columns.get(tableKey(t)) ?? []).filter((c) => !c.generated);
        const select = cols.map((c) => (c.userType ? `${quoteIdent(c.name)}::text AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ');
        await tx.exec(`CREATE TABLE ${qualify(schema, names[i]!)} AS SELECT ${select} FROM ONLY ${qualify(t.schema, t.name)}`);
        const n = await tx.query<{ n: string }>(`select count(*)::text as n from ${qualify(schema, names[i]!)}`);
        const rows = Number(n.rows[0]?.n ?? 0);
        const recorded = cols.map((c) => ({ name: c.name, type: c.type }));
        await tx.query(
          `insert into ${qualify(schema, MANIFEST_TABLE)} (copy_name, source_schema, source_table, columns, row_count) values ($1, $2, $3, $4::jsonb, $5)`,
          [names[i], t.schema, t.name, JSON.stringify(recorded), rows],
        );
        out.push({ schema: t.schema, name: t.name, copy: names[i]!, columns: recorded, rows });
        rowsDone += rows;
      }
      const created = await tx.query<{ at: string }>(
        `select to_char(min(created_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as at from ${qualify(schema, MANIFEST_TABLE)}`,
      );
      options.onProgress?.({ phase: 'done', table: null, tableRows: 0, rowsDone, rowsTotal: rowsDone, tablesDone: tables.length, tablesTotal: tables.length });
      return { name, schema, createdAt: created.rows[0]?.at ?? '', tables: out, rows: rowsDone };
    }),
  );
}
