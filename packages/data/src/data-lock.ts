import { StrataError, isStrataError } from '@strata/core';
import type { DatabaseClient, MigrationLock, Queryable } from '@strata/db';

/**
 * The advisory lock key of `strata data run`: the bytes of "STRATAD". A key of its own, so a long
 * backfill never holds up a schema `migrate` (and one data run at a time is still guaranteed).
 */
export const DATA_LOCK_KEY = 0x53545241544144n;

/** Takes the data-migration lock (`key`, default `DATA_LOCK_KEY`) on a dedicated session, waiting up to `waitMs`. */
export async function acquireDataLock(
  db: DatabaseClient, waitMs: number, onWait?: (info: { holderPid: number | null }) => void, key: bigint = DATA_LOCK_KEY,
): Promise<MigrationLock> {
  try {
    return await db.acquireMigrationLock({ key, waitMs, onWait });
  } catch (e) {
    if (isStrataError(e) && e.code === 'LOCK_TIMEOUT') {
      throw new StrataError('LOCK_TIMEOUT', `another \`strata data run\` held the data-migration lock for more than ${waitMs} ms`, {
        hint: 'Only one data run at a time: wait for the other to finish (strata data status shows it), or raise lockWaitMs in the config.',
        cause: e,
      });
    }
    throw e;
  }
}

/**
 * True while some session holds the data-migration lock `key` (default `DATA_LOCK_KEY`; a tenant's
 * run takes a key of its own): a data run is in progress.
 *
 * @example
 * if (await isDataLockHeld(db)) console.log('a data run is in progress');
 */
export async function isDataLockHeld(q: Queryable, key: bigint = DATA_LOCK_KEY): Promise<boolean> {
  const r = await q.query<{ held: boolean }>(
    `select exists(select 1 from pg_locks where locktype = 'advisory' and granted
        and ((classid::bigint << 32) | objid::bigint) = $1::bigint and objsubid = 1) as held`,
    [key.toString()],
  );
  return r.rows[0]?.held === true;
}
