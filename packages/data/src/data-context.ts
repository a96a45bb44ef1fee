import { StrataError, isStrataError } from '@strata/core';
import { runBatchWalk, type RunState } from './batch-walk.js';
import { createDataTx } from './data-tx.js';
import type { DataMigrationContext, DataTx } from './types.js';

/**
 * The `ctx` a migration's `up` gets: everything runs on the run's one connection (`state.session`),
 * which holds the data-migration lock.
 */
export function createDataContext(state: RunState): DataMigrationContext {
  const rewrite = state.tenant?.substitute;
  const base = createDataTx(state.session, undefined, rewrite, state.drizzle);
  return {
    name: state.migration,
    dryRun: state.dryRun,
    log: state.log,
    db: base.db,
    query: base.query,
    sql: base.sql,
    batch: (options, fn) => runBatchWalk(state, options, fn),
    async step(name: string, fn: (tx: DataTx) => Promise<unknown>): Promise<void> {
      if (typeof name !== 'string' || name === '') throw new StrataError('USAGE', `${state.migration}: ctx.step needs a name`, { hint: "ctx.step('seed plans', async (tx) => …)" });
      if (state.checkpoint.steps[name]) {
        state.log.debug(`step "${name}": done by an earlier run`);
        return;
      }
      const checkpoint = { ...state.checkpoint, steps: { ...state.checkpoint.steps, [name]: true as const } };
      try {
        await state.session.transaction(async (tx) => {
          await fn(createDataTx(tx, undefined, rewrite, state.drizzle));
          await state.history.saveCheckpoint(tx, state.migration, checkpoint, 0);
        });
      } catch (e) {
        throw new StrataError('DATA_MIGRATION_FAILED', `${state.migration}: step "${name}" failed: ${e instanceof Error ? e.message : String(e)}`, {
          details: isStrataError(e) ? e.details : [],
          hint: 'Nothing of this step was committed; fix the cause and run `strata data run` again.',
          cause: e,
        });
      }
      state.checkpoint = checkpoint;
    },
    transaction: (fn) => state.session.transaction((tx) => fn(createDataTx(tx, undefined, rewrite, state.drizzle))),
  };
}
