import { collationName } from '@strata/model';

/** A column type in the Snapshot's spelling (see the type conventions in `snapshot.ts`). */
export interface NormalizedType {
  /** PostgreSQL's `format_type` spelling of the element type (serials kept as `serial` etc.). */
  type: string;
  /** Set when the type was written schema-qualified (`"auth"."role"`). */
  typeSchema?: string;
  /** Array dimensions: the number of `[]` suffixes. */
  dimensions: number;
  /** The collation a type string names (`text COLLATE "C"`): the column's collation, as the catalog names it. */
  collation?: string;
}

// A trailing `COLLATE name` (quoted or not, optionally schema-qualified), as a type string may end.
const NAME_PART = String.raw`(?:"(?:[^"]|"")*"|[^\s."\[\]]+)`;
const COLLATE_SUFFIX = new RegExp(String.raw`\s+collate\s+(${NAME_PART}(?:\s*\.\s*${NAME_PART})?)\s*$`, 'i');

/** A name part as SQL reads it: quoted parts exact, unquoted ones folded to lower case. */
function identPart(raw: string): string {
  const t = raw.trim();
  return t.startsWith('"') ? t.slice(1, -1).replaceAll('""', '"') : t.toLowerCase();
}

/**
 * `"C"` → `C`, `pg_catalog."POSIX"` → `POSIX`, `public.nocase` → `nocase`, `s.my` → `s.my`: the
 * collation as the Snapshot names it (see `collationName` of @strata/model), which is also how
 * introspection names the collation the catalog holds.
 */
function collateName(text: string): string {
  const parts = (text.match(new RegExp(NAME_PART, 'g')) ?? []).map(identPart);
  if (parts.length === 1 && parts[0] === 'default') return 'default';
  return parts.length > 1 ? collationName(parts[0], parts[1]!) : collationName(undefined, parts[0]!);
}

const INTERVAL_FIELDS = new Set([
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'year to month',
  'day to hour',
  'day to minute',
  'day to second',
  'hour to minute',
  'hour to second',
  'minute to second',
]);

// Every alias PostgreSQL's grammar accepts for a type without modifiers, mapped to format_type's name.
const SIMPLE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int2: 'smallint',
  smallint: 'smallint',
  int8: 'bigint',
  bigint: 'bigint',
  serial: 'serial',
  serial4: 'serial',
  bigserial: 'bigserial',
  serial8: 'bigserial',
  smallserial: 'smallserial',
  serial2: 'smallserial',
  real: 'real',
  float4: 'real',
  float: 'double precision',
  float8: 'double precision',
  'double precision': 'double precision',
  bool: 'boolean',
  boolean: 'boolean',
  decimal: 'numeric',
  numeric: 'numeric',
  varchar: 'character varying',
  'character varying': 'character varying',
  'char varying': 'character varying',
  char: 'character(1)',
  character: 'character(1)',
  bpchar: 'bpchar',
  bit: 'bit(1)',
  varbit: 'bit varying',
  'bit varying': 'bit varying',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  time: 'time without time zone',
  timetz: 'time with time zone',
  interval: 'interval',
};

// Built-in names that need no mapping: lower-cased, kept as they are.
const BUILTIN_NAMES = new Set([
  'text',
  'json',
  'jsonb',
  'uuid',
  'date',
  'bytea',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'point',
  'line',
  'lseg',
  'box',
  'path',
  'polygon',
  'circle',
  'money',
  'xml',
  'tsvector',
  'tsquery',
  'oid',
  'name',
  'pg_lsn',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
  'int4multirange',
  'int8multirange',
  'nummultirange',
  'tsmultirange',
  'tstzmultirange',
  'datemultirange',
  'regclass',
  'regtype',
  'regproc',
  'jsonpath',
  'txid_snapshot',
  'pg_snapshot',
]);

/**
 * Spells a type the way PostgreSQL's `format_type` does, so that schema code and a live database
 * give the same text: `int4` → `integer`, `varchar(255)` → `character varying(255)`,
 * `timestamp (3) with time zone` → `timestamp(3) with time zone`, `numeric(10, 2)` → `numeric(10,2)`.
 * Array suffixes become `dimensions`. Unknown (extension or user) types keep their modifiers and
 * have an unquoted name folded to lower case, as PostgreSQL folds it.
 *
 * @example
 * normalizeColumnType('varchar(20)[]') // => { type: 'character varying(20)', dimensions: 1 }
 */
export function normalizeColumnType(sqlType: string): NormalizedType {
  // A schema spells a few dozen types over thousands of columns: each is worked out once.
  const known = normalizedTypes.get(sqlType);
  if (known !== undefined) return known;
  const normalized = Object.freeze(normalizeUncached(sqlType));
  normalizedTypes.set(sqlType, normalized);
  return normalized;
}

const normalizedTypes = new Map<string, Readonly<NormalizedType>>();

function normalizeUncached(sqlType: string): NormalizedType {
  let text = sqlType.trim();
  // `text COLLATE "C"` (a customType's dataType()): the collation belongs to the column, and the
  // quoted name must keep its case.
  const collate = COLLATE_SUFFIX.exec(text);
  const named = collate ? collateName(collate[1]!) : undefined;
  // `COLLATE "default"` is the type's own collation: the catalog records none.
  const collation = named === 'default' ? undefined : named;
  if (collate) text = text.slice(0, collate.index).trimEnd();
  let dimensions = 0;
  for (;;) {
    const m = /\[\s*\d*\s*\]\s*$/.exec(text);
    if (!m) break;
    dimensions++;
    text = text.slice(0, m.index).trimEnd();
  }
  const arrayKeyword = /\s+array$/i.exec(text);
  if (arrayKeyword) {
    dimensions = Math.max(dimensions, 1);
    text = text.slice(0, arrayKeyword.index);
  }
  return { ...normalizeElementType(text), dimensions, ...(collation !== undefined ? { collation } : {}) };
}

function normalizeElementType(text: string): Omit<NormalizedType, 'dimensions'> {
  if (text.startsWith('"') || /^[^(]*\./.test(text)) return qualifiedUserType(text);
  // Collapse whitespace and the spaces drizzle puts around modifiers: `timestamp (3)`, `numeric(10, 2)`.
  const flat = text
    .replace(/\s+/g, ' ')
    .replace(/\s*\(\s*/g, '(')
    .replace(/\s*,\s*/g, ',')
    .replace(/\s*\)/g, ')');
  const lower = flat.toLowerCase();
  const simple = SIMPLE_ALIASES[lower];
  if (simple !== undefined) return { type: simple };
  if (BUILTIN_NAMES.has(lower)) return { type: lower };

  let m: RegExpExecArray | null;
  if ((m = /^(?:numeric|decimal)\((\d+)(?:,(-?\d+))?\)$/.exec(lower))) {
    return { type: `numeric(${m[1]},${m[2] ?? '0'})` };
  }
  if ((m = /^(?:varchar|character varying|char varying)\((\d+)\)$/.exec(lower))) {
    return { type: `character varying(${m[1]})` };
  }
  if ((m = /^(?:char|character|bpchar)\((\d+)\)$/.exec(lower))) return { type: `character(${m[1]})` };
  if ((m = /^(?:varbit|bit varying)\((\d+)\)$/.exec(lower))) return { type: `bit varying(${m[1]})` };
  if ((m = /^bit\((\d+)\)$/.exec(lower))) return { type: `bit(${m[1]})` };
  if ((m = /^float\((\d+)\)$/.exec(lower))) return { type: Number(m[1]) <= 24 ? 'real' : 'double precision' };
  if ((m = /^(timestamp|time)(?:\((\d+)\))?(?: (with|without) time zone)?$/.exec(lower))) {
    return { type: `${m[1]}${m[2] === undefined ? '' : `(${m[2]})`} ${m[3] ?? 'without'} time zone` };
  }
  if ((m = /^(timestamptz|timetz)(?:\((\d+)\))?$/.exec(lower))) {
    const base = m[1] === 'timestamptz' ? 'timestamp' : 'time';
    return { type: `${base}${m[2] === undefined ? '' : `(${m[2]})`} with time zone` };
  }
  if ((m = /^interval(?: ([a-z ]+?))?(?:\((\d+)\))?$/.exec(lower)) && (m[1] === undefined || INTERVAL_FIELDS.has(m[1]))) {
    return { type: `interval${m[1] === undefined ? '' : ` ${m[1]}`}${m[2] === undefined ? '' : `(${m[2]})`}` };
  }
  // An unknown type: PostgreSQL folds the unquoted name; the modifier text goes to the type's own parser.
  const paren = flat.indexOf('(');
  const name = paren < 0 ? flat : flat.slice(0, paren);
  return { type: `${foldUnquoted(name)}${paren < 0 ? '' : flat.slice(paren)}` };
}

// `"auth"."Role"`, `auth.role`, `"My Type"`: split into schema and bare name, unquoting as SQL does.
function qualifiedUserType(text: string): Omit<NormalizedType, 'dimensions'> {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let part = '';
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          part += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else part += text[j++];
      }
      parts.push(part);
      i = j + 1;
    } else {
      const end = text.indexOf('.', i);
      const raw = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      parts.push(raw.toLowerCase());
      i = end < 0 ? text.length : end;
    }
    while (text[i] === '.' || text[i] === ' ') i++;
  }
  const name = parts.at(-1) ?? text;
  // format_type prints the built-in single-byte type with its quotes.
  if (parts.length === 1 && name === 'char' && text.startsWith('"')) return { type: '"char"' };
  if (parts.length >= 2) {
    const schema = parts[parts.length - 2] as string;
    if (schema === 'pg_catalog') return normalizeElementType(name);
    return { type: name, typeSchema: schema };
  }
  return { type: name };
}

/** Lower-cases the text outside double quotes, as PostgreSQL folds unquoted identifiers; quoted parts stay exact. */
function foldUnquoted(text: string): string {
  return text.split(/("(?:[^"]|"")*")/).map((part, i) => (i % 2 === 1 ? part : part.toLowerCase())).join('');
}
