import { StrataError, truncateIdentifier } from '@strata/core';
import type { PgPolicy, PgTable } from 'drizzle-orm/pg-core';
import { checkForeignKeys } from './check-foreign-keys.js';
import { collectEntities, type Found, type LoadedModule } from './collect-entities.js';
import type { Casing } from './render-sql.js';
import { SchemaNamespace } from './schema-namespace.js';
import type { EnumRef } from './serialize-column.js';
import { serializePolicy } from './serialize-policy.js';
import { serializeSequence } from './serialize-sequence.js';
import { serializeTable } from './serialize-table.js';
import { serializeView } from './serialize-view.js';
import { tableIdentity } from './table-identity.js';
import { emptySchema, emptySnapshot, type SchemaDef, type Snapshot, type Table } from './snapshot.js';
import { getEntry, setEntry } from './records.js';

export interface SerializeOptions {
  /** As drizzle-orm's `casing` option: how column keys without an explicit name become names. */
  casing?: Casing;
  /**
   * The managed schemas. Objects in other schemas are left out, and foreign keys may point into
   * them. Default: `public` and every schema the exported objects live in or declare.
   */
  schemas?: string[];
}

/**
 * Turns drizzle pg-core schema code into a Snapshot: every exported table (also in `pgSchema`),
 * enum (also one only used by a column), sequence, view, materialized view, `pgSchema`
 * declaration and policy. Takes the modules `loadSchemaModules` returns, or one object of exports
 * (`import * as schema from './schema'`).
 *
 * Index elements written as SQL are kept whole here (this function is synchronous); pass the
 * result to `splitIndexElements` to separate `DESC`, `COLLATE …` and operator classes from the
 * expression (`loadSchema` does).
 *
 * Throws `StrataError('SCHEMA_INVALID')` for two objects with one name (naming both), a foreign
 * key to a table that is not in the schema, and anything PostgreSQL would reject in the DDL.
 *
 * @example
 * import * as schema from './schema';
 * const snapshot = serializeSchema(schema, { casing: 'snake_case' });
 * snapshot.schemas.public?.tables.users?.columns.map((c) => c.name); // => ['id', 'created_at']
 */
export function serializeSchema(input: readonly LoadedModule[] | Record<string, unknown>, options: SerializeOptions = {}): Snapshot {
  const modules: readonly LoadedModule[] = Array.isArray(input) ? input : [{ file: '<exports>', exports: input as Record<string, unknown> }];
  const { casing } = options;
  const found = collectEntities(modules);
  const managed = managedSchemas(found, options.schemas);
  const snapshot = emptySnapshot();
  const ns = new SchemaNamespace();
  const schemaDef = (name: string): SchemaDef => {
    const existing = getEntry(snapshot.schemas, name);
    if (existing) return existing;
    const created = emptySchema(name);
    setEntry(snapshot.schemas, name, created);
    return created;
  };
  const isManaged = (schema: string) => managed.has(schema);

  for (const { value } of found.schemas) {
    const name = truncateIdentifier(value.schemaName);
    if (isManaged(name)) schemaDef(name);
  }

  const tableOrigins = new Map<string, string>();
  const enumsUsed: Array<Found<EnumRef>> = [];
  for (const { value, origin } of found.tables) {
    if (!isManaged(tableIdentity(value).schema)) continue;
    const { table, enumsUsed: used } = serializeTable(value, casing);
    const owner = `table ${table.schema}.${table.name} (${origin})`;
    ns.claim('relation', table.schema, table.name, owner);
    ns.claim('type', table.schema, table.name, owner);
    claimTableIndexes(ns, table);
    setEntry(schemaDef(table.schema).tables, table.name, table);
    tableOrigins.set(`${table.schema}.${table.name}`, origin);
    for (const e of used) enumsUsed.push({ value: e, origin: `used by table ${table.schema}.${table.name} (${origin})` });
  }

  const enumObjects = new Map<string, EnumRef>();
  for (const { value, origin } of [...found.enums, ...enumsUsed]) {
    const schema = truncateIdentifier(value.schema ?? 'public');
    const name = truncateIdentifier(value.enumName);
    const key = `${schema}.${name}`;
    if (!isManaged(schema)) continue;
    // A second pgEnum of the same name and values (an unexported copy a table uses, to avoid an
    // import cycle) declares the same type: one enum, as drizzle-kit makes it. Other values are two
    // types under one name, and the claim below says so.
    const seen = enumObjects.get(key);
    if (seen === value || (seen && sameValues(seen.enumValues, value.enumValues))) continue;
    ns.claim('type', schema, name, `enum ${key} (${origin})`);
    enumObjects.set(key, value);
    const values = [...value.enumValues];
    const duplicate = values.find((v, i) => values.indexOf(v) !== i);
    if (duplicate !== undefined) throw new StrataError('SCHEMA_INVALID', `enum ${key} lists the value ${JSON.stringify(duplicate)} twice (${origin})`);
    setEntry(schemaDef(schema).enums, name, { name, schema, values });
  }

  for (const { value, origin } of found.sequences) {
    const sequence = serializeSequence(value);
    if (!isManaged(sequence.schema)) continue;
    ns.claim('relation', sequence.schema, sequence.name, `sequence ${sequence.schema}.${sequence.name} (${origin})`);
    setEntry(schemaDef(sequence.schema).sequences, sequence.name, sequence);
  }

  const views = [...found.views.map((f) => ({ ...f, materialized: false })), ...found.materializedViews.map((f) => ({ ...f, materialized: true }))];
  for (const { value, origin, materialized } of views) {
    const view = serializeView(value, materialized, casing);
    if (!view || !isManaged(view.schema)) continue;
    const owner = `${materialized ? 'materialized view' : 'view'} ${view.schema}.${view.name} (${origin})`;
    ns.claim('relation', view.schema, view.name, owner);
    ns.claim('type', view.schema, view.name, owner);
    setEntry(schemaDef(view.schema).views, view.name, view);
  }

  const declared = new Set(found.tables.map(({ value }) => tableKey(value)));
  attachLinkedPolicies(snapshot, found.policies, casing, isManaged, declared);
  checkForeignKeys(snapshot, { isManaged, origins: tableOrigins });
  return snapshot;
}

/** The same enum values in the same order. */
function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function tableKey(table: PgTable): string {
  const { schema, name } = tableIdentity(table);
  return `${schema}.${name}`;
}

// A standalone `pgPolicy(…).link(table)` joins its table's policies (and turns on RLS, as drizzle-kit does).
function attachLinkedPolicies(
  snapshot: Snapshot,
  policies: ReadonlyArray<Found<PgPolicy>>,
  casing: Casing | undefined,
  isManaged: (schema: string) => boolean,
  declared: ReadonlySet<string>,
): void {
  for (const { value, origin } of policies) {
    const linked = (value as unknown as { _linkedTable?: PgTable })._linkedTable;
    if (!linked) {
      throw new StrataError('SCHEMA_INVALID', `policy "${value.name}" is not attached to a table (${origin})`, {
        hint: "Return it from the table's third argument, or call .link(table) on it.",
      });
    }
    const { schema, name: tableName } = tableIdentity(linked);
    if (!isManaged(schema)) {
      // A table the code declares in a schema the config leaves out goes, with its policies. A
      // table the code only links to (drizzle-orm/supabase's `realtimeMessages`) is someone
      // else's: drizzle-kit creates the policy on it, and leaving it out would lose it silently.
      if (declared.has(`${schema}.${tableName}`)) continue;
      throw new StrataError(
        'SCHEMA_INVALID',
        `policy "${value.name}" (${origin}) is linked to table ${schema}.${tableName}, outside the managed schemas: Strata manages no policy on a table it does not manage, and would not create it (drizzle-kit does)`,
        { hint: 'Create it in a hand-written migration (`strata generate --custom`) and remove it from the schema code.' },
      );
    }
    const schemaEntry = getEntry(snapshot.schemas, schema);
    const table = schemaEntry && getEntry(schemaEntry.tables, tableName);
    if (!table) {
      throw new StrataError('SCHEMA_INVALID', `policy "${value.name}" (${origin}) is linked to table ${schema}.${tableName}, which is not in the schema`, {
        hint: 'Export the table from a schema file.',
      });
    }
    const policy = serializePolicy(value, casing, `${schema}.${tableName}`);
    if (getEntry(table.policies, policy.name)) {
      throw new StrataError('SCHEMA_INVALID', `table ${schema}.${tableName} has two policies named "${policy.name}" (one is ${origin})`);
    }
    setEntry(table.policies, policy.name, policy);
    table.rlsEnabled = true;
  }
}

function claimTableIndexes(ns: SchemaNamespace, table: Table): void {
  const where = `on table ${table.schema}.${table.name}`;
  if (table.primaryKey) ns.claim('relation', table.schema, table.primaryKey.name, `primary key "${table.primaryKey.name}" ${where}`);
  for (const u of Object.values(table.uniques)) ns.claim('relation', table.schema, u.name, `unique constraint "${u.name}" ${where}`);
  for (const i of Object.values(table.indexes)) ns.claim('relation', table.schema, i.name, `index "${i.name}" ${where}`);
  for (const c of table.columns) {
    if (c.identity) ns.claim('relation', table.schema, c.identity.sequenceName, `identity sequence of ${table.schema}.${table.name}.${c.name}`);
  }
}

function managedSchemas(found: ReturnType<typeof collectEntities>, explicit: string[] | undefined): Set<string> {
  if (explicit) return new Set(explicit.map((s) => truncateIdentifier(s)));
  const names = new Set<string>(['public']);
  const add = (schema: string | undefined) => names.add(truncateIdentifier(schema ?? 'public'));
  for (const { value } of found.schemas) add(value.schemaName);
  for (const { value } of found.tables) add(tableIdentity(value).schema);
  for (const { value } of found.enums) add(value.schema);
  for (const { value } of found.sequences) add(value.schema);
  for (const { value } of [...found.views, ...found.materializedViews]) add(schemaOfView(value));
  return names;
}

function schemaOfView(view: object): string | undefined {
  const config = (view as Record<symbol, { schema?: string } | undefined>)[Symbol.for('drizzle:ViewBaseConfig')];
  return config?.schema;
}
