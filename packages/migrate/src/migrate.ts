import { databaseClientFor, type DriverHandle } from '@strata/db';
import { migrate as runMigrations, readMigrationFolder, type MigrateResult, type RunnerOptions } from '@strata/runner';

export interface AppMigrateOptions extends RunnerOptions {
  /** The application's connection: a node-postgres `Pool` or connected `Client`, a PGlite instance, or a drizzle database over one. */
  db: DriverHandle;
  /** The migration folder (`out` in strata.config.ts), e.g. `./migrations`. */
  folder: string;
  /** Also apply pending migrations older than an applied one (config `outOfOrder: 'allow'`). */
  allowOutOfOrder?: boolean;
  /**
   * Apply the contract migrations of multi-step changes too (`strata migrate --contract`): `true`
   * for every one pending, a migration name for those up to and including it. Without it, the run
   * stops at the first contract migration, records it held (`result.held`) and applies nothing
   * after it — deploy the code that uses only the new columns first, then contract.
   */
  contract?: boolean | string;
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
 * // After deploying the code that uses only the new columns of a multi-step change:
 * await migrate({ db: drizzle(pool), folder: './migrations', contract: true });
 */
export async function migrate(options: AppMigrateOptions): Promise<MigrateResult> {
  const { db, folder, allowOutOfOrder, contract, ...runner } = options;
  // Read the folder first: a missing or broken folder fails before touching the database.
  const migrations = readMigrationFolder(folder);
  const client = await databaseClientFor(db);
  try {
    return await runMigrations(client, migrations, { ...runner, allowOutOfOrder, ...(contract !== undefined ? { contract } : {}) });
  } finally {
    await client.close();
  }
}
