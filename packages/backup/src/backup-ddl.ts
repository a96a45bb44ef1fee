import { StrataError } from '@strata/core';
import { introspect, rebuildableSnapshot, type Queryable } from '@strata/db';
import { createSnapshotSql, diffSnapshots } from '@strata/diff';
import { keysUsedByViews } from './catalog.js';
import type { BackupDdl } from './create-backup.js';
import { preDataSnapshot } from './pre-data-snapshot.js';

/**
 * The DDL a backup carries, computed from the live database (inside the backup's transaction):
 * `pre` builds the schema without keys, indexes, foreign keys and policies, `post` adds them once
 * the rows are in (as pg_dump orders them: faster, and foreign-key cycles load).
 *
 * @example
 * await createBackup(db, { file, ddl: backupDdl });
 */
export async function backupDdl(q: Queryable, scope: { schemas: string[] }): Promise<BackupDdl> {
  // Written as SQL that builds the same expressions again, not as the catalog prints them.
  const snapshot = rebuildableSnapshot(await introspect(q, { schemas: scope.schemas, excludeSchemas: [] }));
  const reduced = preDataSnapshot(snapshot, await keysUsedByViews(q));
  const pre = createSnapshotSql(reduced);
  // Plain statements: the rows are loaded by the restore itself, nothing else writes meanwhile.
  const post = (await diffSnapshots(reduced, snapshot, { unsafePlans: true })).up;
  const outside = [...pre, ...post].find((s) => !s.transactional);
  if (outside) throw new StrataError('INTERNAL', `a backup statement cannot run in a transaction: ${outside.sql.split('\n')[0]}`);
  return { pre: pre.map((s) => s.sql), post: post.map((s) => s.sql) };
}
