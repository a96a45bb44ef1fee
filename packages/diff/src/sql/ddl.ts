import { StrataError } from '@strata/core';
import { qualify, quoteIdent, quoteLiteral } from '@strata/core';
import { uniqueIndexKey, type CheckConstraint, type Column, type Enum, type ForeignKey, type Index, type IndexElement, type Policy, type PrimaryKey, type Sequence, type Table, type UniqueConstraint, type View } from '@strata/schema';
import { collationSql, quoteName, typeSql } from '../column-type.js';
import { columnDefaultSql } from './column-default.js';
import type { ObjectRef } from '../types.js';

export const q = (ref: ObjectRef): string => qualify(ref.schema, ref.name);
export const cols = (names: readonly string[]): string => names.map(quoteIdent).join(', ');

/** Sequence options in CREATE SEQUENCE / identity form, every one explicit so the result never depends on defaults. */
export function sequenceOptions(s: Pick<Sequence, 'increment' | 'minValue' | 'maxValue' | 'start' | 'cache' | 'cycle'>): string {
  return `INCREMENT BY ${num(s.increment)} MINVALUE ${num(s.minValue)} MAXVALUE ${num(s.maxValue)} START WITH ${num(s.start)} CACHE ${num(s.cache)} ${s.cycle ? 'CYCLE' : 'NO CYCLE'}`;
}

/** Sequence numbers are decimal strings in the snapshot; anything else would be SQL injection. */
export function num(v: string): string {
  if (!/^-?\d+$/.test(v)) throw new StrataError('SNAPSHOT_INVALID', `sequence option is not an integer: ${JSON.stringify(v)}`);
  return v;
}

export function identitySql(table: ObjectRef, identity: NonNullable<Column['identity']>): string {
  const kind = identity.type === 'always' ? 'ALWAYS' : 'BY DEFAULT';
  return `GENERATED ${kind} AS IDENTITY (SEQUENCE NAME ${qualify(table.schema, identity.sequenceName)} ${sequenceOptions(identity)})`;
}

/** A column as in CREATE TABLE or ADD COLUMN. Generated columns say STORED or VIRTUAL (PG 18 would make them virtual when neither is written). */
export function columnDef(table: ObjectRef, c: Column): string {
  const parts = [quoteIdent(c.name), typeSql(c)];
  if (c.collation) parts.push(collationSql(c.collation));
  if (c.generated) parts.push(`GENERATED ALWAYS AS (${c.generated.expression}) ${c.generated.virtual ? 'VIRTUAL' : 'STORED'}`);
  if (c.identity) parts.push(identitySql(table, c.identity));
  if (c.default !== undefined && !c.identity && !c.generated) parts.push(`DEFAULT ${columnDefaultSql(c.default)}`);
  if (c.notNull) parts.push('NOT NULL');
  return parts.join(' ');
}

export const primaryKeySql = (pk: PrimaryKey) => `CONSTRAINT ${quoteIdent(pk.name)} PRIMARY KEY (${cols(pk.columns)})`;
export const uniqueSql = (u: UniqueConstraint) =>
  `CONSTRAINT ${quoteIdent(u.name)} UNIQUE${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${cols(u.columns)})`;
export const checkSql = (c: CheckConstraint) => `CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression})`;

export function foreignKeySql(fk: ForeignKey): string {
  let sql = `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${qualify(fk.foreignSchema, fk.foreignTable)} (${cols(fk.foreignColumns)})`;
  if (fk.onDelete !== 'no action') sql += ` ON DELETE ${fk.onDelete.toUpperCase()}`;
  if (fk.onUpdate !== 'no action') sql += ` ON UPDATE ${fk.onUpdate.toUpperCase()}`;
  return sql;
}

/**
 * Unique constraints CREATE TABLE would silently skip because the primary key or an earlier unique
 * constraint is the same index (same columns in the same order, same NULLS NOT DISTINCT); they are
 * added with ALTER TABLE instead, which keeps them. Schema code never gives such a table (the
 * serializer keeps the first, as CREATE TABLE does); a snapshot read from a database an earlier
 * Strata built, or an earlier snapshot (a down migration rebuilding a dropped table), may.
 *
 * @example
 * uniquesAddedLater(tableWith({ a_key: ['a'], b_key: ['a'] })) // => Set { 'b_key' }
 */
export function uniquesAddedLater(t: Table): Set<string> {
  const later = new Set<string>();
  if (isEmpty(t.uniques)) return later;
  const seen = new Set<string>(t.primaryKey ? [uniqueIndexKey(t.primaryKey.columns, false)] : []);
  for (const u of sortedValues(t.uniques)) {
    const key = uniqueIndexKey(u.columns, u.nullsNotDistinct);
    if (seen.has(key)) later.add(u.name);
    seen.add(key);
  }
  return later;
}

function isEmpty(r: object): boolean {
  for (const _ in r) return false;
  return true;
}

export function createTableSql(t: Table): string {
  const ref = { schema: t.schema, name: t.name };
  const lines = t.columns.map((c) => columnDef(ref, c));
  if (t.primaryKey) lines.push(primaryKeySql(t.primaryKey));
  const later = uniquesAddedLater(t);
  for (const u of sortedValues(t.uniques)) if (!later.has(u.name)) lines.push(uniqueSql(u));
  for (const c of sortedValues(t.checks)) lines.push(checkSql(c));
  return `CREATE TABLE ${q(ref)} (\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`;
}

export function sortedValues<T>(r: Record<string, T>): T[] {
  return Object.keys(r).sort().map((k) => r[k]!);
}

/** An index element's key as an expression (with its collation), e.g. for GROUP BY. */
export function elementKeySql(e: IndexElement): string {
  const sql = e.expression ? `(${e.value})` : quoteIdent(e.value);
  return e.collation ? `${sql} ${collationSql(e.collation)}` : sql;
}

function elementSql(e: IndexElement): string {
  let sql = elementKeySql(e);
  if (e.opclass) sql += ` ${quoteName(e.opclass)}`;
  if (e.desc) sql += ' DESC';
  // PostgreSQL's defaults: NULLS LAST for ascending, NULLS FIRST for descending.
  if (e.nullsFirst !== e.desc) sql += e.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
  return sql;
}

/**
 * A WITH list in the order the snapshot holds it (the code's, or the catalog's after introspection):
 * PostgreSQL keeps reloptions as given, so sorting them built a catalog that differed from
 * drizzle-kit's for the same code. Comparing snapshots ignores the order (same.ts), so no migration
 * is written for a reordering.
 */
function storageParams(w: Record<string, string> | undefined): string {
  const entries = Object.entries(w ?? {});
  return entries.map(([k, v]) => `${/^[a-z_][a-z0-9_.]*$/.test(k) ? k : quoteIdent(k)} = ${quoteLiteral(v)}`).join(', ');
}

/**
 * `CREATE [UNIQUE] INDEX`; built CONCURRENTLY it is `IF NOT EXISTS`: it runs in a part outside a
 * transaction, which runs again from its first statement when a later statement failed or the run
 * was interrupted, and the index this statement built then is already there (an INVALID one, left by
 * a build that did not finish, the runner drops before the statement runs).
 *
 * @example
 * createIndexSql({ schema: 'public', name: 't' }, idx, true) // => 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "t_a_idx" ON "public"."t" USING btree ("a")'
 */
export function createIndexSql(table: ObjectRef, i: Index, concurrently: boolean): string {
  const method = /^[a-z_][a-z0-9_]*$/.test(i.method) ? i.method : quoteIdent(i.method);
  let sql = `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY IF NOT EXISTS ' : ''}${quoteIdent(i.name)} ON ${q(table)} USING ${method} (${i.elements.map(elementSql).join(', ')})`;
  if (i.nullsNotDistinct) sql += ' NULLS NOT DISTINCT';
  const w = storageParams(i.with);
  if (w) sql += ` WITH (${w})`;
  if (i.where) sql += ` WHERE (${i.where})`;
  return sql;
}

const ROLE_KEYWORDS = new Set(['public', 'current_user', 'current_role', 'session_user']);

export function createPolicySql(table: ObjectRef, p: Policy): string {
  const roles = (p.to.length ? p.to : ['public']).map((r) => (ROLE_KEYWORDS.has(r) ? r.toUpperCase() : quoteIdent(r)));
  let sql = `CREATE POLICY ${quoteIdent(p.name)} ON ${q(table)} AS ${p.as.toUpperCase()} FOR ${p.for.toUpperCase()} TO ${roles.join(', ')}`;
  if (p.using !== undefined) sql += ` USING (${p.using})`;
  if (p.withCheck !== undefined) sql += ` WITH CHECK (${p.withCheck})`;
  return sql;
}

/** A view body as the catalog prints it ends with `;`: strip it, the statement separator is ours. */
export function viewBody(definition: string): string {
  return definition.trim().replace(/;+\s*$/, '');
}

export function createViewSql(v: View): string {
  const w = storageParams(v.with);
  const kind = v.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  return `CREATE ${kind} ${q(v)}${w ? ` WITH (${w})` : ''} AS\n${viewBody(v.definition)}${v.materialized && v.withNoData ? '\nWITH NO DATA' : ''}`;
}

export const enumValuesSql = (e: Enum) => e.values.map(quoteLiteral).join(', ');

export function createSequenceSql(s: Sequence): string {
  return `CREATE SEQUENCE ${q(s)} AS ${s.dataType} ${sequenceOptions(s)}`;
}
