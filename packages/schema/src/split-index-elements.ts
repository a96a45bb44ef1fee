import { StrataError, quoteIdent } from '@strata/core';
import { collationName } from '@strata/model';
import type { Snapshot, Index, IndexElement } from './snapshot.js';

/** The parts of libpg-query's IndexElem node read here. */
interface IndexElemNode {
  name?: string;
  expr?: Record<string, unknown>;
  collation?: { String?: { sval?: string } }[];
  opclass?: { String?: { sval?: string } }[];
  opclassopts?: unknown[];
  ordering?: string;
  nulls_ordering?: string;
}

interface ScanToken { start: number; end: number; text: string }

/** What the parser gives for one element written as SQL. */
export interface ParsedIndexElement {
  node: IndexElemNode;
  /** The element's text, from its first token to its last (options included). */
  text: string;
  /** Byte ranges (UTF-8) of the element's tokens, in order. */
  tokens: ScanToken[];
}

/**
 * Splits index elements written as SQL (drizzle's `.on(sql\`…\`)`) into the expression and the
 * options PostgreSQL's grammar puts after it — `COLLATE …`, an operator class, `ASC|DESC`,
 * `NULLS FIRST|LAST` — so that `sql\`${t.at} DESC\`` becomes the column `at`, descending, and not
 * the invalid `("at" DESC)`. Uses PostgreSQL's own parser (`@strata/sql`), loaded only when the
 * snapshot has an element written as SQL: a schema without one never pays for it. An element
 * that is only a column reference becomes that column, as PostgreSQL stores it. Changes the
 * snapshot in place and returns it.
 *
 * Throws `StrataError('SCHEMA_INVALID')` naming the index when an element is not one PostgreSQL
 * accepts.
 *
 * @example
 * await splitIndexElements(snapshot);
 * // { value: '"at" DESC', expression: true } → { value: 'at', expression: false, desc: true, nullsFirst: true }
 */
export async function splitIndexElements(snapshot: Snapshot): Promise<Snapshot> {
  const sites: { index: Index; where: string }[] = [];
  for (const schema of Object.values(snapshot.schemas)) {
    for (const table of Object.values(schema.tables)) {
      for (const index of Object.values(table.indexes)) {
        if (index.elements.some((e) => e.expression)) sites.push({ index, where: `index "${index.name}" on ${table.schema}.${table.name}` });
      }
    }
  }
  if (sites.length === 0) return snapshot;
  const { loadSqlParser } = await import('@strata/sql');
  const parser = await loadSqlParser();
  const scan: Scan = (sql) => ({ tokens: parser.scan(sql) });
  const parseTree = parser.parseTree as unknown as ParseTree;
  for (const { index, where } of sites) {
    index.elements = index.elements.flatMap((e) => (e.expression ? splitElement(e, where, (sql) => parseElements(sql, where, parseTree, scan)) : [e]));
  }
  return snapshot;
}

type ParseTree = (sql: string) => { stmts?: { stmt?: Record<string, unknown> }[] };
type Scan = (sql: string) => { tokens: ScanToken[] };

const PREFIX = 'CREATE INDEX strata_i ON strata_t (';

/**
 * The elements one SQL text holds (usually one; `sql\`${a}, ${b}\`` holds two), each with its
 * parse node and text. Throws when the text is not a list of index elements.
 */
export function parseElements(value: string, where: string, parseTree: ParseTree, scan: Scan): ParsedIndexElement[] {
  const sql = `${PREFIX}${value})`;
  const invalid = (why: string) =>
    new StrataError('SCHEMA_INVALID', `${where}: the element sql\`${value}\` is not an index element PostgreSQL accepts: ${why}`, {
      hint: 'Write an expression, optionally followed by COLLATE, an operator class, ASC or DESC and NULLS FIRST or LAST.',
    });
  let tree: ReturnType<ParseTree>;
  try {
    tree = parseTree(sql);
  } catch (e) {
    throw invalid(e instanceof Error ? e.message : String(e));
  }
  const stmt = tree.stmts?.length === 1 ? (tree.stmts[0]!.stmt?.IndexStmt as Record<string, unknown> | undefined) : undefined;
  const params = (stmt?.indexParams ?? []) as { IndexElem?: IndexElemNode }[];
  if (!stmt || stmt.whereClause || stmt.indexIncludingParams || stmt.options) throw invalid('it reaches outside the element list');
  // Byte offsets: the scanner counts UTF-8 bytes.
  const bytes = Buffer.from(sql, 'utf8');
  const tokens = scan(sql).tokens;
  const open = tokens.findIndex((t) => t.start === Buffer.byteLength(PREFIX, 'utf8') - 1);
  const groups: ScanToken[][] = [[]];
  let depth = 0;
  let close = -1;
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === '(' || t.text === '[') depth++;
    else if (t.text === ')' || t.text === ']') {
      if (depth === 0) {
        close = k;
        break;
      }
      depth--;
    } else if (t.text === ',' && depth === 0) {
      groups.push([]);
      continue;
    }
    groups[groups.length - 1]!.push(t);
  }
  if (open < 0 || close !== tokens.length - 1 || groups.length !== params.length || groups.some((g) => g.length === 0)) {
    throw invalid('it reaches outside the element list');
  }
  return params.map((p, k) => {
    const group = groups[k]!;
    if (!p.IndexElem) throw invalid('not an index element');
    return { node: p.IndexElem, tokens: group, text: bytes.subarray(group[0]!.start, group[group.length - 1]!.end).toString('utf8') };
  });
}

function splitElement(e: IndexElement, where: string, parse: (sql: string) => ParsedIndexElement[]): IndexElement[] {
  return parse(e.value).map(({ node, tokens, text }) => {
    if (node.opclassopts && node.opclassopts.length > 0) {
      throw new StrataError('SCHEMA_INVALID', `${where}: operator class parameters (in sql\`${e.value}\`) are not supported`, {
        hint: 'Leave the parameters out, or create this index in a custom migration.',
      });
    }
    // Drop the options from the end, in the grammar's order: NULLS …, ASC|DESC, opclass [(…)], COLLATE ….
    let end = tokens.length;
    if (node.nulls_ordering === 'SORTBY_NULLS_FIRST' || node.nulls_ordering === 'SORTBY_NULLS_LAST') end -= 2;
    if (node.ordering === 'SORTBY_ASC' || node.ordering === 'SORTBY_DESC') end -= 1;
    const opclass = names(node.opclass);
    if (opclass.length > 0) end -= opclass.length * 2 - 1;
    const collation = names(node.collation);
    if (collation.length > 0) end -= collation.length * 2;
    const desc = node.ordering === 'SORTBY_DESC';
    // PostgreSQL's default: NULLS LAST ascending, NULLS FIRST descending.
    const nullsFirst = node.nulls_ordering === 'SORTBY_NULLS_FIRST' || (node.nulls_ordering !== 'SORTBY_NULLS_LAST' && desc);
    const column = columnOf(node);
    let value: string;
    if (column !== undefined) {
      value = column;
    } else {
      const first = tokens[0]!.start;
      const expression = Buffer.from(text, 'utf8').subarray(0, tokens[end - 1]!.end - first).toString('utf8').trim();
      value = stripOuterParens(expression);
    }
    // The catalog names built-in operator classes without their schema; collations as collationName does.
    const unqualified = (parts: string[]) => qualifiedName(parts[0] === 'pg_catalog' ? parts.slice(1) : parts);
    // In key order, as the snapshot is written (see canonicalJson).
    const out = {} as IndexElement;
    if (collation.length > 0) out.collation = collation.length > 1 ? collationName(collation[0], collation[1]!) : collationName(undefined, collation[0]!);
    out.desc = desc;
    out.expression = column === undefined;
    out.nullsFirst = nullsFirst;
    if (opclass.length > 0) out.opclass = unqualified(opclass);
    out.value = value;
    return out;
  });
}

function names(list: IndexElemNode['collation']): string[] {
  return (list ?? []).map((n) => n.String?.sval ?? '');
}

/** A column when the element is one, or only a reference to one (PostgreSQL stores `("at")` as the column `at`). */
function columnOf(node: IndexElemNode): string | undefined {
  if (node.name !== undefined) return node.name;
  const ref = node.expr?.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined;
  const last = ref?.fields?.[ref.fields.length - 1]?.String?.sval;
  return last;
}

/**
 * An object name as the snapshot keeps it: `C`, `public.my_ops`; parts that would not survive
 * being split on `.` are written quoted (the renderer keeps a name holding `"` as it is).
 */
function qualifiedName(parts: string[]): string {
  return parts.some((p) => p.includes('.') || p.includes('"')) ? parts.map(quoteIdent).join('.') : parts.join('.');
}

/** `(a + b)` → `a + b`, only when the outer parentheses enclose the whole text. */
function stripOuterParens(text: string): string {
  if (!text.startsWith('(') || !text.endsWith(')')) return text;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0 && i < text.length - 1) return text;
  }
  return text.slice(1, -1).trim();
}
