import { StrataError, quoteIdent, quoteLiteral } from '@strata/core';
import type { SQL } from 'drizzle-orm';
import { is, SQL as SqlClass, CasingCache, StringChunk } from './drizzle.js';

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
  const plain = plainText(value);
  if (plain !== undefined) return plain;
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

/**
 * The text of an expression made of text only (`sql\`now()\``, most defaults): its chunks joined,
 * which is what drizzle's toQuery gives for it, without the query builder, tracing span and
 * casing cache it makes per call (~4 ms over the defaults of 1,000 tables). Undefined otherwise.
 */
function plainText(value: SQL): string | undefined {
  const chunks = (value as unknown as { queryChunks?: unknown }).queryChunks;
  if (!Array.isArray(chunks)) return undefined;
  let text = '';
  for (const chunk of chunks) {
    if (!is(chunk, StringChunk)) return undefined;
    // drizzle-orm 0.x keeps a chunk's text as an array of strings; 1.0 as one string.
    const part = (chunk as { value: unknown }).value;
    if (typeof part === 'string') text += part;
    else if (Array.isArray(part)) text += part.join('');
    else return undefined;
  }
  return text;
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
