import { StrataError, truncateIdentifier } from '@strata/core';
import type { PgTable } from 'drizzle-orm/pg-core';
import { getTableName, getTableConfig } from './drizzle.js';
import { casedColumnName, columnName, type NamedColumn } from './column-name.js';
import { drizzleKitCasedName, primaryKeyName } from './default-names.js';
import { renderSql, type Casing } from './render-sql.js';
import { serializeColumn, type EnumRef } from './serialize-column.js';
import { foldDuplicateUniques } from './fold-duplicate-uniques.js';
import { serializeIndex } from './serialize-index.js';
import { sameForeignKey } from './same-foreign-key.js';
import { serializePolicy } from './serialize-policy.js';
import { tableIdentity } from './table-identity.js';
import type { ForeignKey, ReferentialAction, Table } from './snapshot.js';
import { getEntry, setEntry } from './records.js';

const ACTIONS: readonly ReferentialAction[] = ['no action', 'restrict', 'cascade', 'set null', 'set default'];

export interface SerializedTable {
  table: Table;
  /** Enums the columns use, so that enums reached only through a table are found. */
  enumsUsed: EnumRef[];
}

/**
 * Turns one `pgTable` (or `pgSchema(…).table`) into a Snapshot table: columns, primary key,
 * unique/check/foreign-key constraints, indexes, RLS and the policies given in its third
 * argument (object or array style). Default names are drizzle-kit 0.31's; every name is cut at 63
 * bytes as PostgreSQL cuts it.
 *
 * @example
 * serializeTable(users, undefined).table.primaryKey // => { name: 'users_pkey', columns: ['id'] }
 */
export function serializeTable(source: PgTable, casing: Casing | undefined): SerializedTable {
  let config: ReturnType<typeof getTableConfig>;
  const rawName = getTableName(source);
  try {
    config = getTableConfig(source);
  } catch (cause) {
    throw new StrataError('SCHEMA_INVALID', `table "${rawName}": its third argument (indexes, constraints) failed: ${(cause as Error).message}`, { cause });
  }
  const schema = truncateIdentifier(config.schema ?? 'public');
  const name = truncateIdentifier(config.name);
  const qualified = `${schema}.${name}`;
  const table: Table = { schema, name, columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {}, rlsEnabled: false, policies: {} };
  const enumsUsed: EnumRef[] = [];
  const constraintNames = new Map<string, string>();
  const claimConstraint = (constraint: string, kind: string) => {
    const previous = constraintNames.get(constraint);
    if (previous !== undefined) {
      throw new StrataError('SCHEMA_INVALID', `table ${qualified} has two constraints named "${constraint}": the ${previous} and the ${kind}`, {
        hint: 'Give one of them another name (names are compared after cutting them to 63 bytes).',
      });
    }
    constraintNames.set(constraint, kind);
  };

  const columnPks: string[] = [];
  // Unique constraints in the order drizzle-kit lists them in CREATE TABLE (see foldDuplicateUniques).
  const uniqueOrder: string[] = [];
  for (const source of config.columns) {
    const { column, enumUsed } = serializeColumn(source, { table: name, qualifiedTable: qualified, casing });
    if (table.columns.some((c) => c.name === column.name)) {
      throw duplicateColumnError(source, config.columns, qualified, column.name);
    }
    table.columns.push(column);
    if (enumUsed) enumsUsed.push(enumUsed);
    if (source.primary) columnPks.push(column.name);
    if (source.isUnique) {
      const unique = truncateIdentifier(source.uniqueName ?? `${config.name}_${column.name}_unique`);
      claimConstraint(unique, `unique constraint on (${column.name})`);
      setEntry(table.uniques, unique, { columns: [column.name], name: unique, nullsNotDistinct: source.uniqueType === 'not distinct' });
      uniqueOrder.push(unique);
    }
  }
  const hasColumn = (col: string, what: string) => {
    if (!table.columns.some((c) => c.name === col)) throw new StrataError('SCHEMA_INVALID', `${what} on ${qualified} names column "${col}", which the table does not have`);
  };

  if (columnPks.length + config.primaryKeys.length > 1) {
    throw new StrataError('SCHEMA_INVALID', `table ${qualified} declares more than one primary key (${[...columnPks.map((c) => `${c}.primaryKey()`), ...config.primaryKeys.map(() => 'primaryKey({ … })')].join(', ')})`, {
      hint: 'Use one primaryKey({ columns: [a, b] }) in the third argument for a composite key.',
    });
  }
  const [columnPk] = columnPks;
  const [compositePk] = config.primaryKeys;
  if (columnPk !== undefined) {
    table.primaryKey = { columns: [columnPk], name: primaryKeyName(name) };
  } else if (compositePk) {
    const columns = compositePk.columns.map((c) => columnName(c, casing));
    const pkName =
      compositePk.name !== undefined
        ? truncateIdentifier(compositePk.name)
        : drizzleKitCasedName(compositePk.getName(), casingPairs(compositePk.columns, casing));
    columns.forEach((c) => hasColumn(c, `primary key "${pkName}"`));
    table.primaryKey = { columns, name: pkName };
  }
  if (table.primaryKey) {
    claimConstraint(table.primaryKey.name, `primary key on (${table.primaryKey.columns.join(', ')})`);
    // PostgreSQL makes primary-key columns NOT NULL; the catalog will say so.
    for (const c of table.columns) if (table.primaryKey.columns.includes(c.name)) c.notNull = true;
  }

  for (const unique of config.uniqueConstraints) {
    const columns = unique.columns.map((c) => columnName(c, casing));
    const uniqueName = truncateIdentifier(unique.getName() ?? `${config.name}_${unique.columns.map((c) => c.name).join('_')}_unique`);
    columns.forEach((c) => hasColumn(c, `unique constraint "${uniqueName}"`));
    claimConstraint(uniqueName, `unique constraint on (${columns.join(', ')})`);
    setEntry(table.uniques, uniqueName, { columns, name: uniqueName, nullsNotDistinct: unique.nullsNotDistinct });
    uniqueOrder.push(uniqueName);
  }
  if (table.primaryKey) foldUniquesIntoPrimaryKey(table, table.primaryKey, columnPk !== undefined);
  foldDuplicateUniques(table, uniqueOrder);

  for (const check of config.checks) {
    const checkName = truncateIdentifier(check.name);
    claimConstraint(checkName, 'check constraint');
    setEntry(table.checks, checkName, { expression: renderSql(check.value, { casing, what: `check "${checkName}" on ${qualified}` }), name: checkName });
  }

  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    const target = tableIdentity(ref.foreignTable as PgTable);
    const fkName =
      ref.name !== undefined
        ? truncateIdentifier(ref.name)
        : drizzleKitCasedName(fk.getName(), [...casingPairs(ref.columns, casing), ...casingPairs(ref.foreignColumns, casing)]);
    const what = `foreign key "${fkName}" on ${qualified}`;
    const onDelete = action(fk.onDelete, what);
    const onUpdate = action(fk.onUpdate, what);
    const foreignKey: ForeignKey = {
      columns: ref.columns.map((c) => columnName(c, casing)),
      foreignColumns: ref.foreignColumns.map((c) => columnName(c, casing)),
      foreignSchema: target.schema,
      foreignTable: target.name,
      name: fkName,
      onDelete,
      onUpdate,
    };
    if (foreignKey.columns.length !== foreignKey.foreignColumns.length) {
      throw new StrataError('SCHEMA_INVALID', `${what} has ${foreignKey.columns.length} columns but references ${foreignKey.foreignColumns.length}`);
    }
    foreignKey.columns.forEach((c) => hasColumn(c, what));
    // The same foreign key written twice under one name (`.references()` and a `foreignKey()` given
    // drizzle-kit's default name) is one constraint: drizzle-kit keys them by name and creates one.
    const earlier = getEntry(table.foreignKeys, fkName);
    if (earlier && sameForeignKey(earlier, foreignKey)) continue;
    claimConstraint(fkName, `foreign key on (${foreignKey.columns.join(', ')})`);
    setEntry(table.foreignKeys, fkName, foreignKey);
  }

  for (const index of config.indexes) {
    const serialized = serializeIndex(index, { table: config.name, qualifiedTable: qualified, casing });
    serialized.elements.forEach((e) => {
      if (!e.expression) hasColumn(e.value, `index "${serialized.name}"`);
    });
    if (getEntry(table.indexes, serialized.name)) throw new StrataError('SCHEMA_INVALID', `table ${qualified} has two indexes named "${serialized.name}"`);
    setEntry(table.indexes, serialized.name, serialized);
  }

  for (const policy of config.policies) {
    const serialized = serializePolicy(policy, casing, qualified);
    if (getEntry(table.policies, serialized.name)) throw new StrataError('SCHEMA_INVALID', `table ${qualified} has two policies named "${serialized.name}"`);
    setEntry(table.policies, serialized.name, serialized);
  }
  // drizzle-kit enables row-level security on any table that has policies.
  table.rlsEnabled = config.enableRLS || config.policies.length > 0;
  return { table: tableInKeyOrder(table), enumsUsed };
}

/**
 * The table with its fields in key order: the snapshot file is then written natively (see
 * canonicalJson). Its maps keep the order of the code: the SQL lists objects in that order.
 */
function tableInKeyOrder(t: Table): Table {
  const { checks, columns, foreignKeys, indexes, name, policies, primaryKey, rlsEnabled, schema, uniques } = t;
  // Two literals rather than a spread: a spread copies key by key, slowly, on every table.
  return primaryKey
    ? { checks, columns, foreignKeys, indexes, name, policies, primaryKey, rlsEnabled, schema, uniques }
    : { checks, columns, foreignKeys, indexes, name, policies, rlsEnabled, schema, uniques };
}

/**
 * A unique constraint on exactly the primary key's columns (`id: serial().primaryKey().unique()`)
 * is no second index: CREATE TABLE folds it into the primary key, as PostgreSQL folds any
 * constraint index equal to an earlier one, and the key takes the unique's name when it has none
 * of its own: a column's `.primaryKey()`, which drizzle-kit writes inline, unnamed. So the catalog
 * holds one primary key named `<table>_id_unique`, and the snapshot says the same. A unique NULLS
 * NOT DISTINCT differs from the key's index and stays.
 *
 * @example
 * // id: serial('id').primaryKey().unique() on "posts"
 * // => primaryKey { name: 'posts_id_unique', columns: ['id'] }, uniques {}
 */
function foldUniquesIntoPrimaryKey(table: Table, primaryKey: NonNullable<Table['primaryKey']>, unnamed: boolean): void {
  let named = !unnamed;
  for (const unique of Object.values(table.uniques)) {
    if (unique.nullsNotDistinct || unique.columns.length !== primaryKey.columns.length) continue;
    if (!unique.columns.every((c, i) => c === primaryKey.columns[i])) continue;
    delete table.uniques[unique.name];
    if (!named) {
      primaryKey.name = unique.name;
      named = true;
    }
  }
}

function casingPairs(columns: readonly NamedColumn[], casing: Casing | undefined): Array<[string, string]> {
  if (casing === undefined) return [];
  return columns.map((c) => [c.name ?? '', casedColumnName(c, casing)]);
}

function action(value: string | undefined, what: string): ReferentialAction {
  const normalized = (value ?? 'no action').toLowerCase();
  const found = ACTIONS.find((a) => a === normalized);
  if (!found) throw new StrataError('SCHEMA_INVALID', `${what}: unknown referential action ${JSON.stringify(value)} (expected ${ACTIONS.join(', ')})`);
  return found;
}

type ColumnOf = ReturnType<typeof getTableConfig>['columns'][number];

/**
 * The error for two columns of one table with one name. drizzle names a column builder once, by
 * the first key it meets (`setName` keeps an earlier name), and every column built from it shares
 * the builder's config object; so `updatedAt: base.createdAt` in a spread of shared helpers
 * silently yields a second "createdAt" column. That cause gets its own hint naming both keys,
 * since the casing/63-byte hint would send the reader looking in the wrong place.
 */
function duplicateColumnError(source: ColumnOf, columns: readonly ColumnOf[], qualified: string, name: string): StrataError {
  const first = columns.find((c) => c !== source && c.name === source.name);
  const configOf = (c: ColumnOf | undefined): unknown => (c as unknown as { config?: unknown } | undefined)?.config;
  const sharedBuilder = first !== undefined && configOf(first) !== undefined && configOf(first) === configOf(source);
  const keys = Object.entries(source.table as unknown as Record<string, unknown>)
    .filter(([, value]) => value === source || value === first)
    .map(([key]) => `"${key}"`);
  if (sharedBuilder && keys.length === 2) {
    return new StrataError('SCHEMA_INVALID', `table ${qualified} has two columns named "${name}": keys ${keys.join(' and ')} use one column builder object`, {
      hint: 'drizzle names a column builder once, by the first key that uses it, so both keys get that name: give each key its own builder (for shared columns, a function that returns fresh builders).',
    });
  }
  return new StrataError('SCHEMA_INVALID', `table ${qualified} has two columns named "${name}"`, {
    hint: 'Two keys give the same name after the casing option or after cutting to 63 bytes: rename one.',
  });
}
