import { qualify, quoteIdent, taggedObjectName } from '@strata/core';
import { getEntry, setEntry, type Index, type Snapshot } from '@strata/schema';
import { sameIndex, sameUnique } from '../same.js';
import { q } from '../sql/ddl.js';
import type { ObjectRef, Statement } from '../types.js';
import type { SyncedColumn } from './window-snapshot.js';

/**
 * The indexes and unique constraints of a column rename's new columns, built before the contract
 * drops the old column (which takes the old ones with it). Built after the drop, as a plain diff
 * of the window would, a unique index would be missing for as long as the new one takes to build
 * CONCURRENTLY: rows written meanwhile could break the key, and the build then fails. Each is built
 * under its own name, or, when that name is still taken by the old column's object (an index whose
 * name the code kept), under `<name>_strata_new` and renamed in the transaction that drops the old
 * column. A primary key on the new columns is prepared the same way: its unique index built, its
 * columns made NOT NULL (the check recipe, no scan under an exclusive lock), and the index attached
 * as the primary key (`USING INDEX`) in the transaction that drops the old key.
 */
export interface PrebuiltKeys {
  /** The window with the new columns' indexes and uniques added (what the contract builds first). */
  prepared: Snapshot;
  /** The schema code's snapshot with those objects under the names they are built with. */
  nextPrepared: Snapshot;
  /** Per table, the renames to the declared names, for the transaction that drops the old column. */
  renames: { table: ObjectRef; statements: Statement[] }[];
  /**
   * Per table whose primary key moves to the new columns: the statement attaching the prepared
   * index, for the transaction that drops `replaces` (the old primary key), or that drops the old
   * column when there was none.
   */
  primaryKeys: { table: ObjectRef; replaces: string | undefined; statements: Statement[] }[];
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const st = (sql: string): Statement => ({ sql, hazards: [], transactional: true });

/** Names of the relations of `schema` in `s`: tables, views, sequences, indexes and the indexes of keys. */
function relationNames(s: Snapshot, schema: string): Set<string> {
  const names = new Set<string>();
  const def = s.schemas[schema];
  if (!def) return names;
  for (const t of Object.values(def.tables)) {
    names.add(t.name);
    if (t.primaryKey) names.add(t.primaryKey.name);
    for (const u of Object.values(t.uniques)) names.add(u.name);
    for (const ix of Object.values(t.indexes)) names.add(ix.name);
    for (const c of t.columns) if (c.identity) names.add(c.identity.sequenceName);
  }
  for (const v of Object.values(def.views)) names.add(v.name);
  for (const sq of Object.values(def.sequences)) names.add(sq.name);
  return names;
}

/**
 * `window` and `next` with the new columns' indexes and uniques moved before the old column's drop.
 *
 * @example
 * const { prepared, nextPrepared, renames } = prebuildKeys(window, next, columns);
 * diffWithRenames(window, prepared, NO_RENAMES, options); // the builds, CONCURRENTLY
 */
export function prebuildKeys(window: Snapshot, next: Snapshot, columns: readonly SyncedColumn[]): PrebuiltKeys {
  const prepared = clone(window);
  const nextPrepared = clone(next);
  const renames: PrebuiltKeys['renames'] = [];
  const primaryKeys: PrebuiltKeys['primaryKeys'] = [];
  const tables = new Map<string, ObjectRef>();
  for (const c of columns) tables.set(JSON.stringify([c.table.schema, c.table.name]), c.table);
  for (const table of tables.values()) {
    const target = next.schemas[table.schema]?.tables[table.name];
    const during = prepared.schemas[table.schema]?.tables[table.name];
    const after = nextPrepared.schemas[table.schema]?.tables[table.name];
    if (!target || !during || !after) continue;
    const windowTable = window.schemas[table.schema]?.tables[table.name];
    const inWindow = relationNames(window, table.schema);
    const statements: Statement[] = [];
    // The old column's object of that name is still there while the new one builds.
    const builtName = (name: string) => (inWindow.has(name) ? taggedObjectName(name, 'strata_new') : name);
    // Everything else of the change is in the window already (the expand made it): what the code
    // has and the window has not (or not the same) is what the new columns need.
    for (const ix of Object.values(target.indexes)) {
      const there = windowTable && getEntry(windowTable.indexes, ix.name);
      if (there && sameIndex(there, ix)) continue;
      const name = builtName(ix.name);
      moveObject(during.indexes, after.indexes, ix.name, { ...clone(ix), name });
      if (name !== ix.name) statements.push(st(`ALTER INDEX ${qualify(table.schema, name)} RENAME TO ${quoteIdent(ix.name)}`));
    }
    for (const u of Object.values(target.uniques)) {
      const there = windowTable && getEntry(windowTable.uniques, u.name);
      if (there && sameUnique(there, u)) continue;
      const name = builtName(u.name);
      moveObject(during.uniques, after.uniques, u.name, { ...clone(u), name });
      // Renaming the constraint renames its index too.
      if (name !== u.name) statements.push(st(`ALTER TABLE ${q(table)} RENAME CONSTRAINT ${quoteIdent(name)} TO ${quoteIdent(u.name)}`));
    }
    if (statements.length > 0) renames.push({ table, statements });
    const key = target.primaryKey;
    const old = windowTable?.primaryKey;
    if (key && JSON.stringify(key.columns) !== JSON.stringify(old?.columns)) {
      const name = builtName(key.name);
      const index: Index = {
        elements: key.columns.map((value) => ({ desc: false, expression: false, nullsFirst: false, value })),
        method: 'btree', name, nullsNotDistinct: false, unique: true,
      };
      setEntry(during.indexes, name, index);
      // The key's columns are NOT NULL before the old key goes: the trigger fills them from the old columns.
      for (const c of during.columns) if (key.columns.includes(c.name)) c.notNull = true;
      // The code's side has the index, not the key: the key is attached by the statement below.
      setEntry(after.indexes, name, clone(index));
      delete after.primaryKey;
      primaryKeys.push({
        table, replaces: old?.name,
        statements: [st(`ALTER TABLE ${q(table)} ADD CONSTRAINT ${quoteIdent(key.name)} PRIMARY KEY USING INDEX ${quoteIdent(name)}`)],
      });
    }
  }
  return { prepared, nextPrepared, renames, primaryKeys };
}

/** Adds `object` to the window's map under its build name, and puts it under that name in the code's. */
function moveObject<T extends { name: string }>(during: Record<string, T>, after: Record<string, T>, declared: string, object: T): void {
  setEntry(during, object.name, object);
  delete after[declared];
  setEntry(after, object.name, object);
}
