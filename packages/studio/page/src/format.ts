import type { ColumnInfo, Filter, RowCount } from '../../src/api-types.ts';

/** A cell's text: JSON values as JSON, everything else as PostgreSQL printed it. */
export function displayValue(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The text an editor starts from (json pretty-printed). */
export function editText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v, null, 2);
  return String(v);
}

export function formatCount(c: RowCount | null): string {
  if (!c) return '';
  const n = c.value.toLocaleString('en-US');
  return c.kind === 'exact' ? n : c.kind === 'at-least' ? `${n}+` : `≈${n}`;
}

/** Columns whose values are text, so a bare filter means "contains". */
export function isTextual(col: ColumnInfo): boolean {
  return col.category === 'S' || col.typeName === 'json' || col.typeName === 'jsonb' || col.category === 'A';
}

/**
 * A column filter as typed: `>5`, `<=2024-01-01`, `!=x`, `=x`, `null`, `!null`; a bare value is
 * "contains" on text columns and "equals" on the others. Empty: no filter.
 */
export function parseFilter(col: ColumnInfo, text: string): Filter | null {
  const t = text.trim();
  if (t === '') return null;
  const lower = t.toLowerCase();
  if (lower === 'null' || lower === 'is null') return { column: col.name, op: 'is-null' };
  if (lower === '!null' || lower === 'not null' || lower === 'is not null') return { column: col.name, op: 'not-null' };
  const ops: [string, Filter['op']][] = [['>=', 'ge'], ['<=', 'le'], ['!=', 'ne'], ['<>', 'ne'], ['>', 'gt'], ['<', 'lt'], ['=', 'eq']];
  for (const [prefix, op] of ops) {
    if (t.startsWith(prefix)) return { column: col.name, op, value: t.slice(prefix.length).trim() };
  }
  return { column: col.name, op: isTextual(col) ? 'contains' : 'eq', value: t };
}

export type InputKind = 'boolean' | 'enum' | 'number' | 'date' | 'json' | 'long-text' | 'text';

/** Which editor a column gets; text gets a multi-line editor only for a value that needs one. */
export function inputKind(col: ColumnInfo, text = ''): InputKind {
  if (col.category === 'B') return 'boolean';
  if (col.enumValues) return 'enum';
  if (col.category === 'N') return 'number';
  if (col.typeName === 'date') return 'date';
  if (col.typeName === 'json' || col.typeName === 'jsonb') return 'json';
  if ((col.category === 'S' || col.typeName === 'xml') && (text.includes('\n') || text.length > 80)) return 'long-text';
  return 'text';
}

/** A hint of the text form PostgreSQL expects, for the input's placeholder. */
export function placeholderFor(col: ColumnInfo): string {
  if (col.category === 'A') return '{a,b,c}';
  switch (col.typeName) {
    case 'timestamptz': return '2025-01-31 12:00:00+00';
    case 'timestamp': return '2025-01-31 12:00:00';
    case 'time': case 'timetz': return '12:00:00';
    case 'interval': return '1 day 02:00:00';
    case 'uuid': return '00000000-0000-0000-0000-000000000000';
    case 'bytea': return '\\x48656c6c6f';
    default: return col.type;
  }
}

/** Checks a value before it is sent, where the page can (JSON); returns an error or null. */
export function checkValue(col: ColumnInfo, text: string): string | null {
  if (inputKind(col) === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      return `not valid JSON: ${(e as Error).message}`;
    }
  }
  return null;
}
