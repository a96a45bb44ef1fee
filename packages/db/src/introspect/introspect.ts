import {
  SNAPSHOT_VERSION, collationName, emptySchema,
  type CheckConstraint, type Column, type ForeignKey, type Index, type IndexElement, type Policy, type ReferentialAction,
  type SchemaDef, type Sequence, type Snapshot, type Table, type View,
} from '@strata/model';
import type { DatabaseClient, Queryable } from '../client.js';
import { extensionSchemasOnPathSql } from '../extension-schemas.js';
import {
  CONSTRAINTS_SQL, ENUMS_SQL, INDEXES_SQL, POLICIES_SQL, SCHEMAS_SQL, SEQUENCES_SQL, TABLES_SQL, VIEWS_SQL,
  type ColumnRow, type ConstraintRow, type EnumRow, type IndexRow, type PolicyRow, type SchemaRow, type SequenceRow, type TableRow, type ViewRow,
} from './catalog-queries.js';
import { explicitCollations } from './explicit-collations.js';
import { serialType } from './serial-type.js';
import { checkExpression, parseRelOptions, stripOuterParens, userTypeName, viewBody } from './sql-text.js';
import { tablesFilter } from './tables-filter.js';

export interface IntrospectOptions {
  /** Managed schemas; default every schema but the system ones. */
  schemas?: string[];
  /** Table and view name globs; `!` excludes (see `tables-filter.ts`). */
  tablesFilter?: string[];
  /** Schemas never read; default `['strata']` (Strata's history). drizzle-kit's `drizzle` is always left out. */
  excludeSchemas?: string[];
  /**
   * Read as a session whose search_path also names every schema holding an extension, as
   * `strata migrate` pins it: a type, function or operator class of an extension installed in
   * `extensions` then reads unqualified, as code writes it (check, push, pull). Default false:
   * the session's own search_path (a backup's DDL must restore anywhere).
   */
  extensionSchemasOnPath?: boolean;
}

/** Strata's history schema, left out of introspection unless `excludeSchemas` says otherwise. */
export const DEFAULT_EXCLUDED_SCHEMAS: readonly string[] = ['strata'];
const ALWAYS_EXCLUDED = ['drizzle'];

const ACTIONS: Record<string, ReferentialAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const POLICY_FOR: Record<PolicyRow['cmd'], Policy['for']> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/**
 * Reads a live database into a Snapshot: every table, column, constraint, index, enum, sequence,
 * view and policy in the managed schemas, leaving out system schemas, excluded schemas and objects
 * owned by extensions. A schema is in the snapshot only when the database has it. Sends a fixed number of catalog queries (one per object kind, all at once,
 * so a pool runs them concurrently), whatever the number of tables.
 *
 * @example
 * const snapshot = await introspect(db, { schemas: ['public', 'auth'], tablesFilter: ['!legacy_*'] });
 */
export async function introspect(client: Queryable, options: IntrospectOptions = {}): Promise<Snapshot> {
  const params = [JSON.stringify({
    schemas: options.schemas ?? null,
    exclude: [...(options.excludeSchemas ?? DEFAULT_EXCLUDED_SCHEMAS), ...ALWAYS_EXCLUDED],
  })];
  // A pool runs the queries side by side; a pinned session (one connection) gets them one by one.
  const pinned = 'inTransaction' in client;
  const pool = (client as Partial<DatabaseClient>).capabilities?.multipleConnections === true;
  const onPath = options.extensionSchemasOnPath === true;
  let chain: Promise<unknown> = Promise.resolve();
  const run = <R>(sql: string): Promise<R[]> => {
    const next = onPath && pool
      // Each query on a pooled connection of its own, in a transaction the setting ends with.
      ? () => (client as DatabaseClient).transaction(async (tx) => {
          await tx.query(extensionSchemasOnPathSql(true));
          return (await tx.query<R>(sql, params)).rows;
        })
      : () => client.query<R>(sql, params).then((r) => r.rows);
    if (!pinned) return next();
    const result = chain.then(next);
    chain = result.catch(() => undefined);
    return result;
  };
  const readAll = () => Promise.all([
    run<SchemaRow>(SCHEMAS_SQL),
    run<TableRow>(TABLES_SQL),
    run<ConstraintRow>(CONSTRAINTS_SQL),
    run<IndexRow>(INDEXES_SQL),
    run<EnumRow>(ENUMS_SQL),
    run<SequenceRow>(SEQUENCES_SQL),
    run<ViewRow>(VIEWS_SQL),
    run<PolicyRow>(POLICIES_SQL),
  ]);
  // One connection (PGlite, a session, a transaction, which may hold the migration lock): the
  // path is set for all the queries and put back after them.
  const [schemaRows, tableRows, constraintRows, indexRows, enumRows, sequenceRows, viewRows, policyRows] = onPath && !pool
    ? await withSessionPath(client, readAll)
    : await readAll();

  // Only the schemas the database has: a managed schema it lacks must show as missing (so push
  // creates it and check reports it), never as present and empty.
  const schemas: Record<string, SchemaDef> = {};
  const schemaOf = (name: string) => (schemas[name] ??= emptySchema(name));
  // `public` first, as a code snapshot has it (key order is what callers iterate in).
  if (schemaRows.some((r) => r.name === 'public')) schemaOf('public');
  for (const { name } of schemaRows) schemaOf(name);

  const keep = tablesFilter(options.tablesFilter);
  const ownedSequences = new Map<string, SequenceRow>();
  for (const s of sequenceRows) if (s.owner_kind) ownedSequences.set(`${s.owner_table}:${s.owner_column}`, s);

  const tables = new Map<number, Table>();
  const skippedTables = new Set<number>();
  const serialSequences = new Set<SequenceRow>();
  for (const row of tableRows) {
    if (!keep(row.schema, row.name)) {
      skippedTables.add(row.oid);
      continue;
    }
    const table: Table = {
      schema: row.schema, name: row.name, columns: [], uniques: {}, checks: {}, foreignKeys: {}, indexes: {},
      rlsEnabled: row.rls, policies: {},
    };
    for (const c of row.columns) {
      const owned = ownedSequences.get(`${row.oid}:${c.num}`);
      const column = toColumn(c, owned);
      const serial = owned?.owner_kind === 'a' ? serialType(row.schema, row.name, column, owned) : null;
      if (serial && owned) {
        column.type = serial;
        delete column.default;
        serialSequences.add(owned);
      }
      table.columns.push(column);
    }
    tables.set(row.oid, table);
    schemaOf(row.schema).tables[row.name] = table;
  }

  for (const c of constraintRows) {
    const table = tables.get(c.table_oid);
    if (!table) continue;
    addConstraint(table, c);
  }
  for (const i of indexRows) {
    const table = tables.get(i.table_oid);
    if (table) table.indexes[i.name] = toIndex(i);
  }
  for (const p of policyRows) {
    const table = tables.get(p.table_oid);
    if (!table) continue;
    const policy: Policy = {
      name: p.name,
      as: p.permissive ? 'permissive' : 'restrictive',
      for: POLICY_FOR[p.cmd],
      to: [...(p.roles ?? ['public'])].sort(),
    };
    if (p.using !== null) policy.using = stripOuterParens(p.using);
    if (p.with_check !== null) policy.withCheck = stripOuterParens(p.with_check);
    table.policies[p.name] = policy;
  }
  for (const e of enumRows) schemaOf(e.schema).enums[e.name] = { schema: e.schema, name: e.name, values: e.values };
  for (const s of sequenceRows) {
    if (s.owner_kind === 'i' || serialSequences.has(s)) continue;
    schemaOf(s.schema).sequences[s.name] = toSequence(s);
  }
  for (const v of viewRows) {
    if (!keep(v.schema, v.name)) continue;
    if ((v.depends_on ?? []).some((oid) => skippedTables.has(oid))) continue;
    const view: View = { schema: v.schema, name: v.name, materialized: v.materialized, definition: viewBody(v.def) };
    const withOptions = parseRelOptions(v.options);
    if (withOptions) view.with = withOptions;
    if (v.materialized && !v.populated) view.withNoData = true;
    if (v.materialized && v.access_method !== null && v.access_method !== 'heap') view.using = v.access_method;
    if (v.tablespace !== null) view.tablespace = v.tablespace;
    schemaOf(v.schema).views[v.name] = view;
  }
  return { version: SNAPSHOT_VERSION, dialect: 'postgresql', schemas };
}

/** Runs `read` with the extension schemas on the session's search_path, then puts the path back. */
async function withSessionPath<T>(client: Queryable, read: () => Promise<T>): Promise<T> {
  const before = (await client.query<{ path: string }>(`select pg_catalog.current_setting('search_path') as path`)).rows[0]!.path;
  await client.query(extensionSchemasOnPathSql(false));
  try {
    return await read();
  } finally {
    await client.query(`select pg_catalog.set_config('search_path', $1, false)`, [before]);
  }
}

function toColumn(c: ColumnRow, owned: SequenceRow | undefined): Column {
  const column: Column = { name: c.name, type: c.formatted, dimensions: c.dims, notNull: c.notNull };
  if (c.baseKind === 'e') {
    // An enum is always named with its schema, as the code names it (pgEnum or pgSchema.enum).
    column.type = c.baseName;
    column.typeSchema = c.baseSchema;
  } else if (c.baseSchema !== 'pg_catalog') {
    // Other user and extension types as the code writes them: qualified only when not on the search_path.
    Object.assign(column, userTypeName(c.formatted));
  }
  if (c.default !== null) {
    if (c.generated) column.generated = { expression: stripOuterParens(c.default), ...(c.generated === 'v' ? { virtual: true as const } : {}) };
    else column.default = stripOuterParens(c.default);
  }
  if (c.identity && owned?.owner_kind === 'i') {
    column.identity = {
      type: c.identity === 'a' ? 'always' : 'byDefault',
      sequenceName: owned.name,
      increment: owned.increment,
      minValue: owned.min_value,
      maxValue: owned.max_value,
      start: owned.start,
      cache: owned.cache,
      cycle: owned.cycle,
    };
  }
  if (c.collation !== null) column.collation = collationName(c.collationSchema ?? undefined, c.collation);
  return column;
}

function addConstraint(table: Table, c: ConstraintRow): void {
  const columns = c.columns ?? [];
  switch (c.type) {
    case 'p':
      table.primaryKey = { name: c.name, columns };
      return;
    case 'u':
      table.uniques[c.name] = { name: c.name, columns, nullsNotDistinct: c.nulls_not_distinct };
      return;
    case 'c': {
      const check: CheckConstraint = { name: c.name, expression: checkExpression(c.def ?? '') ?? c.def ?? '' };
      table.checks[c.name] = check;
      return;
    }
    case 'f': {
      const fk: ForeignKey = {
        name: c.name,
        columns,
        foreignSchema: c.foreign_schema ?? '',
        foreignTable: c.foreign_table ?? '',
        foreignColumns: c.foreign_columns ?? [],
        onDelete: ACTIONS[c.on_delete] ?? 'no action',
        onUpdate: ACTIONS[c.on_update] ?? 'no action',
      };
      table.foreignKeys[c.name] = fk;
      return;
    }
    default: {
      const never: never = c.type;
      throw new Error(`unexpected constraint type ${String(never)}`);
    }
  }
}

function toIndex(i: IndexRow): Index {
  const collated = explicitCollations(i.def, i.elements.length);
  const elements = i.elements.map((e, k): IndexElement => {
    const element: IndexElement = {
      value: e.expression ? stripOuterParens(e.value) : e.column ?? e.value,
      expression: e.expression,
      desc: (e.option & 1) !== 0,
      nullsFirst: (e.option & 2) !== 0,
    };
    if (e.opclass) element.opclass = e.opclass;
    const differs = e.expression ? collated[k] : e.collationOid !== 0 && e.collationOid !== e.columnCollationOid;
    if (differs && e.collation) element.collation = collationName(e.collationSchema ?? undefined, e.collation);
    return element;
  });
  const index: Index = { name: i.name, unique: i.unique, method: i.method, elements, nullsNotDistinct: i.nulls_not_distinct };
  if (i.where !== null) index.where = stripOuterParens(i.where);
  const withOptions = parseRelOptions(i.options);
  if (withOptions) index.with = withOptions;
  return index;
}

function toSequence(s: SequenceRow): Sequence {
  return {
    schema: s.schema,
    name: s.name,
    dataType: s.data_type as Sequence['dataType'],
    increment: s.increment,
    minValue: s.min_value,
    maxValue: s.max_value,
    start: s.start,
    cache: s.cache,
    cycle: s.cycle,
  };
}
