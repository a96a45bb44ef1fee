/** Where a backup, verification or restore is; passed to `onProgress` as it goes. */
export interface BackupProgress {
  phase: 'verify' | 'schema' | 'data' | 'constraints' | 'done';
  /** `schema.table` being copied, or null outside the data phase. */
  table: string | null;
  /** Rows of `table` done so far. */
  tableRows: number;
  rowsDone: number;
  rowsTotal: number;
  tablesDone: number;
  tablesTotal: number;
}

export type ProgressCallback = (p: BackupProgress) => void;
