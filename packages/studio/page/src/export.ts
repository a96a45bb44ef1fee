import type { Row } from '../../src/api-types.ts';

/** A CSV field: quoted when it holds a comma, quote or line break; NULL is an empty field. */
function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Rows as CSV (RFC 4180: a header line, CRLF line ends), only the given columns, in their order.
 *
 * @example
 * toCsv(['id', 'name'], [{ id: 1, name: 'a, b' }]) // 'id,name\r\n1,"a, b"\r\n'
 */
export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Rows as a JSON array of objects with only the given columns (JSON values stay JSON).
 *
 * @example
 * toJson(['id'], [{ id: 1, name: 'x' }]) // '[\n  {\n    "id": 1\n  }\n]\n'
 */
export function toJson(columns: readonly string[], rows: readonly Row[]): string {
  return `${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))), null, 2)}\n`;
}
