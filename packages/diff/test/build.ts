import {
  SNAPSHOT_VERSION, type CheckConstraint, type Column, type Enum, type ForeignKey, type Index, type IndexElement, type Policy, type SchemaDef,
  type Sequence, type Snapshot, type Table, type UniqueConstraint, type View,
} from '@strata/schema';

/** Small builders for Snapshots in tests (the drizzle serializer is not used here on purpose). */

export function snap(...schemas: SchemaDef[]): Snapshot {
  const all: Record<string, SchemaDef> = { public: { name: 'public', tables: {}, enums: {}, sequences: {}, views: {} } };
  for (const s of schemas) all[s.name] = s;
  return { version: SNAPSHOT_VERSION, dialect: 'postgresql', schemas: all };
}

const byName = <T extends { name: string }>(xs: T[] = []): Record<string, T> => Object.fromEntries(xs.map((x) => [x.name, x]));

export function schema(name: string, parts: { tables?: Table[]; enums?: Enum[]; sequences?: Sequence[]; views?: View[] } = {}): SchemaDef {
  return { name, tables: byName(parts.tables), enums: byName(parts.enums), sequences: byName(parts.sequences), views: byName(parts.views) };
}

export interface TableExtras {
  primaryKey?: Table['primaryKey'];
  uniques?: UniqueConstraint[];
  checks?: CheckConstraint[];
  foreignKeys?: ForeignKey[];
  indexes?: Index[];
  policies?: Policy[];
  rlsEnabled?: boolean;
}

export function table(schemaName: string, name: string, columns: Column[], extras: TableExtras = {}): Table {
  return {
    schema: schemaName, name, columns,
    ...(extras.primaryKey ? { primaryKey: extras.primaryKey } : {}),
    uniques: byName(extras.uniques), checks: byName(extras.checks), foreignKeys: byName(extras.foreignKeys),
    indexes: byName(extras.indexes), policies: byName(extras.policies), rlsEnabled: extras.rlsEnabled ?? false,
  };
}

export function col(name: string, type: string, extras: Partial<Column> = {}): Column {
  return { name, type, dimensions: 0, notNull: false, ...extras };
}

export const pk = (name: string, ...columns: string[]) => ({ name, columns });
export const unique = (name: string, columns: string[], nullsNotDistinct = false): UniqueConstraint => ({ name, columns, nullsNotDistinct });
export const check = (name: string, expression: string): CheckConstraint => ({ name, expression });

export function fk(name: string, columns: string[], foreign: [string, string], foreignColumns: string[], extras: Partial<ForeignKey> = {}): ForeignKey {
  return { name, columns, foreignSchema: foreign[0], foreignTable: foreign[1], foreignColumns, onDelete: 'no action', onUpdate: 'no action', ...extras };
}

export function el(value: string, extras: Partial<IndexElement> = {}): IndexElement {
  return { value, expression: false, desc: false, nullsFirst: false, ...extras };
}

export function index(name: string, elements: (string | IndexElement)[], extras: Partial<Index> = {}): Index {
  return {
    name, unique: false, method: 'btree', elements: elements.map((e) => (typeof e === 'string' ? el(e) : e)), nullsNotDistinct: false, ...extras,
  };
}

export const enumOf = (schemaName: string, name: string, values: string[]): Enum => ({ schema: schemaName, name, values });

export function seq(schemaName: string, name: string, extras: Partial<Sequence> = {}): Sequence {
  return {
    schema: schemaName, name, dataType: 'bigint', increment: '1', minValue: '1', maxValue: '9223372036854775807', start: '1', cache: '1',
    cycle: false, ...extras,
  };
}

export function identity(sequenceName: string, extras: Partial<NonNullable<Column['identity']>> = {}): NonNullable<Column['identity']> {
  return {
    type: 'always', sequenceName, increment: '1', minValue: '1', maxValue: '2147483647', start: '1', cache: '1', cycle: false, ...extras,
  };
}

export function view(schemaName: string, name: string, definition: string, extras: Partial<View> = {}): View {
  return { schema: schemaName, name, materialized: false, definition, ...extras };
}

export function policy(name: string, extras: Partial<Policy> = {}): Policy {
  return { name, as: 'permissive', for: 'all', to: ['public'], ...extras };
}

/** A deep copy to edit into the "next" side. */
export const clone = <T>(x: T): T => structuredClone(x);
