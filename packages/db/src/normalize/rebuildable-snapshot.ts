import { rebuildableSql } from '@strata/core';
import type { Snapshot } from '@strata/model';
import { mapSnapshot } from './map-snapshot.js';

/**
 * A live snapshot whose expressions are SQL that builds the same catalog again, for writing DDL
 * from introspection (a backup's schema). The catalog prints an IN list over a character varying
 * operand as `(state)::text = ANY ((ARRAY['a'::character varying, …])::text[])`, which, run again,
 * is stored as another expression (docs/postgres-behaviour.md): a database restored from that text
 * differed from the one backed up, and `check` reported its checks, partial indexes and generated
 * columns as changed by hand. Comparisons keep the printed text; only what is written changes.
 *
 * @example
 * const ddl = createSnapshotSql(rebuildableSnapshot(await introspect(db)));
 */
export function rebuildableSnapshot(snapshot: Snapshot): Snapshot {
  return mapSnapshot(snapshot, { schema: (s) => s, typeSchema: (s) => s, foreignSchema: (s) => s, expression: (sql) => rebuildableSql(sql) });
}
