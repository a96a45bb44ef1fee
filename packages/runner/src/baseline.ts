import type { DatabaseClient } from '@strata/db';
import { assertFolderUsable } from './folder-errors.js';
import { insertHistory } from './history-table.js';
import { assertHistoryMatches, importDrizzleHistory, loadState } from './load-state.js';
import { prepareHistory, withMigrationLock } from './locked-run.js';
import { findMigration } from './migrate.js';
import type { MigrationFolder } from './migration.js';
import { resolveRunnerOptions, type RunnerOptions } from './runner-options.js';

export interface BaselineOptions extends RunnerOptions {
  /** Record migrations up to and including this one; default all. */
  to?: string;
}

/**
 * Records migrations as applied without running them: adopting a database whose schema already
 * is what those migrations build (an existing production database). One transaction; rows get
 * a null duration and `baseline by …` as their author.
 *
 * @example
 * await baseline(db, readMigrationFolder('./migrations'), { to: '20261126001500_init' });
 */
export async function baseline(client: DatabaseClient, folder: MigrationFolder, options: BaselineOptions = {}): Promise<{ recorded: string[]; alreadyApplied: string[] }> {
  const opts = resolveRunnerOptions(options);
  assertFolderUsable(folder);
  const stop = options.to === undefined ? folder.migrations.length - 1 : folder.migrations.indexOf(findMigration(folder, options.to));
  return withMigrationLock(client, opts, async (session) => {
    await prepareHistory(session, opts);
    const state = await loadState(session, folder, opts);
    assertHistoryMatches(state, folder, opts);
    const targets = state.pending.filter((m) => folder.migrations.indexOf(m) <= stop);
    await session.transaction(async (tx) => {
      await importDrizzleHistory(tx, state, opts);
      for (const m of targets) {
        await insertHistory(tx, opts.history, { name: m.name, checksum: m.checksum, durationMs: null, appliedBy: `baseline by ${opts.appliedBy}`, partsTotal: m.up.parts.length });
      }
    });
    for (const m of targets) opts.emit({ type: 'migration-baselined', name: m.name });
    return { recorded: targets.map((m) => m.name), alreadyApplied: state.applied.map((r) => r.name) };
  });
}
