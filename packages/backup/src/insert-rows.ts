import { qualify, quoteIdent } from '@strata/core';
import type { DatabaseClient, Session } from '@strata/db';
import type { BackupTable } from './backup-format.js';
import { decodeCopyRows } from './copy-text.js';

/**
 * Whether `COPY … FROM STDIN` can be used on this client (see `Capabilities.copyFromStdin`: an
 * embedded database served to other processes over a socket loses the COPY sub-protocol).
 */
export function copyInWorks(client: DatabaseClient): boolean {
  return client.copyIn !== undefined && client.capabilities.copyFromStdin;
}

const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Loads COPY text rows with `INSERT … SELECT` over a JSON array, for a connection where COPY FROM
 * STDIN does not work: slower, same result (each value goes through its type's input function).
 */
export async function insertCopyRows(tx: Session, table: BackupTable, source: AsyncIterable<Buffer>): Promise<number> {
  const types = await tx.query<{ name: string; type: string }>(
    `select a.attname as name, pg_catalog.format_type(a.atttypid, a.atttypmod) as type
       from pg_attribute a where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
    [qualify(table.schema, table.name)],
  );
  const typeOf = new Map(types.rows.map((r) => [r.name, r.type]));
  const select = table.columns.map((c, i) => `CAST(r->>${i} AS ${typeOf.get(c) ?? 'text'})`).join(', ');
  const target = table.columns.map(quoteIdent).join(', ');
  const sql = table.columns.length === 0
    ? `INSERT INTO ${qualify(table.schema, table.name)} SELECT FROM json_array_elements($1::json) r`
    : `INSERT INTO ${qualify(table.schema, table.name)} (${target}) OVERRIDING SYSTEM VALUE SELECT ${select} FROM json_array_elements($1::json) r`;
  let rows = 0;
  let batch: Buffer[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const decoded = decodeCopyRows(Buffer.concat(batch));
    batch = [];
    bytes = 0;
    const r = await tx.query(sql, [JSON.stringify(decoded)]);
    rows += r.rowCount;
  };
  for await (const chunk of source) {
    batch.push(chunk);
    bytes += chunk.length;
    if (bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  return rows;
}
