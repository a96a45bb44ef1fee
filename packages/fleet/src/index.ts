/**
 * @strata/fleet: one run over many targets — a database per tenant, a schema per tenant, regional
 * servers. Target lists (config `targets`, a JSON file, a control query), `${ENV}` references
 * resolved at run time, a scheduler bounding connections per server, schema substitution for
 * tenant schemas, canary and fail-fast, and a report. Prints nothing (docs/fleet.md).
 */
export type { TargetSpec, FleetTarget, ControlQuery, TargetsSource } from './target.js';
export { parseTargetsSource, isTargetsSource, readTargetsFile, listTargets, databaseLabel, TARGETS_EXPECTED } from './target-list.js';
export { resolveEnvRefs, hasEnvRefs } from './env-refs.js';
export { substituteSchema } from './substitute-schema.js';
export { folderForSchema } from './tenant-folder.js';
export { tenantHistory } from './tenant-history.js';
export { renameSnapshotSchema } from './rename-snapshot-schema.js';
export { runPerKey } from './scheduler.js';
export { serverKey, FleetConnections } from './connections.js';
export { checkTarget, historyProblems, type TargetCheck } from './check-target.js';
export { runTarget, reportedError, type TargetRun } from './run-target.js';
export { runDataTarget, dataStatusTarget, dataHistoryOf, dataTenant, dataPending, type DataTargetRun } from './run-data-target.js';
export { summarize, fleetOk, type FleetAction, type TargetOutcome, type TargetResult, type DriftGroup, type FleetReport } from './report.js';
export { runFleet, managedSchemaOf, DEFAULT_CONCURRENCY, DEFAULT_FLEET_LOCK_WAIT_MS, type FleetOptions, type FleetEvent } from './run-fleet.js';
