import { StrataError } from '@strata/core';
import type { Snapshot, Table } from './snapshot.js';
import { getEntry } from './records.js';

export interface CheckForeignKeysOptions {
  /** Foreign keys into schemas that are not managed point outside the schema on purpose. */
  isManaged: (schema: string) => boolean;
  /** `schema.table` → where the table was found, for messages. */
  origins: ReadonlyMap<string, string>;
}

/**
 * Checks every foreign key of a snapshot built from code: its table must be in the schema (unless
 * it lives in a schema Strata does not manage), have the referenced columns, and have a primary key,
 * unique constraint or unique index on exactly those columns, as PostgreSQL requires.
 *
 * @example
 * checkForeignKeys(snapshot, { isManaged: () => true, origins: new Map() }); // throws SCHEMA_INVALID naming both tables
 */
export function checkForeignKeys(snapshot: Snapshot, options: CheckForeignKeysOptions): void {
  for (const schema of Object.values(snapshot.schemas)) {
    for (const table of Object.values(schema.tables)) {
      const from = `${table.schema}.${table.name}`;
      for (const fk of Object.values(table.foreignKeys)) {
        if (!options.isManaged(fk.foreignSchema)) continue;
        const to = `${fk.foreignSchema}.${fk.foreignTable}`;
        const what = `foreign key "${fk.name}" on table ${from}${origin(options, from)}`;
        const targetSchema = getEntry(snapshot.schemas, fk.foreignSchema);
        const target = targetSchema && getEntry(targetSchema.tables, fk.foreignTable);
        if (!target) {
          throw new StrataError('SCHEMA_INVALID', `${what} references table ${to}, which is not in the schema`, {
            hint: `Export ${to} from a schema file (and make sure the config's \`schema\` covers that file), or leave schema "${fk.foreignSchema}" out of \`schemas\` if Strata should not manage it.`,
          });
        }
        const missing = fk.foreignColumns.find((c) => !target.columns.some((col) => col.name === c));
        if (missing !== undefined) throw new StrataError('SCHEMA_INVALID', `${what} references column "${missing}" of ${to}${origin(options, to)}, which has no such column`);
        if (!hasKeyOn(target, fk.foreignColumns)) {
          throw new StrataError('SCHEMA_INVALID', `${what} references ${to}(${fk.foreignColumns.join(', ')})${origin(options, to)}, but no primary key or unique constraint covers exactly those columns`, {
            hint: 'PostgreSQL needs a primary key, unique constraint or unique index on the referenced columns.',
          });
        }
      }
    }
  }
}

function hasKeyOn(table: Table, columns: readonly string[]): boolean {
  const same = (other: readonly string[]) => other.length === columns.length && other.every((c) => columns.includes(c));
  if (table.primaryKey && same(table.primaryKey.columns)) return true;
  if (Object.values(table.uniques).some((u) => same(u.columns))) return true;
  return Object.values(table.indexes).some(
    (i) => i.unique && i.where === undefined && i.elements.every((e) => !e.expression) && same(i.elements.map((e) => e.value)),
  );
}

function origin(options: CheckForeignKeysOptions, table: string): string {
  const o = options.origins.get(table);
  return o === undefined ? '' : ` (${o})`;
}
