/**
 * @strata/migrate: the runtime API for applications that migrate at start-up, over the
 * connection they already have. Loads the runner and the drivers only (no schema loader, no SQL parser).
 */
export { migrate, type AppMigrateOptions } from './migrate.js';
export type { MigrateResult, RunnerEvent, RunnerOptions } from '@strata/runner';
export { describeEvent } from '@strata/runner';
export { StrataError } from '@strata/core';
