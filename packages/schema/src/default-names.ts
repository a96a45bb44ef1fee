import { makeObjectName, truncateIdentifier } from '@strata/core';

/**
 * The name PostgreSQL gives a primary key declared on a column (`<table>_pkey`, shortened the
 * way PostgreSQL shortens names it makes: the suffix is kept).
 *
 * @example
 * primaryKeyName('users') // => 'users_pkey'
 */
export function primaryKeyName(storedTableName: string): string {
  return makeObjectName(storedTableName, undefined, 'pkey');
}

/**
 * A default name drizzle-orm builds from column keys (`<table>_<cols>_<ftable>_<fcols>_fk`,
 * `<table>_<cols>_pk`), adjusted for the `casing` option exactly as drizzle-kit 0.31 does it (each
 * key's first occurrence replaced by its cased name, in column order), then cut at 63 bytes as
 * PostgreSQL cuts a name it is given.
 *
 * @example
 * drizzleKitCasedName('posts_userId_users_id_fk', [['userId', 'user_id'], ['id', 'id']]) // => 'posts_user_id_users_id_fk'
 */
export function drizzleKitCasedName(name: string, replacements: ReadonlyArray<readonly [string, string]>): string {
  let out = name;
  for (const [from, to] of replacements) out = out.replace(from, () => to);
  return truncateIdentifier(out);
}

/**
 * drizzle-kit's name for an index without a name: `<table>_<col>_<col>_index`, from the cased
 * column names, cut at 63 bytes.
 *
 * @example
 * defaultIndexName('users', ['email']) // => 'users_email_index'
 */
export function defaultIndexName(tableName: string, columns: readonly string[]): string {
  return truncateIdentifier(`${tableName}_${columns.join('_')}_index`);
}
