/**
 * Writes a value as canonical JSON: object keys sorted, two-space indentation, `undefined`
 * fields left out, a final newline. Two equal snapshots give byte-identical text.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, 1] }) // => '{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    // Object.fromEntries creates own properties, also for a key named `__proto__`.
    const entries = Object.keys(value)
      .sort()
      .map((key) => [key, (value as Record<string, unknown>)[key]] as const)
      .filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries.map(([key, v]) => [key, sortKeys(v)]));
  }
  return value;
}
