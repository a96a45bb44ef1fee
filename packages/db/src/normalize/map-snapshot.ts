import type { Column, Index, Policy, SchemaDef, Snapshot, Table, View } from '@strata/model';

/** Where an expression sits, for messages (`default of column public.users.email`). */
export interface ExpressionSite {
  /** e.g. `default of column "public"."users"."email"` */
  what: string;
  /** The table the expression belongs to, when it belongs to one (its columns may be written `table.col`). */
  table?: string;
}

export interface SnapshotMapper {
  /** Renames the schema an object lives in. */
  schema(name: string): string;
  /** Renames the schema of a column's type (`typeSchema`), given the type's name. */
  typeSchema(schema: string, type: string): string;
  /** Renames the schema of a foreign key's target table. */
  foreignSchema(schema: string, table: string): string;
  /** Rewrites an SQL expression. */
  expression(sql: string, site: ExpressionSite): string;
}

const q = (schema: string, name: string) => `${schema}.${name}`;

/**
 * Copies a snapshot, passing every schema reference and every SQL expression through `mapper`.
 * The one place that knows where schema names and expressions hide in the model.
 */
export function mapSnapshot(snapshot: Snapshot, mapper: SnapshotMapper): Snapshot {
  const schemas: Record<string, SchemaDef> = {};
  for (const def of Object.values(snapshot.schemas)) {
    const name = mapper.schema(def.name);
    schemas[name] = {
      name,
      tables: mapValues(def.tables, (t) => mapTable(t, mapper)),
      enums: mapValues(def.enums, (e) => ({ ...e, values: [...e.values], schema: mapper.schema(e.schema) })),
      sequences: mapValues(def.sequences, (s) => ({ ...s, schema: mapper.schema(s.schema) })),
      views: mapValues(def.views, (v) => mapView(v, mapper)),
    };
  }
  return { ...snapshot, schemas };
}

function mapValues<T>(record: Record<string, T>, fn: (value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function mapTable(t: Table, m: SnapshotMapper): Table {
  const where = q(t.schema, t.name);
  const site = (what: string): ExpressionSite => ({ what: `${what} of table ${where}`, table: t.name });
  const out: Table = {
    ...t,
    schema: m.schema(t.schema),
    columns: t.columns.map((c) => mapColumn(c, m, where, t.name)),
    uniques: mapValues(t.uniques, (u) => ({ ...u, columns: [...u.columns] })),
    checks: mapValues(t.checks, (c) => ({ ...c, expression: m.expression(c.expression, site(`check "${c.name}"`)) })),
    foreignKeys: mapValues(t.foreignKeys, (f) => ({
      ...f, columns: [...f.columns], foreignColumns: [...f.foreignColumns], foreignSchema: m.foreignSchema(f.foreignSchema, f.foreignTable),
    })),
    indexes: mapValues(t.indexes, (i) => mapIndex(i, m, where, t.name)),
    policies: mapValues(t.policies, (p) => mapPolicy(p, m, where, t.name)),
  };
  if (t.primaryKey) out.primaryKey = { ...t.primaryKey, columns: [...t.primaryKey.columns] };
  return out;
}

function mapColumn(c: Column, m: SnapshotMapper, where: string, table: string): Column {
  const out: Column = { ...c };
  if (c.typeSchema !== undefined) out.typeSchema = m.typeSchema(c.typeSchema, c.type);
  if (c.default !== undefined) out.default = m.expression(c.default, { what: `default of column ${where}.${c.name}`, table });
  if (c.generated) out.generated = { expression: m.expression(c.generated.expression, { what: `generated column ${where}.${c.name}`, table }) };
  if (c.identity) out.identity = { ...c.identity };
  return out;
}

function mapIndex(i: Index, m: SnapshotMapper, where: string, table: string): Index {
  const what = `index "${i.name}" on ${where}`;
  const out: Index = {
    ...i,
    elements: i.elements.map((e) => (e.expression ? { ...e, value: m.expression(e.value, { what: `expression of ${what}`, table }) } : { ...e })),
  };
  if (i.where !== undefined) out.where = m.expression(i.where, { what: `WHERE of ${what}`, table });
  if (i.with) out.with = { ...i.with };
  return out;
}

function mapPolicy(p: Policy, m: SnapshotMapper, where: string, table: string): Policy {
  const out: Policy = { ...p, to: [...p.to] };
  if (p.using !== undefined) out.using = m.expression(p.using, { what: `USING of policy "${p.name}" on ${where}`, table });
  if (p.withCheck !== undefined) out.withCheck = m.expression(p.withCheck, { what: `WITH CHECK of policy "${p.name}" on ${where}`, table });
  return out;
}

function mapView(v: View, m: SnapshotMapper): View {
  const out: View = { ...v, schema: m.schema(v.schema), definition: m.expression(v.definition, { what: `${v.materialized ? 'materialized view' : 'view'} ${q(v.schema, v.name)}` }) };
  if (v.with) out.with = { ...v.with };
  return out;
}

/** Every expression of a snapshot with where it sits (to name the one a server refused). */
export function expressionSites(snapshot: Snapshot): { sql: string; site: ExpressionSite }[] {
  const found: { sql: string; site: ExpressionSite }[] = [];
  mapSnapshot(snapshot, {
    schema: (s) => s,
    typeSchema: (s) => s,
    foreignSchema: (s) => s,
    expression: (sql, site) => {
      found.push({ sql, site });
      return sql;
    },
  });
  return found;
}
