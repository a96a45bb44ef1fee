import { bundledExtensionsCreatedBy, createPgliteClient, introspect, type DatabaseClient } from '@strata/db';
import { replayMigrations, type MigrationFolder } from '@strata/runner';
import type { Snapshot } from '@strata/schema';

/**
 * Replays a folder's migrations (drizzle-kit's, which carry no snapshot) on a scratch in-memory
 * database, up to `to` (default: all), and hands `work` that database and what it holds. The
 * scratch database is gone afterwards.
 *
 * @example
 * const built = await replayOnScratch(folder, {}, async (_scratch, snapshot) => snapshot);
 */
export async function replayOnScratch<T>(
  folder: MigrationFolder,
  options: { to?: string },
  work: (scratch: DatabaseClient, built: Snapshot) => Promise<T>,
): Promise<T> {
  // The folder's CREATE EXTENSION statements need those extensions registered in the scratch PGlite.
  const extensions = bundledExtensionsCreatedBy(folder.migrations.map((m) => m.up.sql));
  const scratch = await createPgliteClient(null, { extensions });
  try {
    await replayMigrations(scratch, folder, options.to === undefined ? {} : { to: options.to });
    return await work(scratch, await introspect(scratch));
  } finally {
    await scratch.close();
  }
}
