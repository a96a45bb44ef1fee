// The schema workflows as library calls: explicit inputs, plain-data results, nothing printed.
export type { ResolvedConfig, SchemaConfig } from './resolved-config.js';
export type { DatabaseInput } from './database-input.js';
export type { Confirm, ConfirmRequest } from './confirm-request.js';
export type { OnProgress, WorkflowProgress, WorkflowStep } from './workflow-progress.js';
export { codeSnapshot } from './code-snapshot.js';
export { managedSchemas, limitSnapshot, withoutOwned, buildSql, liveSnapshot, serverSpelled } from './managed-schema.js';
export { replayOnScratch } from './replay-on-scratch.js';
export { hintedRenameResolver } from './hinted-rename-resolver.js';
export { writeMigrations, type GeneratedMigration } from './write-migrations.js';
export { generate, planGenerate, pendingMigrationSql, type GenerateInput, type GenerateResult, type PlanGenerateInput } from './generate.js';
export { push, type PushInput, type PushResult } from './push.js';
export { check, type CheckInput, type CheckReport, type CheckProblem } from './check.js';
export { drop, dropPlan, dropStatements, type DropInput, type DropResult, type DropItem } from './drop.js';
export { pull, defaultPullDir, type PullInput, type PullReport } from './pull.js';
export { initProject, GUIDE_SCRIPTS, GITIGNORE_LINES, type InitResult, type InitStep } from './init-project.js';
