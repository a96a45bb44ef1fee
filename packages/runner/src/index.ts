/**
 * @strata/runner: the migration folder (read, write, integrity file), the history table, the
 * migration lock, and applying, reporting and rolling back migrations. Takes a `DatabaseClient`
 * from @strata/db; works the same on PostgreSQL and PGlite.
 */
export {
  splitSql, scanSql, lineAndColumn, STATEMENT_BREAKPOINT, PART_MARKER, PART_MARKER_NO_TRANSACTION, type SqlStatement, type PartMarker,
} from './sql-splitter.js';
export {
  NO_TRANSACTION_DIRECTIVE, type Migration, type MigrationFile, type MigrationPart, type MigrationFolder, type MigrationMeta, type MultiStepMeta, type FolderProblem, type IntegrityIssue,
} from './migration.js';
export { readMigrationFolder, readSqlFile } from './migration-folder.js';
export { assertFolderUsable, describeProblem, folderProblemError } from './folder-errors.js';
export { writeMigration, type NewMigration } from './write-migration.js';
export { latestSnapshot, type LatestSnapshot } from './latest-snapshot.js';
export { rehash, buildSumFile, checkSumFile, listSummedFiles, SUM_FILE } from './integrity-file.js';
export { newMigrationName, snakeCase, timestampOf, MIGRATION_NAME } from './migration-name.js';
export { h1, sha256Hex } from './checksum.js';
export { readDrizzleJournal, DRIZZLE_JOURNAL, type DrizzleJournalEntry } from './drizzle-kit-journal.js';
export { readDrizzleHistory, DEFAULT_DRIZZLE_HISTORY, type DrizzleHistoryRow } from './drizzle-history.js';
export {
  ensureHistoryTable, readHistory, historyTableExists, historyFormat, historyDisplayName, DEFAULT_HISTORY, HISTORY_FORMAT,
  type HistoryOptions, type HistoryRow, type HistoryState, type HistoryPhase, type HistoryTableChange,
} from './history-table.js';
export { migrationLockKey } from './lock-key.js';
export { concurrentIndexTarget, type ConcurrentIndexTarget, type InvalidIndex } from './concurrent-index.js';
export { backoffDelayMs, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from './lock-retry-policy.js';
export { splitParts } from './split-parts.js';
export { compareWithHistory, type MigrationState, type AppliedRow } from './migration-state.js';
export { statementNeed, assertRunnable, runsWithoutLockTimeout, type StatementNeed } from './statement-rules.js';
export { MigrationFailedError, positionInFile } from './migration-failed-error.js';
export { describeEvent, describeBlocker, type RunnerEvent, type LockBlocker } from './runner-events.js';
export { RUNNER_VERSION, DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_LOCK_BUDGET_MS, type RunnerOptions } from './runner-options.js';
export { sessionSettingsSql } from './locked-run.js';
export { migrate, findMigration, type HeldContract, type MigrateOptions, type MigrateResult, type PlannedMigration, type PlannedPart } from './migrate.js';
export { multiStepStatus, describePhase, type MultiStepStatus, type MultiStepPhase } from './multi-step-status.js';
export { status, type StatusReport, type MigrationStatusEntry, type MigrationStatusState } from './status.js';
export { rollback, type RollbackOptions, type RollbackResult } from './rollback.js';
export { baseline, type BaselineOptions } from './baseline.js';
export { replayMigrations } from './replay-migrations.js';
export { applyUntracked, type ApplyUntrackedInput } from './apply-untracked.js';
