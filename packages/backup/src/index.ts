export {
  FORMAT_VERSION, SESSION_SETTINGS, tableLabel,
  type BackupHeader, type BackupTable, type BackupTrailer, type BackupMigration, type BackupDataMigration, type TableEnd,
} from './backup-format.js';
export { createBackup, type CreateBackupOptions, type BackupDdl, type BackupResult } from './create-backup.js';
export { backupDdl } from './backup-ddl.js';
export { verifyBackup, type BackupInfo } from './verify-backup.js';
export { restoreBackup, notEmpty, type RestoreOptions, type RestoreResult } from './restore-backup.js';
export { readBackup, type BackupEvent } from './read-backup.js';
export { availableBackupFile, backupFileName } from './backup-file-name.js';
export { listUserObjects as targetObjects, keysUsedByViews } from './catalog.js';
export { preDataSnapshot } from './pre-data-snapshot.js';
export type { BackupProgress, ProgressCallback } from './progress.js';
export type { HistoryLocations } from './read-histories.js';
export { createTableSnapshot, type CreateSnapshotOptions, type SnapshotResult, type SnapshotTable } from './snapshot/create-table-snapshot.js';
export { restoreTableSnapshot, type SnapshotRestoreResult, type RestoredTable } from './snapshot/restore-table-snapshot.js';
export { listTableSnapshots, dropTableSnapshot, type SnapshotSummary } from './snapshot/list-table-snapshots.js';
export { snapshotSchema, SNAPSHOT_SCHEMA_PREFIX } from './snapshot/snapshot-name.js';
export { parseTableList, type TableName } from './snapshot/table-list.js';
