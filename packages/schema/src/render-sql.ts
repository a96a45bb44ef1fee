import { StrataError, quoteIdent, quoteLiteral } from '@strata/core';
import type { SQL } from 'drizzle-orm';
import { is, SQL as SqlClass, CasingCache } from './drizzle.js';

/** drizzle-orm's `casing` option: how column keys without an explicit name become column names. */
export type Casing = 'snake_case' | 'camelCase';

export interface RenderSqlOptions {
  casing: Casing | undefined;
  /** `'indexes'` renders columns without their table, as index expressions need. */
  invokeSource?: 'indexes';
  /** What is rendered, for error messages: `check "price_positive" on public.products`. */
  what: string;
}

/**
 * Renders a drizzle `sql` expression (also one built by another copy of drizzle-orm) as SQL
 * text with every value inlined: a Snapshot never holds `$n` parameters.
 *
 * @example
 * renderSql(sql`${users.age} > ${18}`, { casing: undefined, what: 'check' }) // => '"users"."age" > 18'
 */
export function renderSql(value: SQL, options: RenderSqlOptions): string {
  let query: { sql: string; params: unknown[] };
  try {
    query = value.toQuery({
      casing: new CasingCache(options.casing),
      escapeName: quoteIdent,
      escapeParam: (n: number) => `$${n + 1}`,
      escapeString: quoteLiteral,
      inlineParams: true,
      ...(options.invokeSource ? { invokeSource: options.invokeSource } : {}),
    });
  } catch (cause) {
    throw new StrataError('SCHEMA_INVALID', `${options.what}: the expression could not be rendered: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (query.params.length > 0) {
    throw new StrataError('SCHEMA_INVALID', `${options.what}: the expression uses sql.placeholder(), which has no value in a schema`, {
      hint: 'Write the value into the expression (sql`… ${value} …` inlines it).',
    });
  }
  return query.sql;
}

/** True for a drizzle `SQL` object, from any copy of drizzle-orm. */
export function isSql(value: unknown): value is SQL {
  return is(value, SqlClass);
}

/**
 * Renders an expression given as `sql`, as a function returning `sql` (generated columns), or as
 * plain SQL text.
 */
export function renderExpression(value: unknown, options: RenderSqlOptions): string {
  const resolved = typeof value === 'function' ? (value as () => unknown)() : value;
  if (isSql(resolved)) return renderSql(resolved, options);
  if (typeof resolved === 'string') return resolved;
  throw new StrataError('SCHEMA_INVALID', `${options.what}: expected an sql\`…\` expression, got ${typeof resolved}`);
}
