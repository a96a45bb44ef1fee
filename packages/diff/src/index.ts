export { diffSnapshots, createSnapshotSql, type DiffOptions } from './diff-snapshots.js';
export { renderMigration, NO_TRANSACTION_MARKER, STATEMENT_BREAKPOINT, PART_MARKER, PART_NO_TRANSACTION_MARKER } from './render-migration.js';
export { summarize, describeChange, type ChangeVerb } from './summarize.js';
export { sqlFeaturesUsed } from './sql-features.js';
export {
  noRenameResolver, candidateLabel,
  type RenameResolver, type RenameRequest, type RenameCandidate, type RenamePair, type RenameKind,
} from './rename-resolver.js';
export { hintResolver, type HintResolverOptions } from './hint-resolver.js';
export { parseRenameHint, formatRenamePath, renameFlag, type RenameHint } from './rename-hint.js';
export { planEnumValues, type EnumValuesPlan } from './enum-values.js';
export { rewriteQuestion } from './rewrite-question.js';
export type {
  Change, ChangeKind, Diff, Statement, Hazard, HazardKind, MigrationPart, AppliedRename, ObjectRef, PlanNote, RecipeKind, Rewrite,
} from './types.js';
export { planMultiStep, diffMultiStep, type MultiStepPlan } from './multi-step/plan-multi-step.js';
export { syncTriggerName } from './multi-step/sync-trigger.js';
export type { SyncedColumn } from './multi-step/window-snapshot.js';
export type { SwappedColumn } from './multi-step/type-swap.js';
export type { AddedColumn } from './multi-step/not-null-column.js';
