/** How an enum's values get from one list to another. */
export type EnumValuesPlan =
  | { kind: 'same' }
  /** Only insertions, order kept: `ALTER TYPE … ADD VALUE`, in place. */
  | { kind: 'add'; adds: { value: string; before?: string; after?: string }[] }
  /** Values removed or reordered: PostgreSQL cannot do that in place; the type is rebuilt. */
  | { kind: 'rebuild'; removed: string[] };

/**
 * Compares enum value lists.
 *
 * @example
 * planEnumValues(['a', 'c'], ['a', 'b', 'c']) // => { kind: 'add', adds: [{ value: 'b', after: 'a' }] }
 * planEnumValues(['a', 'b'], ['b', 'a'])      // => { kind: 'rebuild', removed: [] }
 */
export function planEnumValues(from: readonly string[], to: readonly string[]): EnumValuesPlan {
  if (from.length === to.length && from.every((v, i) => v === to[i])) return { kind: 'same' };
  const removed = from.filter((v) => !to.includes(v));
  // Insertions only when the old values appear in `to` in the same order.
  const kept = to.filter((v) => from.includes(v));
  if (removed.length > 0 || kept.some((v, i) => v !== from[i])) return { kind: 'rebuild', removed };
  const adds: { value: string; before?: string; after?: string }[] = [];
  to.forEach((value, i) => {
    if (from.includes(value)) return;
    // Added in `to` order, so the value before this one already exists when this one is added.
    if (i > 0) adds.push({ value, after: to[i - 1]! });
    else if (from.length > 0) adds.push({ value, before: from[0]! });
    else adds.push({ value });
  });
  return { kind: 'add', adds };
}
