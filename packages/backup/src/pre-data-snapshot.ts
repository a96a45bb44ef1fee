import type { Snapshot } from '@strata/schema';

/**
 * The part of a schema a restore builds before loading rows: the snapshot without indexes,
 * foreign keys and policies, and without primary keys and uniques except on tables in
 * `keepKeys` (`schema.table`, from `keysUsedByViews`: a view that groups by a key needs it first).
 * Building an index once after the data is faster than keeping it up to date row by row, and
 * foreign-key cycles load. The rest is `diffSnapshots(preData, snapshot).up`.
 *
 * @example
 * const pre = preDataSnapshot(snapshot, await keysUsedByViews(db));
 */
export function preDataSnapshot(snapshot: Snapshot, keepKeys: ReadonlySet<string>): Snapshot {
  const reduced: Snapshot = structuredClone(snapshot);
  for (const s of Object.values(reduced.schemas)) {
    for (const t of Object.values(s.tables)) {
      t.indexes = {};
      t.foreignKeys = {};
      t.policies = {};
      if (!keepKeys.has(`${t.schema}.${t.name}`)) {
        delete t.primaryKey;
        t.uniques = {};
      }
    }
  }
  return reduced;
}
