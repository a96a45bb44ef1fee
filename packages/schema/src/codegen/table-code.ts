import { makeObjectName } from '@strata/core';
import type { Index, IndexElement, Policy, Table } from '../snapshot.js';
import type { CodeFile } from './code-file.js';
import { columnCode, type ColumnContext } from './column-code.js';
import { quoteName } from './quote-name.js';
import { tsKey, tsString } from './ts-text.js';

/** What the generator knows about a table it declares (or a stub it declares for a foreign key). */
export interface TableSymbol {
  identifier: string;
  path: string;
  /** Column name → property key. */
  keys: Map<string, string>;
}

export interface TableContext {
  file: CodeFile;
  arrays: ColumnContext['arrays'];
  identifier: string;
  /** The `pgSchema` declaring the table's schema (identifier and file); undefined for public. */
  schemaRef: { identifier: string; path: string } | undefined;
  keys: Map<string, string>;
  needsName(key: string, column: string): boolean;
  enumRef: ColumnContext['enumRef'];
  customType: ColumnContext['customType'];
  /** The symbol of a foreign key's target (declaring a stub when the snapshot does not hold it). */
  foreignTable(schema: string, table: string, columns: { name: string; like: Table['columns'][number] }[]): TableSymbol;
}

const ref = (object: string, key: string) => `${object}.${key}`;

/**
 * One `export const x = pgTable(…)` declaration: columns, then constraints, indexes and policies in
 * the third argument, `.enableRLS()` when row-level security is on. Names are always written where
 * PostgreSQL's or drizzle's default would differ; what drizzle-orm cannot express is said in a comment.
 */
export function tableCode(table: Table, ctx: TableContext): string {
  const { file } = ctx;
  const notes: string[] = [];
  const pk = table.primaryKey;
  const columnPk = pk && pk.columns.length === 1 && pk.name === makeObjectName(table.name, undefined, 'pkey') ? pk.columns[0] : undefined;
  const columns = table.columns.map((c) => {
    const key = ctx.keys.get(c.name)!;
    const code = columnCode(c, {
      file, arrays: ctx.arrays, table: table.name, needsName: ctx.needsName(key, c.name), enumRef: ctx.enumRef, customType: ctx.customType,
      primaryKey: c.name === columnPk, notes,
    });
    return `  ${tsKey(key)}: ${code},`;
  });

  const t = (column: string) => ref('t', ctx.keys.get(column) ?? column);
  const extras: string[] = [];
  if (pk && columnPk === undefined) {
    extras.push(`${file.pgCore('primaryKey')}({ name: ${tsString(pk.name)}, columns: [${pk.columns.map(t).join(', ')}] })`);
  }
  for (const u of sorted(table.uniques)) {
    extras.push(`${file.pgCore('unique')}(${tsString(u.name)}).on(${u.columns.map(t).join(', ')})${u.nullsNotDistinct ? '.nullsNotDistinct()' : ''}`);
  }
  for (const c of sorted(table.checks)) extras.push(`${file.pgCore('check')}(${tsString(c.name)}, ${file.sql(c.expression)})`);
  for (const f of sorted(table.foreignKeys)) {
    const self = f.foreignSchema === table.schema && f.foreignTable === table.name;
    let foreign: string[];
    if (self) foreign = f.foreignColumns.map(t);
    else {
      const like = f.foreignColumns.map((name, i) => ({ name, like: table.columns.find((c) => c.name === f.columns[i])! }));
      const target = ctx.foreignTable(f.foreignSchema, f.foreignTable, like);
      const id = file.sibling(target.path, target.identifier);
      foreign = f.foreignColumns.map((c) => ref(id, target.keys.get(c) ?? c));
    }
    let code = `${file.pgCore('foreignKey')}({ name: ${tsString(f.name)}, columns: [${f.columns.map(t).join(', ')}], foreignColumns: [${foreign.join(', ')}] })`;
    if (f.onDelete !== 'no action') code += `.onDelete(${tsString(f.onDelete)})`;
    if (f.onUpdate !== 'no action') code += `.onUpdate(${tsString(f.onUpdate)})`;
    extras.push(code);
  }
  for (const i of sorted(table.indexes)) extras.push(indexCode(i, file, t, notes));
  for (const p of sorted(table.policies)) extras.push(policyCode(p, file));
  if (!table.rlsEnabled && Object.keys(table.policies).length > 0) notes.push('row-level security is off although the table has policies; drizzle-kit enables it with them');

  const fn = ctx.schemaRef ? `${file.sibling(ctx.schemaRef.path, ctx.schemaRef.identifier)}.table` : file.pgCore('pgTable');
  let code = `export const ${ctx.identifier} = ${fn}(${tsString(table.name)}, {\n${columns.join('\n')}\n}`;
  if (extras.length > 0) code += `, (t) => [\n${extras.map((e) => `  ${e},`).join('\n')}\n]`;
  code += ')';
  if (table.rlsEnabled) code += '.enableRLS()';
  code += ';';
  return [...notes.map((n) => `// strata: ${n}`), code].join('\n');
}

function sorted<T extends { name: string }>(record: Record<string, T>): T[] {
  return Object.values(record).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function indexCode(index: Index, file: CodeFile, t: (column: string) => string, notes: string[]): string {
  const uses = new Map<string, number>();
  for (const e of index.elements) if (!e.expression) uses.set(e.value, (uses.get(e.value) ?? 0) + 1);
  const elements = index.elements.map((e) => {
    // drizzle's column builders have no COLLATE, and an expression has no builders at all: such
    // elements are written as SQL, options after the expression as PostgreSQL's grammar has them
    // (Strata separates them again when it reads the schema code).
    if (e.expression) return file.sql(`(${e.value})${elementOptionsSql(e)}`);
    // `.desc()`, `.nullsFirst()` and `.op()` set options on the column itself, and `.on()` takes
    // them from it once and resets them: a column listed twice would get the options of both
    // calls on its first use and none on the next. Its options are then written as SQL.
    const repeated = (uses.get(e.value) ?? 0) > 1;
    if (e.collation || (repeated && (e.desc || e.nullsFirst || e.opclass))) return file.sqlAfter(t(e.value), elementOptionsSql(e));
    let code = t(e.value);
    if (e.desc) code += '.desc()';
    if (e.nullsFirst) code += '.nullsFirst()';
    if (e.opclass) code += `.op(${tsString(e.opclass)})`;
    return code;
  });
  let code = `${file.pgCore(index.unique ? 'uniqueIndex' : 'index')}(${tsString(index.name)})`;
  if (index.concurrently) code += '.concurrently()';
  code += index.method === 'btree' ? `.on(${elements.join(', ')})` : `.using(${tsString(index.method)}, ${elements.join(', ')})`;
  // A whole number is written as one (`{ m: 16 }`, as people write it); the snapshot keeps text either way.
  if (index.with) code += `.with({ ${Object.entries(index.with).map(([k, v]) => `${tsKey(k)}: ${/^(0|[1-9][0-9]{0,14})$/.test(v) ? v : tsString(v)}`).join(', ')} })`;
  if (index.where !== undefined) code += `.where(${file.sql(index.where)})`;
  if (index.nullsNotDistinct) notes.push(`index ${index.name}: NULLS NOT DISTINCT cannot be written with drizzle-orm`);
  return code;
}

function policyCode(policy: Policy, file: CodeFile): string {
  const parts: string[] = [];
  if (policy.as !== 'permissive') parts.push(`as: ${tsString(policy.as)}`);
  if (policy.for !== 'all') parts.push(`for: ${tsString(policy.for)}`);
  if (!(policy.to.length === 1 && policy.to[0] === 'public')) {
    parts.push(`to: ${policy.to.length === 1 ? tsString(policy.to[0]!) : `[${policy.to.map(tsString).join(', ')}]`}`);
  }
  if (policy.using !== undefined) parts.push(`using: ${file.sql(policy.using)}`);
  if (policy.withCheck !== undefined) parts.push(`withCheck: ${file.sql(policy.withCheck)}`);
  return `${file.pgCore('pgPolicy')}(${tsString(policy.name)}${parts.length > 0 ? `, { ${parts.join(', ')} }` : ''})`;
}

/** ` COLLATE "C" text_pattern_ops DESC NULLS LAST`: what follows an element's expression, in the grammar's order. */
function elementOptionsSql(e: IndexElement): string {
  let sql = '';
  if (e.collation) sql += ` COLLATE ${quoteName(e.collation)}`;
  if (e.opclass) sql += ` ${quoteName(e.opclass)}`;
  if (e.desc) sql += ' DESC';
  if (e.nullsFirst !== e.desc) sql += e.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return sql;
}
