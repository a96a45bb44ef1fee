import { MAX_IDENTIFIER_BYTES, cutToBytes, nameTag } from '@strata/core';

/**
 * The name of a function or trigger a multi-step migration creates for `owner` (a table, or a
 * table's column): `<prefix><owner parts joined by _>` when it fits PostgreSQL's 63 bytes;
 * otherwise cut and ended with a tag of the whole owner, so two long owners that share their
 * first 50-odd bytes still get two names (plain truncation would give both the same function,
 * the second replacing the first).
 *
 * @example
 * helperName('strata_fit_', ['public', 'items', 'code'], 1) // => 'strata_fit_items_code'
 * helperName('strata_fit_', ['public', 'a'.repeat(60), 'code'], 1) // => 'strata_fit_aaa…aaa_1b2c3d4e' (63 bytes)
 */
export function helperName(prefix: string, owner: readonly string[], shownFrom: number): string {
  const full = `${prefix}${owner.slice(shownFrom).join('_')}`;
  if (Buffer.byteLength(full, 'utf8') <= MAX_IDENTIFIER_BYTES) return full;
  const suffix = `_${nameTag(JSON.stringify(owner))}`;
  return `${cutToBytes(full, MAX_IDENTIFIER_BYTES - suffix.length)}${suffix}`;
}

