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
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}
