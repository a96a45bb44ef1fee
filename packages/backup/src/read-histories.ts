import { qualify } from '@strata/core';
import type { Session } from '@strata/db';
import type { BackupDataMigration, BackupHeader, BackupMigration } from './backup-format.js';

export interface HistoryLocations {
  migrations: { schema: string; table: string };
  dataMigrations: { schema: string; table: string };
}

/**
 * Strata's migration and data-migration histories as they are now, for the backup's header (the
 * rows themselves are backed up with the rest of the data). A missing or differently shaped
 * table gives null; each read runs in a savepoint so it cannot spoil the backup's transaction.
 */
export async function readHistories(tx: Session, locations: Partial<HistoryLocations> = {}): Promise<BackupHeader['history']> {
  const m = locations.migrations ?? { schema: 'strata', table: 'migrations' };
  const d = locations.dataMigrations ?? { schema: m.schema, table: 'data_migrations' };
  const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const read = async <R>(loc: { schema: string; table: string }, sql: (t: string) => string): Promise<R[] | null> => {
    const exists = await tx.query<{ t: string | null }>('select to_regclass($1)::text as t', [qualify(loc.schema, loc.table)]);
    if (exists.rows[0]?.t == null) return null;
    try {
      return await tx.transaction(async (sp) => (await sp.query<R>(sql(qualify(loc.schema, loc.table)))).rows);
    } catch {
      return null;
    }
  };
  const migrations = await read<BackupMigration>(m, (t) =>
    `select name, checksum, ${iso('applied_at')} as "appliedAt" from ${t} order by applied_at, name`);
  const dataMigrations = await read<{ name: string; status: string; rows: string; finishedAt: string | null }>(d, (t) =>
    `select name, status, rows::text as rows, ${iso('finished_at')} as "finishedAt" from ${t} order by started_at, name`);
  return {
    table: `${m.schema}.${m.table}`,
    migrations,
    dataMigrations: dataMigrations?.map((r): BackupDataMigration => ({ name: r.name, status: r.status, rows: Number(r.rows), finishedAt: r.finishedAt })) ?? null,
  };
}
