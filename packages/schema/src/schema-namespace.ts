import { StrataError } from '@strata/core';

/**
 * Names that PostgreSQL keeps unique inside one schema: relations (tables, views, sequences,
 * indexes, and the indexes behind primary keys and unique constraints) share `pg_class`, and
 * tables, views and enums share `pg_type`. Claiming a name twice is an error naming both owners.
 *
 * @example
 * const ns = new SchemaNamespace();
 * ns.claim('relation', 'public', 'users', 'table public.users (schema.ts: export users)');
 */
export class SchemaNamespace {
  // One map of names per space and schema: names are looked up as they are, without building a
  // key string for each (a 1,000-table schema claims ~5,000 names).
  private readonly owners = { relation: new Map<string, Map<string, string>>(), type: new Map<string, Map<string, string>>() };

  claim(space: 'relation' | 'type', schema: string, name: string, owner: string): void {
    const bySchema = this.owners[space];
    let names = bySchema.get(schema);
    if (!names) bySchema.set(schema, (names = new Map()));
    const previous = names.get(name);
    if (previous !== undefined) {
      throw new StrataError('SCHEMA_INVALID', `Two objects are named "${name}" in schema "${schema}": ${previous} and ${owner}`, {
        hint:
          space === 'relation'
            ? 'Tables, views, sequences and indexes (also those of primary keys and unique constraints) share one namespace per schema: rename one of them. Names are compared after cutting them to 63 bytes.'
            : 'Tables, views and enums share one type namespace per schema: rename one of them.',
      });
    }
    names.set(name, owner);
  }
}
