import { StrataError } from '@strata/core';
import type { Node, ParseResult } from 'libpg-query';

/** One top-level statement of a parsed SQL text. */
export interface ParsedStatement {
  /** The statement's syntax tree, as PostgreSQL's own parser builds it (`{ CreateStmt: … }`, `{ IndexStmt: … }`…). */
  node: Node;
  /** The statement's text, without the `;` that ends it. */
  text: string;
  /** Offset of the statement's first character in the parsed text (UTF-16 units). */
  start: number;
  /** 1-based line of the statement's first non-blank character. */
  line: number;
}

/** PostgreSQL's parser, loaded. */
export interface SqlParser {
  /**
   * Parses SQL into statements; throws a `StrataError` (`SQL_INVALID`) naming the line and column.
   *
   * @example
   * const [s] = parser.parse('create index i on t (a desc)'); // s.node.IndexStmt
   */
  parse(sql: string): ParsedStatement[];
  /** The raw tree, as libpg-query returns it. */
  parseTree(sql: string): ParseResult;
  /**
   * PostgreSQL's lexer: the tokens of `sql`, with `start`/`end` as UTF-8 byte offsets.
   *
   * @example
   * parser.scan('a desc').map((t) => t.text) // => ['a', 'desc']
   */
  scan(sql: string): ScanToken[];
}

/** One token of PostgreSQL's lexer (offsets in UTF-8 bytes). */
export interface ScanToken {
  start: number;
  end: number;
  text: string;
}

type LibPgQuery = typeof import('libpg-query');
let loading: Promise<LibPgQuery> | null = null;

/**
 * Loads the real PostgreSQL parser (libpg-query's WASM build, ~0.1 s) once per process. Loaded only
 * by the code paths that need it (lint, the studio console, custom migrations), never by `migrate`.
 *
 * @example
 * const parser = await loadSqlParser();
 * parser.parse('select 1; select 2').length; // 2
 */
export async function loadSqlParser(): Promise<SqlParser> {
  loading ??= import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m;
  });
  const lib = await loading;
  return {
    parseTree: (sql) => parseOrThrow(lib, sql),
    parse: (sql) => statementsOf(sql, parseOrThrow(lib, sql)),
    scan: (sql) => lib.scanSync(sql).tokens.map((t) => ({ start: t.start, end: t.end, text: t.text })),
  };
}

function parseOrThrow(lib: LibPgQuery, sql: string): ParseResult {
  try {
    return lib.parseSync(sql);
  } catch (e) {
    const details = lib.hasSqlDetails(e) ? e.sqlDetails : undefined;
    // cursorPosition is a 0-based byte offset into the UTF-8 text.
    const offset = details ? byteToCharOffset(sql, details.cursorPosition) : -1;
    const where = offset >= 0 ? lineColumnAt(sql, offset) : null;
    const message = (details?.message ?? (e instanceof Error ? e.message : String(e))).replace(/^syntax error/, 'syntax error');
    throw new StrataError('SQL_INVALID', where ? `${message} (line ${where.line}, column ${where.column})` : message, {
      hint: 'Fix the SQL so that PostgreSQL can parse it.',
      details: where ? [`line ${where.line}: ${sql.split('\n')[where.line - 1]?.trim() ?? ''}`] : [],
      cause: e,
    });
  }
}

function statementsOf(sql: string, tree: ParseResult): ParsedStatement[] {
  const bytes = Buffer.from(sql, 'utf8');
  const out: ParsedStatement[] = [];
  // One pass over the text: statements come in order, so offsets and lines advance incrementally
  // (a 1,000-table migration has thousands of statements).
  let byte = 0;
  let char = 0;
  let line = 1;
  const newlines = (s: string) => {
    let n = 0;
    for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
    return n;
  };
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue;
    const startByte = raw.stmt_location ?? 0;
    // stmt_len 0 means "to the end of the text".
    const endByte = raw.stmt_len ? startByte + raw.stmt_len : bytes.length;
    const skipped = bytes.subarray(byte, startByte).toString('utf8');
    char += skipped.length;
    line += newlines(skipped);
    byte = startByte;
    const text = bytes.subarray(startByte, endByte).toString('utf8');
    const lead = text.length - text.trimStart().length;
    out.push({ node: raw.stmt, text: text.trim(), start: char + lead, line: line + newlines(text.slice(0, lead)) });
  }
  return out;
}

function byteToCharOffset(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, Math.max(0, byteOffset)).toString('utf8').length;
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}
