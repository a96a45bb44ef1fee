import type { DatabaseClient } from '@strata/db';
import { findMigration } from './migrate.js';
import type { MigrationFolder } from './migration.js';
import { runMigrationFile } from './run-migration-file.js';
import { resolveRunnerOptions } from './runner-options.js';

/**
 * Applies the folder's up migrations to a scratch database, without a history table or a lock:
 * how to learn the schema a folder builds when its newest migrations come from drizzle-kit (see
 * `latestSnapshot`): replay into `pglite:memory`, then introspect. A failing statement throws a
 * `MigrationFailedError` naming the file and line.
 *
 * @example
 * const scratch = await openDatabase('pglite:memory');
 * await replayMigrations(scratch, folder);
 */
export async function replayMigrations(client: DatabaseClient, folder: MigrationFolder, options: { to?: string } = {}): Promise<string[]> {
  const stop = options.to === undefined ? folder.migrations.length - 1 : folder.migrations.indexOf(findMigration(folder, options.to));
  const opts = resolveRunnerOptions({ lockTimeoutMs: 0, appliedBy: 'replay' });
  const done: string[] = [];
  await client.session(async (s) => {
    for (const m of folder.migrations.slice(0, stop + 1)) {
      await runMigrationFile(s, { migration: m.name, file: m.up, direction: 'up', opts, record: async () => {} });
      done.push(m.name);
    }
  });
  return done;
}
