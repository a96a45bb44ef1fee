/**
 * Writes a value as canonical JSON: object keys sorted, two-space indentation, `undefined`
 * fields left out, a final newline. Two equal snapshots give byte-identical text. The output is
 * exactly `JSON.stringify(value with sorted keys, null, 2)`, written in one pass (snapshots of
 * thousands of tables are written on every `generate`).
 *
 * @example
 * canonicalJson({ b: 1, a: [2, 1] }) // => '{\n  "a": [\n    2,\n    1\n  ],\n  "b": 1\n}\n'
 */
export function canonicalJson(value: unknown): string {
  return `${write(value, '') ?? 'undefined'}\n`;
}

/** The text of one value at `indent`, or undefined where JSON.stringify leaves a value out. */
function write(value: unknown, indent: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      // As JSON.stringify: a BigInt has no JSON form.
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      return undefined; // undefined, functions, symbols
  }
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON(), indent);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const items = value.map((v) => `${inner}${write(v, inner) ?? 'null'}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key], inner);
    if (text !== undefined) parts.push(`${inner}${JSON.stringify(key)}: ${text}`);
  }
  return parts.length === 0 ? '{}' : `{\n${parts.join(',\n')}\n${indent}}`;
}
