/** Built-in and common extension functions that return a new value on every call. */
export const VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'gen_random_bytes', 'clock_timestamp', 'timeofday', 'nextval', 'setval', 'txid_current', 'pg_current_xact_id',
]);

/** Functions known not to be volatile (stable or immutable): a default calling only these is evaluated once by ADD COLUMN. */
export const NON_VOLATILE_FUNCTIONS: ReadonlySet<string> = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_date', 'current_timestamp', 'localtimestamp', 'current_setting',
  'lower', 'upper', 'coalesce', 'concat', 'md5', 'to_jsonb', 'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'array',
  'timezone', 'date_trunc', 'make_interval', 'length', 'abs', 'round', 'trim', 'btrim', 'replace', 'substring', 'to_char', 'to_timestamp',
]);

/**
 * Whether a default that calls these functions is volatile: known volatile names are, known stable
 * ones are not; any other function is treated as volatile unless the database says otherwise.
 *
 * @example
 * defaultVolatility(['gen_random_uuid'], undefined) // { volatile: true, unknown: [] }
 */
export function defaultVolatility(
  functions: readonly string[],
  catalog: ReadonlyMap<string, 'i' | 's' | 'v'> | undefined,
): { volatile: boolean; culprit: string | null; unknown: boolean } {
  for (const f of functions) {
    const known = catalog?.get(f);
    if (known === 'v' || (known === undefined && VOLATILE_FUNCTIONS.has(f))) return { volatile: true, culprit: f, unknown: false };
  }
  for (const f of functions) {
    if (catalog?.has(f) || NON_VOLATILE_FUNCTIONS.has(f)) continue;
    return { volatile: true, culprit: f, unknown: true };
  }
  return { volatile: false, culprit: null, unknown: false };
}
