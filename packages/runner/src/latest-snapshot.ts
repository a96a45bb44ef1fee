import { emptySnapshot, type Snapshot } from '@strata/model';
import type { Migration, MigrationFolder } from './migration.js';

/**
 * The schema the folder's migrations build, as far as the files say:
 * - `empty`: no migrations yet (the empty snapshot);
 * - `strata`: the newest migration's meta snapshot;
 * - `replay`: the newest migrations come from drizzle-kit, whose snapshot format is not Strata's.
 *   The schema is what those migrations build: apply `migrations` (the whole folder) to a scratch
 *   database with `replayMigrations` and introspect it.
 *
 * @example
 * const latest = latestSnapshot(readMigrationFolder('./migrations'));
 * if (latest.kind !== 'replay') diff(latest.snapshot, fromCode);
 */
export type LatestSnapshot =
  | { kind: 'empty'; snapshot: Snapshot }
  | { kind: 'strata'; name: string; snapshot: Snapshot }
  | { kind: 'replay'; name: string; migrations: Migration[] };

/** See `LatestSnapshot`. */
export function latestSnapshot(folder: MigrationFolder): LatestSnapshot {
  const last = folder.migrations.at(-1);
  if (!last) return { kind: 'empty', snapshot: emptySnapshot() };
  if (last.meta) return { kind: 'strata', name: last.name, snapshot: last.meta.snapshot };
  return { kind: 'replay', name: last.name, migrations: folder.migrations };
}
