import { tokenizeSql } from '@strata/core';

/**
 * Which key elements of an index carry an explicit `COLLATE`, read from the full
 * `pg_get_indexdef(oid, 0, true)` text: the server prints one exactly when the element's collation
 * differs from the one its column or expression has anyway, which the catalog alone cannot tell
 * for expressions. Returns one flag per element; all false when the text is not understood.
 */
export function explicitCollations(def: string, count: number): boolean[] {
  const none = Array.from({ length: count }, () => false);
  const tokens = tokenizeSql(def);
  let i = tokens.findIndex((t, k) => t.kind === 'ident' && t.text === 'USING' && tokens[k + 1]?.text === ' ');
  if (i === -1) return none;
  // skip "USING", the space, the method name and the space before "("
  while (i < tokens.length && tokens[i]!.text !== '(') i++;
  if (i >= tokens.length) return none;
  const flags = [...none];
  let depth = 0;
  let element = 0;
  for (i++; i < tokens.length && element < count; i++) {
    const t = tokens[i]!;
    if (t.kind === 'other') {
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        if (depth === 0) break;
        depth--;
      } else if (t.text === ',' && depth === 0) element++;
    } else if (t.kind === 'ident' && depth === 0 && t.text === 'COLLATE') flags[element] = true;
  }
  return flags;
}
