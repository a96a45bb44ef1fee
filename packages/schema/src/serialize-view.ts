import { StrataError, truncateIdentifier } from '@strata/core';
import type { PgMaterializedView, PgView } from 'drizzle-orm/pg-core';
import { getMaterializedViewConfig, getViewConfig, toSnakeCase } from './drizzle.js';
import { renderSql, type Casing } from './render-sql.js';
import type { View } from './snapshot.js';

/**
 * Turns a `pgView`/`pgMaterializedView` into a Snapshot view: the body rendered from the query
 * builder or the `sql` given to `.as()`, options with drizzle's camelCase keys written as
 * PostgreSQL's storage parameter names (`securityBarrier` → `security_barrier`). Returns
 * `undefined` for a view declared `.existing()`: Strata does not manage it.
 *
 * @example
 * serializeView(activeUsers, false, undefined)?.definition // => 'select "id" from "users" where "users"."active" = true'
 */
export function serializeView(source: PgView | PgMaterializedView, materialized: boolean, casing: Casing | undefined): View | undefined {
  const config = materialized ? getMaterializedViewConfig(source as PgMaterializedView) : getViewConfig(source as PgView);
  if (config.isExisting) return undefined;
  const schema = truncateIdentifier(config.schema ?? 'public');
  const name = truncateIdentifier(config.name);
  const what = `${materialized ? 'materialized view' : 'view'} ${schema}.${name}`;
  if (!config.query) throw new StrataError('SCHEMA_INVALID', `${what} has no query: give it .as(…)`);
  const mv = materialized ? (config as ReturnType<typeof getMaterializedViewConfig>) : undefined;
  const options = Object.entries((config.with ?? {}) as Record<string, unknown>).filter(([, v]) => v !== undefined);
  // In key order, as the snapshot is written (see canonicalJson).
  const view: View = { definition: renderSql(config.query, { casing, what }), materialized, name, schema };
  if (mv?.tablespace !== undefined) view.tablespace = mv.tablespace;
  if (mv?.using !== undefined) view.using = mv.using;
  if (options.length > 0) view.with = Object.fromEntries(options.map(([k, v]) => [toSnakeCase(k), String(v)]));
  if (mv?.withNoData) view.withNoData = true;
  return view;
}
