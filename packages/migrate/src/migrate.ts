import { databaseClientFor, type DriverHandle } from '@strata/db';
import { migrate as runMigrations, readMigrationFolder, type MigrateResult, type RunnerOptions } from '@strata/runner';

export interface AppMigrateOptions extends RunnerOptions {
  /** The application's connection: a node-postgres `Pool` or connected `Client`, a PGlite instance, or a drizzle database over one. */
  db: DriverHandle;
  /** The migration folder (`out` in strata.config.ts), e.g. `./migrations`. */
  folder: string;
  /** Also apply pending migrations older than an applied one (config `outOfOrder: 'allow'`). */
  allowOutOfOrder?: boolean;
}

/**
 * Applies the folder's pending migrations at application start-up, with the same migration lock,
 * checksums, history table and errors as `strata migrate` (it is the runner behind that command).
 * Several instances starting at once apply each migration exactly once. The connection stays the
 * application's: it is neither ended nor left with changed settings. Throws a `StrataError` (code
 * and hint) when a migration fails, in which case that migration changed nothing.
 *
 * @example
 * const pool = new Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate({ db: drizzle(pool), folder: './migrations' });
 */
export async function migrate(options: AppMigrateOptions): Promise<MigrateResult> {
  const { db, folder, allowOutOfOrder, ...runner } = options;
  // Read the folder first: a missing or broken folder fails before touching the database.
  const migrations = readMigrationFolder(folder);
  const client = await databaseClientFor(db);
  try {
    return await runMigrations(client, migrations, { ...runner, allowOutOfOrder });
  } finally {
    await client.close();
  }
}
