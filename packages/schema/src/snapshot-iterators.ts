import type { Enum, Sequence, Snapshot, Table, View } from './snapshot.js';
import { getEntry } from './records.js';

function* each<T>(snapshot: Snapshot, pick: (s: Snapshot['schemas'][string]) => Record<string, T>): Generator<T> {
  for (const schemaName of Object.keys(snapshot.schemas).sort()) {
    const schema = getEntry(snapshot.schemas, schemaName);
    if (!schema) continue;
    const items = pick(schema);
    for (const name of Object.keys(items).sort()) yield getEntry(items, name) as T;
  }
}

/**
 * Every table of a snapshot, schema by schema, in sorted order (stable, so output built from it is too).
 *
 * @example
 * for (const t of snapshotTables(snapshot)) console.log(`${t.schema}.${t.name}`);
 */
export function snapshotTables(snapshot: Snapshot): Generator<Table> {
  return each(snapshot, (s) => s.tables);
}

/** Every enum of a snapshot, in sorted order. @example [...snapshotEnums(snapshot)].map((e) => e.name) */
export function snapshotEnums(snapshot: Snapshot): Generator<Enum> {
  return each(snapshot, (s) => s.enums);
}

/** Every sequence of a snapshot, in sorted order. @example [...snapshotSequences(snapshot)].length */
export function snapshotSequences(snapshot: Snapshot): Generator<Sequence> {
  return each(snapshot, (s) => s.sequences);
}

/** Every view and materialized view of a snapshot, in sorted order. @example [...snapshotViews(snapshot)].filter((v) => v.materialized) */
export function snapshotViews(snapshot: Snapshot): Generator<View> {
  return each(snapshot, (s) => s.views);
}
