import type { Snapshot, Table } from '@strata/model';

const sameColumns = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((c, i) => c === b[i]);

/**
 * Reads a database's primary keys the way PostgreSQL built them from a `CREATE TABLE` that declared
 * both a primary key and a `UNIQUE` constraint on exactly the same columns (drizzle-kit writes
 * `text('id').primaryKey().unique()` so). PostgreSQL keeps only the primary key, and when the
 * primary key had no name of its own it takes the unique constraint's name (`t_id_unique`, not
 * `t_pkey`). The rule: when the database has a primary key named like a unique constraint that
 * `declared` (the schema code, or the migrations' snapshot) puts on the primary key's own columns,
 * and no such unique constraint, that table is read as `target` (the same, spelled by the server)
 * has it: the primary key under the target's name, and the unique constraint if the target keeps it.
 * Nothing else is touched, so any other difference is still reported.
 *
 * @example
 * const seen = recognizeAbsorbedUniques(live, code, await serverSpelled(…)); // then diff seen against the target
 */
export function recognizeAbsorbedUniques(live: Snapshot, declared: Snapshot, target: Snapshot): Snapshot {
  let out: Snapshot | null = null;
  for (const [schema, def] of Object.entries(live.schemas)) {
    for (const [name, table] of Object.entries(def.tables)) {
      const seen = absorbed(table, declared.schemas[schema]?.tables[name], target.schemas[schema]?.tables[name]);
      if (seen === table) continue;
      out ??= { ...live, schemas: { ...live.schemas } };
      const s = out.schemas[schema]!;
      out.schemas[schema] = { ...s, tables: { ...s.tables, [name]: seen } };
    }
  }
  return out ?? live;
}

function absorbed(table: Table, declared: Table | undefined, target: Table | undefined): Table {
  const pk = table.primaryKey;
  if (!pk || !declared?.primaryKey || !target?.primaryKey) return table;
  const unique = Object.hasOwn(declared.uniques, pk.name) ? declared.uniques[pk.name] : undefined;
  if (!unique || unique.nullsNotDistinct || Object.hasOwn(table.uniques, pk.name)) return table;
  if (!sameColumns(unique.columns, pk.columns) || !sameColumns(declared.primaryKey.columns, pk.columns) || !sameColumns(target.primaryKey.columns, pk.columns)) return table;
  if (target.primaryKey.name === pk.name) return table;
  const kept = Object.hasOwn(target.uniques, pk.name) ? target.uniques[pk.name] : undefined;
  return {
    ...table,
    primaryKey: { ...pk, name: target.primaryKey.name },
    uniques: kept ? Object.fromEntries([...Object.entries(table.uniques), [pk.name, kept]]) : table.uniques,
  };
}
