import { StrataError } from '@strata/core';
import { QueryError, type DatabaseClient, type Session } from '@strata/db';
import { SESSION_SETTINGS, tableLabel, type BackupHeader, type BackupTable } from './backup-format.js';
import { applyLocalSettings, copyFromSql } from './backup-sql.js';
import { listUserObjects } from './catalog.js';
import { cleanDatabase } from './clean-database.js';
import { copyInWorks, insertCopyRows } from './insert-rows.js';
import type { BackupProgress, ProgressCallback } from './progress.js';
import { readBackup, type BackupEvent } from './read-backup.js';
import { verifyBackup, type BackupInfo } from './verify-backup.js';

export interface RestoreOptions {
  /** Drop every user object of the target first (in the same transaction); without it a target that is not empty is refused. */
  clean?: boolean;
  /** Bytes of rows per COPY where COPY does not stream (PGlite), to bound memory; default 32 MiB. */
  bytesPerCopy?: number;
  onProgress?: ProgressCallback;
  /**
   * The result of a `verifyBackup` of this file just made by the caller (e.g. before asking for a
   * confirmation), so it is not read an extra time. The restore still checks every byte as it
   * loads them and rolls back on any difference.
   */
  verified?: BackupInfo;
  /**
   * Load rows with COPY (default, where it works) or with INSERT statements (an embedded database
   * served over a socket, e.g. while `strata studio` runs, cannot take COPY FROM STDIN).
   */
  copy?: boolean;
}

export interface RestoreResult {
  file: string;
  header: BackupHeader;
  tables: { schema: string; name: string; rows: number }[];
  rows: number;
  statements: number;
  /** Objects the target held before (dropped by `clean`). */
  dropped: number;
  durationMs: number;
}

/**
 * Restores a backup into a database: first reads and checks the whole file (nothing is touched if
 * it is damaged), then, in ONE transaction, optionally drops what the target holds, runs the
 * schema, loads every table with COPY and adds the indexes, constraints, sequence positions and
 * materialized views. Any failure rolls everything back.
 *
 * @example
 * const r = await restoreBackup(db, 'backups/app-20261126T004500Z.strata.gz', { clean: true });
 * console.log(`${r.tables.length} tables, ${r.rows} rows`);
 */
export async function restoreBackup(client: DatabaseClient, file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const started = Date.now();
  const info = options.verified ?? (await verifyBackup(file, { onProgress: options.onProgress }));
  const unknown = Object.keys(info.header.settings).filter((k) => !(k in SESSION_SETTINGS));
  if (unknown.length > 0) {
    throw new StrataError('BACKUP_INVALID', `${file}: the header sets ${unknown.join(', ')}, which a Strata backup never sets`, {
      hint: 'The file was not written by Strata; nothing was restored from it.',
    });
  }
  return client.session((session) =>
    session.transaction(async (tx) => {
      await applyLocalSettings(tx, info.header.settings);
      const objects = await listUserObjects(tx);
      if (objects.length > 0) {
        if (!options.clean) throw notEmpty(client, objects);
        await cleanDatabase(tx);
      }
      const loaded = await load(client, tx, file, info, options);
      return { file, header: info.header, ...loaded, dropped: objects.length, durationMs: Date.now() - started };
    }),
  );
}

/** The error for a target that holds objects, naming a few of them. */
export function notEmpty(client: DatabaseClient, objects: { kind: string; name: string }[]): StrataError {
  const shown = objects.slice(0, 5).map((o) => `${o.kind} ${o.name}`).join(', ');
  return new StrataError('NOT_EMPTY', `${client.displayUrl} is not empty: it holds ${objects.length} object${objects.length === 1 ? '' : 's'} (${shown}${objects.length > 5 ? ', …' : ''})`, {
    hint: 'Restore into an empty database, or pass --clean to drop everything it holds first (in the same transaction).',
  });
}

async function load(client: DatabaseClient, tx: Session, file: string, info: BackupInfo, options: RestoreOptions) {
  const useCopy = (options.copy ?? copyInWorks(client)) && tx.copyIn !== undefined;
  const copyIn = (sql: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) => tx.copyIn!(sql, source);
  const tables: { schema: string; name: string; rows: number }[] = [];
  const tablesTotal = info.header.tables.length;
  const rowsTotal = info.trailer.rows;
  let rowsDone = 0;
  let statements = 0;
  const report = (p: Partial<BackupProgress> & Pick<BackupProgress, 'phase'>) =>
    options.onProgress?.({ table: null, tableRows: 0, rowsDone, rowsTotal, tablesDone: tables.length, tablesTotal, ...p });

  const events = readBackup(file)[Symbol.asyncIterator]();
  const next = async (): Promise<BackupEvent | null> => {
    const r = await events.next();
    return r.done ? null : r.value;
  };
  /** The current table's rows, up to its (checked) end line. */
  async function* rowsOf(table: BackupTable): AsyncGenerator<Buffer> {
    let tableRows = 0;
    for (;;) {
      const e = await next();
      if (!e || e.kind === 'table-end') return;
      if (e.kind !== 'rows') throw new StrataError('INTERNAL', `unexpected ${e.kind} inside the data of ${tableLabel(table)}`);
      tableRows += e.rows;
      rowsDone += e.rows;
      report({ phase: 'data', table: tableLabel(table), tableRows });
      yield e.chunk;
    }
  }

  report({ phase: 'schema' });
  try {
    await replay();
  } finally {
    await events.return?.(undefined);
  }
  report({ phase: 'done' });
  return { tables, rows: rowsDone, statements };

  async function replay(): Promise<void> {
    for (let e = await next(); e; e = await next()) {
      switch (e.kind) {
        case 'header':
        case 'rows':
        case 'table-end':
        case 'end':
          break;
        case 'statement':
          if (e.section === 'post-data' && e.index === 0) report({ phase: 'constraints' });
          await runStatement(tx, file, e.section, e.index, e.sql);
          statements++;
          break;
        case 'table': {
          const sql = copyFromSql(e.table);
          const rows = !useCopy
            ? await insertCopyRows(tx, e.table, rowsOf(e.table))
            : client.capabilities.streamingCopy
              ? await copyIn(sql, rowsOf(e.table))
              : await copyInBatches(copyIn, sql, rowsOf(e.table), options.bytesPerCopy ?? 32 * 1024 * 1024);
          if (rows !== e.table.rows) {
            throw new StrataError('INTERNAL', `table ${tableLabel(e.table)}: the file holds ${e.table.rows} rows, COPY loaded ${rows}`);
          }
          tables.push({ schema: e.table.schema, name: e.table.name, rows });
          report({ phase: 'data', table: tableLabel(e.table), tableRows: rows });
          break;
        }
        default: {
          const never: never = e;
          throw new Error(`unknown backup event ${JSON.stringify(never)}`);
        }
      }
    }
  }
}

/** Without streaming COPY, several COPY statements of at most `limit` bytes each (rows stay whole). */
async function copyInBatches(
  copyIn: (sql: string, source: Iterable<Uint8Array>) => Promise<number>,
  sql: string,
  source: AsyncIterable<Buffer>,
  limit: number,
): Promise<number> {
  let rows = 0;
  let batch: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of source) {
    batch.push(chunk);
    bytes += chunk.length;
    if (bytes >= limit) {
      rows += await copyIn(sql, batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) rows += await copyIn(sql, batch);
  return rows;
}

async function runStatement(tx: Session, file: string, section: string, index: number, sql: string): Promise<void> {
  try {
    await tx.exec(sql);
  } catch (e) {
    if (!(e instanceof QueryError)) throw e;
    const first = sql.split('\n')[0] ?? '';
    throw new StrataError('QUERY_FAILED', `restoring ${file}: statement ${index + 1} of the ${section} section failed: ${e.message}`, {
      details: [`statement: ${first.length > 120 ? `${first.slice(0, 120)}…` : first}`, ...e.details],
      hint: 'Nothing was restored (the transaction was rolled back). A backup from a newer PostgreSQL may use what this server lacks.',
      cause: e,
    });
  }
}
