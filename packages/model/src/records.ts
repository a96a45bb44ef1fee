/**
 * Reading and writing the Snapshot's name-keyed maps safely for every PostgreSQL name, including
 * `__proto__`, `constructor` and `prototype`: `map[name]` would read `Object.prototype`'s members
 * for a missing name, and assigning `__proto__` would replace the prototype instead of adding an entry.
 *
 * @example
 * const tables = {};
 * setEntry(tables, '__proto__', table);
 * getEntry(tables, 'constructor'); // => undefined
 */
export function getEntry<T>(map: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Adds or replaces an own entry, also for `__proto__`. */
export function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  // Only `__proto__` is an accessor on Object.prototype; every other key assigns as an own
  // property, and plain assignment keeps the record a fast object (defineProperty on thousands
  // of keys made serialising big schemas measurably slower).
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}
