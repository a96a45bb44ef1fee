import type { Column, Enum, Index, Sequence, Snapshot, Table, View, SchemaDef } from '@strata/schema';
import type { AppliedRename, ObjectRef } from './types.js';

/** The renames a diff applies, in both directions' terms (`from` = old side, `to` = new side). */
export interface Renames {
  schemas: { from: string; to: string }[];
  tables: { from: ObjectRef; to: ObjectRef }[];
  enums: { from: ObjectRef; to: ObjectRef }[];
  views: { from: ObjectRef; to: ObjectRef }[];
  columns: { fromTable: ObjectRef; toTable: ObjectRef; from: string; to: string }[];
}

export const NO_RENAMES: Renames = { schemas: [], tables: [], enums: [], views: [], columns: [] };

// The schema's length first keeps the key unique whatever the names hold (JSON.stringify was ~3× slower).
export const refKey = (schema: string, name: string): string => `${schema.length}:${schema}.${name}`;

/** The same renames seen from the other side (for the down migration). */
export function invertRenames(r: Renames): Renames {
  const flip = <T extends { from: unknown; to: unknown }>(x: T): T => ({ ...x, from: x.to, to: x.from });
  return {
    schemas: r.schemas.map(flip),
    tables: r.tables.map(flip),
    enums: r.enums.map(flip),
    views: r.views.map(flip),
    columns: r.columns.map((c) => ({ fromTable: c.toTable, toTable: c.fromTable, from: c.to, to: c.from })),
  };
}

export function describeRenames(r: Renames): AppliedRename[] {
  return [
    ...r.schemas.map((s) => ({ kind: 'schema' as const, from: [s.from], to: [s.to] })),
    ...r.tables.map((t) => ({ kind: 'table' as const, from: [t.from.schema, t.from.name], to: [t.to.schema, t.to.name] })),
    ...r.enums.map((t) => ({ kind: 'enum' as const, from: [t.from.schema, t.from.name], to: [t.to.schema, t.to.name] })),
    ...r.views.map((t) => ({ kind: 'view' as const, from: [t.from.schema, t.from.name], to: [t.to.schema, t.to.name] })),
    ...r.columns.map((c) => ({
      kind: 'column' as const, from: [c.fromTable.schema, c.fromTable.name, c.from], to: [c.toTable.schema, c.toTable.name, c.to],
    })),
  ];
}

/** Looks up where an object of the old side ends up on the new side. */
export class RenameMap {
  private readonly schemas: Map<string, string>;
  private readonly tables: Map<string, ObjectRef>;
  private readonly enums: Map<string, ObjectRef>;
  private readonly views: Map<string, ObjectRef>;
  private readonly columns: Map<string, Map<string, string>>;

  constructor(readonly renames: Renames) {
    this.schemas = new Map(renames.schemas.map((s) => [s.from, s.to]));
    this.tables = new Map(renames.tables.map((t) => [refKey(t.from.schema, t.from.name), t.to]));
    this.enums = new Map(renames.enums.map((t) => [refKey(t.from.schema, t.from.name), t.to]));
    this.views = new Map(renames.views.map((t) => [refKey(t.from.schema, t.from.name), t.to]));
    this.columns = new Map();
    for (const c of renames.columns) {
      const key = refKey(c.fromTable.schema, c.fromTable.name);
      if (!this.columns.has(key)) this.columns.set(key, new Map());
      this.columns.get(key)!.set(c.from, c.to);
    }
  }

  /** True when nothing is renamed: every lookup answers with the name it was given. */
  get empty(): boolean {
    return this.schemas.size + this.tables.size + this.enums.size + this.views.size + this.columns.size === 0;
  }

  schema(name: string): string {
    return this.schemas.get(name) ?? name;
  }
  private object(map: Map<string, ObjectRef>, schema: string, name: string): ObjectRef {
    return map.get(refKey(schema, name)) ?? { schema: this.schema(schema), name };
  }
  table(schema: string, name: string): ObjectRef {
    return this.object(this.tables, schema, name);
  }
  enum(schema: string, name: string): ObjectRef {
    return this.object(this.enums, schema, name);
  }
  view(schema: string, name: string): ObjectRef {
    return this.object(this.views, schema, name);
  }
  /** Sequences are not renamed by the resolver; they move with their schema. */
  sequence(schema: string, name: string): ObjectRef {
    return { schema: this.schema(schema), name };
  }
  column(table: ObjectRef, column: string): string {
    return this.columns.get(refKey(table.schema, table.name))?.get(column) ?? column;
  }
  /** A column's type on the new side: a user type follows its enum or schema. */
  columnType(c: Pick<Column, 'type' | 'typeSchema'>): Pick<Column, 'type' | 'typeSchema'> {
    if (c.typeSchema === undefined) return { type: c.type };
    const t = this.enum(c.typeSchema, c.type);
    return { type: t.name, typeSchema: t.schema };
  }
}

/**
 * The old snapshot with every rename applied: objects keyed by their new names, column lists,
 * foreign-key targets and column types pointing at new names. Expressions (SQL text) are left as
 * they are: an expression that names a renamed object differs and its object is rebuilt.
 */
export function applyRenames(prev: Snapshot, map: RenameMap): Snapshot {
  // Nothing renamed: the copy would equal `prev` (callers only read it).
  if (map.empty) return prev;
  const schemas: Record<string, SchemaDef> = {};
  const schemaOf = (name: string): SchemaDef => {
    schemas[name] ??= { name, tables: {}, enums: {}, sequences: {}, views: {} };
    return schemas[name];
  };
  for (const s of Object.values(prev.schemas)) {
    schemaOf(map.schema(s.name));
    for (const t of Object.values(s.tables)) {
      const mapped = mapTable(t, map);
      schemaOf(mapped.schema).tables[mapped.name] = mapped;
    }
    for (const e of Object.values(s.enums)) {
      const to = map.enum(e.schema, e.name);
      const mapped: Enum = { ...e, schema: to.schema, name: to.name };
      schemaOf(to.schema).enums[to.name] = mapped;
    }
    for (const q of Object.values(s.sequences)) {
      const to = map.sequence(q.schema, q.name);
      const mapped: Sequence = { ...q, schema: to.schema, name: to.name };
      schemaOf(to.schema).sequences[to.name] = mapped;
    }
    for (const v of Object.values(s.views)) {
      const to = map.view(v.schema, v.name);
      const mapped: View = { ...v, schema: to.schema, name: to.name };
      schemaOf(to.schema).views[to.name] = mapped;
    }
  }
  return { ...prev, schemas };
}

function mapTable(t: Table, map: RenameMap): Table {
  const from: ObjectRef = { schema: t.schema, name: t.name };
  const to = map.table(t.schema, t.name);
  const col = (c: string) => map.column(from, c);
  const cols = (cs: string[]) => cs.map(col);
  const mapIndex = (i: Index): Index => ({ ...i, elements: i.elements.map((e) => (e.expression ? e : { ...e, value: col(e.value) })) });
  const mapRecord = <T>(r: Record<string, T>, f: (x: T) => T) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));
  return {
    ...t,
    schema: to.schema,
    name: to.name,
    columns: t.columns.map((c) => ({ ...c, ...map.columnType(c), name: col(c.name) })),
    ...(t.primaryKey ? { primaryKey: { ...t.primaryKey, columns: cols(t.primaryKey.columns) } } : {}),
    uniques: mapRecord(t.uniques, (u) => ({ ...u, columns: cols(u.columns) })),
    checks: t.checks,
    foreignKeys: mapRecord(t.foreignKeys, (fk) => {
      const target = map.table(fk.foreignSchema, fk.foreignTable);
      const fromTarget: ObjectRef = { schema: fk.foreignSchema, name: fk.foreignTable };
      return {
        ...fk, columns: cols(fk.columns), foreignSchema: target.schema, foreignTable: target.name,
        foreignColumns: fk.foreignColumns.map((c) => map.column(fromTarget, c)),
      };
    }),
    indexes: mapRecord(t.indexes, mapIndex),
    policies: t.policies,
  };
}
