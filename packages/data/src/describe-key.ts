/** A key value or tuple as messages show it: `42`, `'a@b.c'`, `(1, 'x')`. */
export function describeKeyValue(value: unknown): string {
  const one = (v: unknown) => (typeof v === 'string' ? `'${v}'` : v === null ? 'null' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return Array.isArray(value) ? `(${value.map(one).join(', ')})` : one(value);
}

/** The key columns as messages show them: `id` or `(tenant_id, id)`. */
export function describeKeyColumns(names: readonly string[]): string {
  return names.length === 1 ? names[0]! : `(${names.join(', ')})`;
}
