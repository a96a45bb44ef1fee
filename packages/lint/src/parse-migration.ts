import { isStrataError } from '@strata/core';
import type { Node, SqlParser } from '@strata/sql';
import { ignoreDirectivesAbove, type IgnoreDirective } from './ignore-directives.js';
import { migrationParts, type MigrationPart } from './migration-parts.js';

/** A migration file to lint: its name as shown in findings, and its text. */
export interface MigrationSource {
  file: string;
  sql: string;
}

/** One statement of a parsed migration file. */
export interface LintStatement {
  node: Node;
  text: string;
  /** 1-based line of its first character. */
  line: number;
  /** 0-based index among the file's statements. */
  index: number;
  part: MigrationPart;
  /** The `-- strata:ignore` comments directly above it. */
  ignores: IgnoreDirective[];
  /** Parsed from the body of a `DO` block: its tree's locations are not offsets in the file. */
  embedded?: boolean;
}

/** A migration file split into parts and statements, or the place where it does not parse. */
export interface ParsedMigration {
  file: string;
  sql: string;
  parts: MigrationPart[];
  statements: LintStatement[];
  error: { message: string; line: number; column: number } | null;
  /** Line and column of a byte offset in the file (node locations are byte offsets). */
  positionAt(byteOffset: number): { line: number; column: number };
}

/**
 * Parses a migration file with PostgreSQL's parser and places each statement in its part.
 *
 * @example
 * const m = parseMigration(await loadSqlParser(), { file: '0001_init.sql', sql });
 * m.statements[0].part.transactional // true
 */
export function parseMigration(parser: SqlParser, source: MigrationSource): ParsedMigration {
  const { file, sql } = source;
  const parts = migrationParts(sql);
  const lines = sql.split('\n');
  const positionAt = byteToPosition(sql);
  let parsed: ReturnType<SqlParser['parse']>;
  try {
    parsed = parser.parse(sql);
  } catch (e) {
    if (!isStrataError(e) || e.code !== 'SQL_INVALID') throw e;
    const m = /\(line (\d+), column (\d+)\)$/.exec(e.message);
    const message = e.message.replace(/\s*\(line \d+, column \d+\)$/, '');
    return { file, sql, parts, statements: [], error: { message, line: m ? Number(m[1]) : 1, column: m ? Number(m[2]) : 1 }, positionAt };
  }
  const statements: LintStatement[] = [];
  for (const s of parsed) {
    const base = { line: s.line, part: parts.findLast((p) => p.start <= s.start) ?? parts[0]!, ignores: ignoreDirectivesAbove(lines, s.line) };
    statements.push({ ...base, node: s.node, text: s.text, index: statements.length });
    for (const inner of doBlockStatements(parser, s.node)) statements.push({ ...base, node: inner.node, text: inner.text, index: statements.length, embedded: true });
  }
  return { file, sql, parts, statements, error: null, positionAt };
}

// drizzle-kit wraps each foreign key in `DO $$ BEGIN <statement>; EXCEPTION WHEN duplicate_object THEN null; END $$;`
const DO_BLOCK = /^\s*BEGIN\s+([\s\S]*?)\s*(?:EXCEPTION\s[\s\S]*)?END\s*;?\s*$/i;

/** The plain SQL statements of a `DO` block of the form drizzle-kit writes; none for any other body. */
function doBlockStatements(parser: SqlParser, node: Node): { node: Node; text: string }[] {
  if (!('DoStmt' in node)) return [];
  for (const a of node.DoStmt.args ?? []) {
    if (!('DefElem' in a) || a.DefElem.defname !== 'as' || !a.DefElem.arg || !('String' in a.DefElem.arg)) continue;
    const m = DO_BLOCK.exec(a.DefElem.arg.String.sval ?? '');
    if (!m) return [];
    try {
      return parser.parse(m[1]!).map((x) => ({ node: x.node, text: x.text }));
    } catch {
      return []; // PL/pgSQL, not plain SQL
    }
  }
  return [];
}

function byteToPosition(sql: string): (byte: number) => { line: number; column: number } {
  const bytes = Buffer.from(sql, 'utf8');
  const lineStarts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lineStarts.push(i + 1);
  return (byte) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= byte) lo = mid;
      else hi = mid - 1;
    }
    const column = bytes.subarray(lineStarts[lo]!, byte).toString('utf8').length + 1;
    return { line: lo + 1, column };
  };
}
