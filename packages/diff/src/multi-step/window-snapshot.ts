import { setEntry, type Column, type ForeignKey, type Snapshot, type Table } from '@strata/schema';
import type { ObjectRef } from '../types.js';

/** One column of a multi-step change: `from` (what the old code uses) and `to` (what the new code uses), on one table. */
export interface SyncedColumn {
  table: ObjectRef;
  /** The old column, as the old side of the diff declares it. */
  from: Column;
  /** The new column, as the new side of the diff declares it. */
  to: Column;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** A column that rows written by code that does not know it can leave empty: nullable, no default. */
export function relaxed(c: Column): Column {
  const { default: _d, identity: _i, generated: _g, ...rest } = c;
  return { ...rest, notNull: false };
}

/** Whether a constraint or index of `t` names `column` (expression indexes and checks by a quoted or bare word). */
function mentions(text: string, column: string): boolean {
  const re = new RegExp(`(^|[^A-Za-z0-9_$"])("${column.replace(/"/g, '""').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"|${column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})($|[^A-Za-z0-9_$"])`);
  return re.test(text);
}

/** Drops from `t` every constraint and index that uses `column` (they are built again when the column is made whole). */
function withoutObjectsOn(t: Table, column: string): Table {
  const out = clone(t);
  if (out.primaryKey?.columns.includes(column)) delete out.primaryKey;
  for (const [k, u] of Object.entries(out.uniques)) if (u.columns.includes(column)) delete out.uniques[k];
  for (const [k, c] of Object.entries(out.checks)) if (mentions(c.expression, column)) delete out.checks[k];
  for (const [k, f] of Object.entries(out.foreignKeys)) if (f.columns.includes(column)) delete out.foreignKeys[k];
  for (const [k, ix] of Object.entries(out.indexes)) {
    if (ix.elements.some((e) => (e.expression ? mentions(e.value, column) : e.value === column)) || (ix.where && mentions(ix.where, column))) delete out.indexes[k];
  }
  return out;
}

/** The constraints and indexes of `t` that use `column`, as a table holding only them. */
function objectsOn(t: Table, column: string): Pick<Table, 'primaryKey' | 'uniques' | 'checks' | 'foreignKeys' | 'indexes'> {
  const rest = withoutObjectsOn(t, column);
  const pick = <V>(all: Record<string, V>, kept: Record<string, V>) => Object.fromEntries(Object.entries(all).filter(([k]) => !(k in kept)));
  return {
    ...(t.primaryKey && !rest.primaryKey ? { primaryKey: clone(t.primaryKey) } : {}),
    uniques: pick(t.uniques, rest.uniques),
    checks: pick(t.checks, rest.checks),
    foreignKeys: pick(t.foreignKeys, rest.foreignKeys),
    indexes: pick(t.indexes, rest.indexes),
  };
}

/**
 * The schema during a multi-step change's window: `base` (the new side's snapshot) where, on
 * each table, the old column is back as the old side declares it (with its constraints and
 * indexes from `old`) and the new column is `relaxed` (nullable, no default, nothing built on
 * it). `whole` says which side is complete: `'from'` for the expand window (the old code's column
 * is the real one), `'to'` for the contract's down migration on its way back.
 *
 * @example
 * const window = windowSnapshot(prev, next, [{ table, from: nameCol, to: fullNameCol }], 'from');
 */
export function windowSnapshot(old: Snapshot, base: Snapshot, columns: readonly SyncedColumn[], whole: 'from' | 'to'): Snapshot {
  const out = clone(base);
  for (const c of columns) {
    const t = out.schemas[c.table.schema]?.tables[c.table.name];
    const oldTable = old.schemas[c.table.schema]?.tables[c.table.name];
    if (!t || !oldTable) continue;
    let next = withoutObjectsOn(t, c.to.name);
    const fromObjects = objectsOn(oldTable, c.from.name);
    if (whole === 'from') {
      next = {
        ...next,
        ...(fromObjects.primaryKey ? { primaryKey: fromObjects.primaryKey } : {}),
        uniques: { ...next.uniques, ...fromObjects.uniques },
        checks: { ...next.checks, ...fromObjects.checks },
        foreignKeys: { ...next.foreignKeys, ...fromObjects.foreignKeys },
        indexes: { ...next.indexes, ...fromObjects.indexes },
      };
    } else {
      next = clone(t);
    }
    const at = next.columns.findIndex((x) => x.name === c.to.name);
    const fromCol = whole === 'from' ? clone(c.from) : relaxed(c.from);
    const toCol = whole === 'from' ? relaxed(c.to) : clone(c.to);
    next.columns = next.columns.filter((x) => x.name !== c.to.name && x.name !== c.from.name);
    next.columns.splice(Math.max(0, at), 0, fromCol, toCol);
    out.schemas[c.table.schema]!.tables[c.table.name] = next;
  }
  if (whole === 'from') for (const c of columns) withReferencesToOld(out, old, c);
  return out;
}

const references = (f: ForeignKey, table: ObjectRef, column: string) =>
  f.foreignSchema === table.schema && f.foreignTable === table.name && f.foreignColumns.includes(column);

/**
 * In the expand's window the old column holds the key: the foreign keys of any table that
 * reference the new column (it has no key yet, PostgreSQL would refuse them) are the old side's,
 * referencing the old column. The contract moves them once the key is on the new column.
 */
function withReferencesToOld(window: Snapshot, old: Snapshot, c: SyncedColumn): void {
  for (const [schemaName, schema] of Object.entries(window.schemas)) {
    for (const [tableName, t] of Object.entries(schema.tables)) {
      const moved = Object.entries(t.foreignKeys).filter(([, f]) => references(f, c.table, c.to.name));
      if (moved.length === 0) continue;
      for (const [k] of moved) delete t.foreignKeys[k];
      // The old side's key of the same columns, where it had one (a key new in this change waits for the contract).
      const before = Object.values(old.schemas[schemaName]?.tables[tableName]?.foreignKeys ?? {});
      for (const [, f] of moved) {
        const was = before.find((b) => references(b, c.table, c.from.name) && JSON.stringify(b.columns) === JSON.stringify(f.columns));
        if (was) setEntry(t.foreignKeys, was.name, clone(was));
      }
    }
  }
}
