import type { DatabaseClient } from '@strata/db';
import type { WalkCheckpoint } from './checkpoint.js';
import { isDataLockHeld } from './data-lock.js';
import { DEFAULT_HISTORY, DataHistory } from './history-table.js';
import { listDataMigrationFiles } from './migration-files.js';

/**
 * Where a data migration stands. `interrupted`: a run started it and is no longer running (killed,
 * or its connection lost); the next `data run` resumes it from its checkpoint.
 */
export type DataMigrationState = 'pending' | 'running' | 'interrupted' | 'failed' | 'done';

export interface DataMigrationStatus {
  name: string;
  /** The file, or null when the history knows a migration whose file is gone. */
  file: string | null;
  state: DataMigrationState;
  /** The file differs from the one that ran (for a finished migration: it is not run again). */
  checksumChanged: boolean;
  /** Rows its batches walked so far. */
  rows: number;
  startedAt: string | null;
  updatedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** Each batch walk's checkpoint. */
  walks: Record<string, WalkCheckpoint>;
}

/**
 * Lists every data migration, from the directory and the history table, in name order. Reads
 * only: a database without the history table shows every file as pending.
 *
 * @example
 * for (const m of await dataMigrationStatus({ db, dir: './scripts/data' })) console.log(m.name, m.state);
 */
export async function dataMigrationStatus(options: {
  db: DatabaseClient;
  dir: string;
  historySchema?: string;
  historyTable?: string;
  /** The lock the runs of this history take (a tenant's own key; default: the data lock). */
  lockKey?: bigint;
}): Promise<DataMigrationStatus[]> {
  const files = listDataMigrationFiles(options.dir);
  const history = new DataHistory(options.db, { schema: options.historySchema ?? DEFAULT_HISTORY.schema, table: options.historyTable ?? DEFAULT_HISTORY.table });
  const rows = (await history.exists()) ? await history.list() : [];
  const running = rows.some((r) => r.status === 'running') && (await isDataLockHeld(options.db, options.lockKey));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const names = [...new Set([...files.map((f) => f.name), ...rows.map((r) => r.name)])].sort();
  const fileOf = new Map(files.map((f) => [f.name, f]));
  return names.map((name): DataMigrationStatus => {
    const f = fileOf.get(name);
    const r = byName.get(name);
    const state: DataMigrationState = !r ? 'pending' : r.status === 'running' ? (running ? 'running' : 'interrupted') : r.status;
    return {
      name,
      file: f?.file ?? null,
      state,
      checksumChanged: Boolean(f && r && f.checksum !== r.checksum),
      rows: r?.rows ?? 0,
      startedAt: r?.startedAt ?? null,
      updatedAt: r?.updatedAt ?? null,
      finishedAt: r?.finishedAt ?? null,
      error: r?.error ?? null,
      walks: r?.checkpoint.walks ?? {},
    };
  });
}
