// A stand-in for an application's start-up module: it imports the public runtime API only.
import { migrate, type MigrateResult } from '@strata/migrate';

/** What an app does before it starts serving: apply the migration folder over its own connection. */
export async function startApp(db: Parameters<typeof migrate>[0]['db'], folder: string): Promise<MigrateResult> {
  return migrate({ db, folder, lockTimeoutMs: 2000 });
}
