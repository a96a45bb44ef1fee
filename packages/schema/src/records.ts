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
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
