import { StrataError, truncateIdentifier } from '@strata/core';
import type { Index as DrizzleIndex } from 'drizzle-orm/pg-core';
import { casedColumnName } from './column-name.js';
import { defaultIndexName } from './default-names.js';
import { renderSql, isSql, type Casing } from './render-sql.js';
import type { Index, IndexElement } from './snapshot.js';

interface IndexedColumnLike {
  name: string | undefined;
  keyAsName: boolean;
  indexConfig?: { order?: string; nulls?: string; opClass?: string };
}

/**
 * Turns a drizzle `index()`/`uniqueIndex()` into a Snapshot index. An index without a name gets
 * drizzle-kit's `<table>_<cols>_index`; one on an expression must be named (as drizzle-kit requires).
 * Elements keep drizzle's order and nulls settings (drizzle defaults to NULLS LAST, also for DESC).
 *
 * @example
 * serializeIndex(idx, { table: 'users', qualifiedTable: 'public.users', casing: undefined }).name // => 'users_email_index'
 */
export function serializeIndex(index: DrizzleIndex, ctx: { table: string; qualifiedTable: string; casing: Casing | undefined }): Index {
  const config = index.config;
  const explicit = config.name === undefined ? undefined : truncateIdentifier(config.name);
  const what = `index ${explicit === undefined ? '' : `"${explicit}" `}on ${ctx.qualifiedTable}`;
  const elements: IndexElement[] = [];
  const columnNames: string[] = [];
  for (const element of config.columns) {
    if (isSql(element)) {
      if (explicit === undefined) {
        throw new StrataError('SCHEMA_INVALID', `${what}: an index on an expression needs a name`, {
          hint: "Name it: index('my_index').on(sql`lower(${table.email})`).",
        });
      }
      elements.push({ desc: false, expression: true, nullsFirst: false, value: renderSql(element, { casing: ctx.casing, invokeSource: 'indexes', what }) });
      continue;
    }
    const col = element as IndexedColumnLike;
    const cased = casedColumnName(col, ctx.casing);
    columnNames.push(cased);
    // In key order, as the snapshot is written (see canonicalJson).
    const desc = col.indexConfig?.order === 'desc';
    const nullsFirst = col.indexConfig?.nulls === 'first';
    const opclass = col.indexConfig?.opClass;
    const value = truncateIdentifier(cased);
    elements.push(opclass ? { desc, expression: false, nullsFirst, opclass, value } : { desc, expression: false, nullsFirst, value });
  }
  if (elements.length === 0) throw new StrataError('SCHEMA_INVALID', `${what}: an index needs at least one column or expression`);
  const where = config.where === undefined ? undefined : renderSql(config.where, { casing: ctx.casing, what: `${what} (where)` });
  const withEntries = Object.entries(config.with ?? {}).filter(([, v]) => v !== undefined);
  // In key order, as the snapshot is written (see canonicalJson).
  const out = {} as Index;
  if (config.concurrently) out.concurrently = true;
  out.elements = elements;
  out.method = (config.method ?? 'btree').toLowerCase();
  out.name = explicit ?? defaultIndexName(ctx.table, columnNames);
  out.nullsNotDistinct = false;
  out.unique = config.unique;
  if (where !== undefined) out.where = where;
  if (withEntries.length > 0) out.with = Object.fromEntries(withEntries.map(([k, v]) => [k, String(v)]));
  return out;
}
