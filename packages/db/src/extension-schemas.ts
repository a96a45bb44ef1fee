/**
 * SQL for the schemas that hold an extension, quoted and comma-separated in name order (NULL
 * when there are none), leaving out `pg_catalog` and the schemas of the SQL array `skip`.
 *
 * Why: code writes an extension's types and functions unqualified (`vector(3)`, `citext`), and
 * Supabase installs extensions in `extensions`, which only its own search_path names. So every
 * session Strata applies, reads or spells code in puts these schemas after its search_path:
 * `strata migrate` (the runner's pinned settings), introspection for check, push and pull, and
 * the scratch build that spells the code on the server.
 *
 * @example
 * `select concat_ws(', ', 'public', ${extensionSchemasSql("ARRAY['public']")})` // => 'public, extensions'
 */
export function extensionSchemasSql(skip: string): string {
  return `(SELECT string_agg(DISTINCT pg_catalog.quote_ident(n.nspname), ', ' ORDER BY pg_catalog.quote_ident(n.nspname))
    FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname <> 'pg_catalog' AND n.nspname <> ALL (${skip}))`;
}

/**
 * One statement that appends the schemas holding an extension (those not on it already) to the
 * search_path: until the end of the transaction (`local`), or for the session.
 */
export function extensionSchemasOnPathSql(local: boolean): string {
  return `SELECT pg_catalog.set_config('search_path', concat_ws(', ', nullif(pg_catalog.current_setting('search_path'), ''), ${extensionSchemasSql('pg_catalog.current_schemas(false)')}), ${local})`;
}
