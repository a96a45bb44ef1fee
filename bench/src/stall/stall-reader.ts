import pg from 'pg';

/** A read transaction held open on a table (the lock-queue case). */
export interface HeldReader {
  /** Epoch ms when the reader held its lock. */
  openedAt: number;
  /** Epoch ms when an ACCESS EXCLUSIVE request on the table was first seen waiting, or null. */
  alterSeenAt(): number | null;
  /** Resolves with the epoch ms of its COMMIT (its lock released). */
  released: Promise<number>;
  /** Commits now if no ALTER was seen yet (the migration ended without meeting the reader). */
  giveUp(): void;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Opens a transaction that reads `table` (taking ACCESS SHARE on it), as a slow report or a long
 * request does, and resolves once the lock is held. It commits `holdMs` after a migration's
 * ACCESS EXCLUSIVE request on the table is first seen waiting behind it (polled every 10 ms on a
 * second connection), so the ALTER always meets a reader with `holdMs` still to go — or after
 * `giveUpMs` if none comes.
 *
 * @example
 * const reader = await holdReader(url, 'stall_items', 5000, 120_000); … const releasedAt = await reader.released;
 */
export async function holdReader(url: string, table: string, holdMs: number, giveUpMs: number): Promise<HeldReader> {
  const client = new pg.Client({ connectionString: url, application_name: 'bench-stall-reader' });
  const watcher = new pg.Client({ connectionString: url, application_name: 'bench-stall-watch' });
  await Promise.all([client.connect(), watcher.connect()]);
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM "${table.replace(/"/g, '""')}" LIMIT 1`);
  const openedAt = now();
  let seenAt: number | null = null;
  let gaveUp = false;
  const released = (async () => {
    try {
      while (seenAt === null && !gaveUp && now() - openedAt < giveUpMs) {
        const r = await watcher.query(
          `select 1 from pg_locks where not granted and mode = 'AccessExclusiveLock' and locktype = 'relation' and relation = $1::regclass`,
          [`"${table.replace(/"/g, '""')}"`],
        );
        if (r.rows.length > 0) seenAt = now();
        else await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (seenAt !== null) await new Promise((resolve) => setTimeout(resolve, holdMs));
      await client.query('COMMIT');
      return now();
    } finally {
      await Promise.allSettled([client.end(), watcher.end()]);
    }
  })();
  return { openedAt, alterSeenAt: () => seenAt, released, giveUp: () => void (gaveUp = true) };
}
