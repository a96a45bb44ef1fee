import { statSync } from 'node:fs';
import { StrataError } from '@strata/core';
import { tableLabel, type BackupHeader, type BackupTrailer } from './backup-format.js';
import type { ProgressCallback } from './progress.js';
import { readBackup } from './read-backup.js';

/** What a verified backup holds. */
export interface BackupInfo {
  file: string;
  /** Size of the file on disk. */
  bytes: number;
  header: BackupHeader;
  trailer: BackupTrailer;
  /** Every table with its rows and the sha256 of its COPY data, as checked. */
  tables: { schema: string; name: string; rows: number; sha256: string }[];
}

/**
 * Reads a whole backup file and checks it (format, header, every statement's framing, every
 * table's rows and checksum, the checksum of the whole content, the end) without touching any
 * database. Throws `BACKUP_INVALID` saying what is wrong and on which line.
 *
 * @example
 * const info = await verifyBackup('backups/app-20261126T004500Z.strata.gz');
 * console.log(info.header.tables.length, info.trailer.rows);
 */
export async function verifyBackup(file: string, options: { onProgress?: ProgressCallback } = {}): Promise<BackupInfo> {
  let header: BackupHeader | null = null;
  let rowsDone = 0;
  let tablesDone = 0;
  let tableRows = 0;
  let table: string | null = null;
  let rowsTotal = 0;
  const tables: BackupInfo['tables'] = [];
  const report = () =>
    options.onProgress?.({ phase: 'verify', table, tableRows, rowsDone, rowsTotal, tablesDone, tablesTotal: header?.tables.length ?? 0 });
  let lastReport = 0;
  for await (const e of readBackup(file)) {
    switch (e.kind) {
      case 'header':
        header = e.header;
        rowsTotal = header.tables.reduce((n, t) => n + t.rows, 0);
        report();
        break;
      case 'statement':
        break;
      case 'table':
        table = tableLabel(e.table);
        tableRows = 0;
        break;
      case 'rows':
        tableRows += e.rows;
        rowsDone += e.rows;
        if (rowsDone - lastReport >= 10_000) {
          lastReport = rowsDone;
          report();
        }
        break;
      case 'table-end':
        tables.push({ schema: e.table.schema, name: e.table.name, rows: e.end.rows, sha256: e.end.sha256 });
        tablesDone++;
        report();
        table = null;
        break;
      case 'end':
        if (!header) throw new StrataError('INTERNAL', 'backup ended without a header');
        return { file, bytes: statSync(file).size, header, trailer: e.trailer, tables };
      default: {
        const never: never = e;
        throw new Error(`unknown backup event ${JSON.stringify(never)}`);
      }
    }
  }
  throw new StrataError('BACKUP_INVALID', `${file}: the file ended before its end line`);
}
