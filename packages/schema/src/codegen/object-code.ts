import { toCamelCase } from '../drizzle.js';
import type { Enum, Sequence, View } from '../snapshot.js';
import type { CodeFile } from './code-file.js';
import { sequenceOptionsCode } from './column-code.js';
import { tsString } from './ts-text.js';

/** The `pgSchema` a declaration goes through, or undefined for public. */
export type SchemaRef = { identifier: string; path: string } | undefined;

function via(file: CodeFile, schema: SchemaRef, method: string, pgCoreFn: string): string {
  return schema ? `${file.sibling(schema.path, schema.identifier)}.${method}` : file.pgCore(pgCoreFn);
}

/** `export const mood = pgEnum('mood', ['sad', 'ok']);` */
export function enumCode(e: Enum, identifier: string, file: CodeFile, schema: SchemaRef): string {
  // pgEnum's type wants at least one value; PostgreSQL allows an enum without any.
  const values = e.values.length === 0 ? '[] as unknown as [string, ...string[]]' : `[${e.values.map(tsString).join(', ')}]`;
  return `export const ${identifier} = ${via(file, schema, 'enum', 'pgEnum')}(${tsString(e.name)}, ${values});`;
}

/** `export const orderNo = pgSequence('order_no', { startWith: '1000' });` */
export function sequenceCode(s: Sequence, identifier: string, file: CodeFile, schema: SchemaRef): string {
  // drizzle sequences are bigint: the options are written against bigint's defaults.
  const options = sequenceOptionsCode(s, 'bigint');
  const code = `export const ${identifier} = ${via(file, schema, 'sequence', 'pgSequence')}(${tsString(s.name)}${options ? `, ${options}` : ''});`;
  return s.dataType === 'bigint' ? code : `// strata: drizzle-orm sequences are bigint; this one is ${s.dataType} in the database\n${code}`;
}

type OptionKind = 'boolean' | 'number' | 'string';

const VIEW_OPTIONS: Record<string, OptionKind> = { check_option: 'string', security_barrier: 'boolean', security_invoker: 'boolean' };
const MATERIALIZED_OPTIONS: Record<string, OptionKind> = {
  fillfactor: 'number', toast_tuple_target: 'number', parallel_workers: 'number', autovacuum_enabled: 'boolean',
  vacuum_index_cleanup: 'string', vacuum_truncate: 'boolean', autovacuum_vacuum_threshold: 'number',
  autovacuum_vacuum_scale_factor: 'number', autovacuum_vacuum_cost_delay: 'number', autovacuum_vacuum_cost_limit: 'number',
  autovacuum_freeze_min_age: 'number', autovacuum_freeze_max_age: 'number', autovacuum_freeze_table_age: 'number',
  autovacuum_multixact_freeze_min_age: 'number', autovacuum_multixact_freeze_max_age: 'number',
  autovacuum_multixact_freeze_table_age: 'number', log_autovacuum_min_duration: 'number', user_catalog_table: 'boolean',
};

function optionValue(kind: OptionKind, value: string): string | null {
  switch (kind) {
    case 'boolean':
      if (/^(true|on|yes|1)$/i.test(value)) return 'true';
      if (/^(false|off|no|0)$/i.test(value)) return 'false';
      return null;
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? String(Number(value)) : null;
    case 'string':
      return tsString(value);
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/**
 * `export const active = pgView('active', {}).with({ … }).as(sql`…`);` The view's body is the SQL
 * the database holds; its columns are left to the query (`{}`), as the Snapshot does not list them.
 */
export function viewCode(v: View, identifier: string, file: CodeFile, schema: SchemaRef): string {
  const notes: string[] = [];
  const known = v.materialized ? MATERIALIZED_OPTIONS : VIEW_OPTIONS;
  const options: string[] = [];
  for (const [key, value] of Object.entries(v.with ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const kind = known[key];
    const code = kind ? optionValue(kind, value) : null;
    if (code === null) notes.push(`option ${key} = ${value} cannot be written with drizzle-orm`);
    else options.push(`${toCamelCase(key)}: ${code}`);
  }
  const fn = via(file, schema, v.materialized ? 'materializedView' : 'view', v.materialized ? 'pgMaterializedView' : 'pgView');
  let code = `export const ${identifier} = ${fn}(${tsString(v.name)}, {})`;
  if (options.length > 0) code += `.with({ ${options.join(', ')} })`;
  if (v.materialized && v.using !== undefined) code += `.using(${tsString(v.using)})`;
  if (v.materialized && v.tablespace !== undefined) code += `.tablespace(${tsString(v.tablespace)})`;
  if (v.materialized && v.withNoData) code += '.withNoData()';
  code += `.as(${file.sql(v.definition)});`;
  return [...notes.map((n) => `// strata: ${v.name}: ${n}`), code].join('\n');
}
