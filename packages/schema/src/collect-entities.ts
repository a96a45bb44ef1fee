import { is, PgMaterializedView, PgPolicy, PgSchema, PgSequence, PgTable, PgView, isPgEnum } from './drizzle.js';
import type { EnumRef } from './serialize-column.js';

/** One loaded schema file: its absolute path and its exports. */
export interface LoadedModule {
  file: string;
  exports: Record<string, unknown>;
}

/** A drizzle object and where it was found, for error messages (`src/db/users.ts: export users`). */
export interface Found<T> {
  value: T;
  origin: string;
}

export interface SchemaEntities {
  tables: Found<PgTable>[];
  enums: Found<EnumRef>[];
  schemas: Found<PgSchema>[];
  sequences: Found<PgSequence>[];
  views: Found<PgView>[];
  materializedViews: Found<PgMaterializedView>[];
  /** Policies exported on their own (`pgPolicy(…).link(table)`). */
  policies: Found<PgPolicy>[];
}

/**
 * Finds every drizzle pg-core object among the modules' exports: exported directly, as the
 * default export, or one level inside an exported plain object (`export const schema = { users }`).
 * Uses drizzle's `is()`, never `instanceof`, so objects from another copy of drizzle-orm count.
 * The same object exported twice is found once.
 *
 * @example
 * collectEntities([{ file: 'schema.ts', exports: { users } }]).tables[0]?.origin // => 'schema.ts: export users'
 */
export function collectEntities(modules: readonly LoadedModule[]): SchemaEntities {
  const found: SchemaEntities = { tables: [], enums: [], schemas: [], sequences: [], views: [], materializedViews: [], policies: [] };
  const seen = new Set<unknown>();
  const visit = (value: unknown, origin: string, depth: number): void => {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) return;
    seen.add(value);
    if (isPgEnum(value)) found.enums.push({ value: value as EnumRef, origin });
    else if (is(value, PgTable)) found.tables.push({ value: value as PgTable, origin });
    else if (is(value, PgSchema)) found.schemas.push({ value: value as PgSchema, origin });
    else if (is(value, PgSequence)) found.sequences.push({ value: value as PgSequence, origin });
    else if (is(value, PgMaterializedView)) found.materializedViews.push({ value: value as PgMaterializedView, origin });
    else if (is(value, PgView)) found.views.push({ value: value as PgView, origin });
    else if (is(value, PgPolicy)) found.policies.push({ value: value as PgPolicy, origin });
    else if (depth < 1 && isPlainObject(value)) {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], `${origin}.${key}`, depth + 1);
    }
  };
  for (const mod of modules) {
    for (const key of Object.keys(mod.exports)) visit(mod.exports[key], `${mod.file}: export ${key}`, 0);
  }
  return found;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || proto === Object.prototype || Object.prototype.toString.call(value) === '[object Module]';
}
