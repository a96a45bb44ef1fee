import type { Queryable, ServerInfo } from './client.js';

export async function readServerInfo(db: Queryable): Promise<ServerInfo> {
  const r = await db.query<{ num: string; version: string; short: string; db: string; usr: string }>(
    `select current_setting('server_version_num') as num, version() as version,
            current_setting('server_version') as short, current_database() as db, current_user as usr`,
  );
  const row = r.rows[0]!;
  return { versionNum: Number(row.num), version: row.version, shortVersion: row.short.split(' ')[0]!, database: row.db, user: row.usr };
}
