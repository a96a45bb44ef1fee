export { defineDataMigration, isDataMigration, type DataMigration } from './define.js';
export type {
  DataMigrationContext, DataMigrationDefinition, DataTx, DataLogger, BatchOptions, BatchInfo, BatchFn, BatchSummary, BatchProgress,
  DryRunBatch, TableRef, KeyRef, DataTenant,
} from './types.js';
export type { DataDatabase } from './drizzle-db.js';
export {
  runDataMigrations, findDataMigration, type RunDataMigrationsOptions, type DataRunHooks, type DataRunReport, type DataMigrationOutcome,
  type DataLogLevel,
} from './run-data-migrations.js';
export { dataMigrationStatus, type DataMigrationStatus, type DataMigrationState } from './data-status.js';
export { createDataMigrationFile, slugify, timestampOf } from './scaffold.js';
export { dataMigrationTemplate } from './template.js';
export { listDataMigrationFiles, checksumOf, DATA_FILE_PATTERN, type DataMigrationFile } from './migration-files.js';
export { loadDataMigration } from './load-data-migration.js';
export { DataHistory, DEFAULT_HISTORY, type HistoryRow, type HistoryStatus, type HistoryLocation } from './history-table.js';
export { DATA_LOCK_KEY, isDataLockHeld } from './data-lock.js';
export type { Checkpoint, WalkCheckpoint } from './checkpoint.js';
export { toParameterized } from './sql-template.js';
