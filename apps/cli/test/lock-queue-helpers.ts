import type { DatabaseClient } from '@strata/db';

/**
 * On `holder`, a transaction that reads `table` (as application `reporting-job`) and stays open
 * until `release()` (at most 60 s): the reader a migration meets in the lock queue.
 */
export async function holdReadTransaction(holder: DatabaseClient, table: string): Promise<{ pid: number; release: () => Promise<void> }> {
  let pid!: number;
  let ready!: () => void;
  let letGo!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const released = new Promise<void>((r) => (letGo = r));
  const done = holder.transaction(async (tx) => {
    pid = (await tx.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await tx.exec(`set application_name = 'reporting-job'; select count(*) from ${table}`);
    ready();
    await Promise.race([released, new Promise((r) => setTimeout(r, 60_000))]);
  });
  await started;
  return { pid, release: async () => { letGo(); await done; } };
}

/** Resolves once some session has been seen waiting for a lock on `table` three times (within a minute). */
export async function waitUntilQueued(db: DatabaseClient, table: string): Promise<void> {
  let seen = 0;
  for (let i = 0; i < 1200 && seen < 3; i++) {
    const r = await db.query(`select 1 from pg_locks where relation = to_regclass($1) and not granted`, [table]);
    if (r.rows.length > 0) seen++;
    await new Promise((res) => setTimeout(res, 50));
  }
  if (seen < 3) throw new Error(`no session queued for a lock on ${table}`);
}
