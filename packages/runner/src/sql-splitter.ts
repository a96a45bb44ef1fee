/** One statement of a SQL file, as the runner sends it to the server. */
export interface SqlStatement {
  /** 1-based number of the statement in its file. */
  index: number;
  /** The statement's text, from its first token to its last, without the terminating `;`. */
  sql: string;
  /** 1-based line in the file where the statement's first token is. */
  line: number;
  /** 1-based column of that token. */
  column: number;
  /** Offset (UTF-16 units) of the statement's first character in the file. */
  offset: number;
}

/** The separator line drizzle-kit and Strata put between statements. */
export const STATEMENT_BREAKPOINT = '--> statement-breakpoint';

/** A line that starts a new part of a migration, run in its own transaction. */
export const PART_MARKER = '--> strata:part';
/** A line that starts a new part of a migration, run outside a transaction (each statement commits on its own). */
export const PART_MARKER_NO_TRANSACTION = '--> strata:part no-transaction';

/** A part marker line found by `scanSql`. */
export interface PartMarker {
  /** Statements of the file before the marker. */
  after: number;
  noTransaction: boolean;
  /** 1-based line of the marker. */
  line: number;
}

/**
 * Splits a SQL script into statements the way psql does (its lexer, psqlscan.l): a `;` ends a
 * statement only outside strings (`'…'`, `E'…'` with backslash escapes, `U&'…'`), quoted
 * identifiers (`"a;b--c"`), dollar quotes (`$$…$$`, `$tag$…$tag$`), comments (`--…` and block
 * comments, which nest in PostgreSQL), parentheses, and the `BEGIN ATOMIC … END` body of a SQL-standard function.
 * A `--> statement-breakpoint` line also ends a statement. Empty statements (only comments or
 * whitespace) are dropped.
 *
 * Hand-written on purpose: the maintained JavaScript splitters tried (dbgate-query-splitter)
 * break on nested comments, `E'…\'…'` strings and `BEGIN ATOMIC`, and PostgreSQL's own parser
 * (libpg-query) is a multi-megabyte WASM build of one server version that fails on any syntax
 * error, where the runner wants the server to report it with a line.
 *
 * @example
 * splitSql(`create table "a;b" (id int);\n--> statement-breakpoint\nselect $$;$$;`)
 * // => [{ index: 1, sql: 'create table "a;b" (id int)', line: 1, … }, { index: 2, sql: 'select $$;$$', line: 3, … }]
 */
export function splitSql(text: string): SqlStatement[] {
  return scanSql(text).statements;
}

/**
 * `splitSql`, also returning the part markers: lines that are exactly `--> strata:part` or
 * `--> strata:part no-transaction`, where a comment may stand (not inside a string or a dollar
 * quote). A marker also ends a statement.
 *
 * @example
 * scanSql('create table t (id int);\n--> strata:part no-transaction\ncreate index concurrently i on t (id);').markers
 * // => [{ after: 1, noTransaction: true, line: 2 }]
 */
export function scanSql(text: string): { statements: SqlStatement[]; markers: PartMarker[] } {
  const out: SqlStatement[] = [];
  const markers: PartMarker[] = [];
  const n = text.length;
  let i = 0;
  // Start of the current statement's first token; -1 while only whitespace/comments were seen.
  let start = -1;
  let lastTokenEnd = -1;
  let parenDepth = 0;
  let beginDepth = 0;
  // psql's heuristic for BEGIN ATOMIC: the first identifiers of the statement, lowercased initials.
  let identifiers: string[] = [];

  // Statements come in order: count lines from the previous statement's start, not from the top
  // of the file (a migration of thousands of statements would otherwise take quadratic time).
  let seenOffset = 0;
  let seenLine = 1;
  let seenLineStart = 0;
  const position = (offset: number) => {
    for (let i = seenOffset; i < offset && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        seenLine++;
        seenLineStart = i + 1;
      }
    }
    seenOffset = Math.max(seenOffset, offset);
    return { line: seenLine, column: offset - seenLineStart + 1 };
  };
  const flush = () => {
    if (start >= 0) {
      const { line, column } = position(start);
      out.push({ index: out.length + 1, sql: text.slice(start, lastTokenEnd), line, column, offset: start });
    }
    start = -1;
    lastTokenEnd = -1;
    parenDepth = 0;
    beginDepth = 0;
    identifiers = [];
  };
  const token = (from: number, to: number) => {
    if (start < 0) start = from;
    lastTokenEnd = to;
  };

  while (i < n) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      const comment = text.slice(i, end).trimEnd();
      // A breakpoint ends a statement only where a comment may stand, i.e. here.
      if (comment === STATEMENT_BREAKPOINT && parenDepth === 0) flush();
      else if ((comment === PART_MARKER || comment === PART_MARKER_NO_TRANSACTION) && (i === 0 || text[i - 1] === '\n')) {
        flush();
        markers.push({ after: out.length, noTransaction: comment === PART_MARKER_NO_TRANSACTION, line: position(i).line });
      }
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      i = skipBlockComment(text, i);
      continue;
    }
    if (c === ';') {
      if (parenDepth === 0 && beginDepth === 0) {
        flush();
      } else {
        token(i, i + 1);
      }
      i++;
      continue;
    }
    if (c === '(' || c === '[') {
      parenDepth++;
      token(i, i + 1);
      i++;
      continue;
    }
    if (c === ')' || c === ']') {
      if (parenDepth > 0) parenDepth--;
      token(i, i + 1);
      i++;
      continue;
    }
    if (c === "'") {
      const end = skipQuoted(text, i + 1, "'", false);
      token(i, end);
      i = end;
      continue;
    }
    if ((c === 'E' || c === 'e') && next === "'") {
      const end = skipQuoted(text, i + 2, "'", true);
      token(i, end);
      i = end;
      continue;
    }
    if ((c === 'U' || c === 'u') && next === '&' && (text[i + 2] === "'" || text[i + 2] === '"')) {
      const q = text[i + 2]!;
      const end = skipQuoted(text, i + 3, q, false);
      token(i, end);
      i = end;
      continue;
    }
    if ((c === 'B' || c === 'b' || c === 'X' || c === 'x' || c === 'N' || c === 'n') && next === "'") {
      const end = skipQuoted(text, i + 2, "'", false);
      token(i, end);
      i = end;
      continue;
    }
    if (c === '"') {
      const end = skipQuoted(text, i + 1, '"', false);
      token(i, end);
      i = end;
      continue;
    }
    if (c === '$') {
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 200));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 ? n : close + tag[0].length;
        token(i, end);
        i = end;
        continue;
      }
      // A parameter ($1) or a lone dollar: an ordinary character.
      let j = i + 1;
      while (j < n && /[0-9]/.test(text[j]!)) j++;
      token(i, j);
      i = j;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentCont(text[j]!)) j++;
      trackBeginAtomic(text.slice(i, j).toLowerCase());
      token(i, j);
      i = j;
      continue;
    }
    // Any other character (operators, digits, punctuation) belongs to the statement.
    token(i, i + 1);
    i++;
  }
  flush();
  return { statements: out, markers };

  function trackBeginAtomic(word: string): void {
    if (identifiers.length < 4 && ['create', 'or', 'replace', 'function', 'procedure'].includes(word)) identifiers.push(word[0]!);
    else if (identifiers.length < 4) identifiers.push('\0');
    const [a, b, c2, d] = identifiers;
    const isRoutine = a === 'c' && (b === 'f' || b === 'p' || (b === 'o' && c2 === 'r' && (d === 'f' || d === 'p')));
    if (!isRoutine || parenDepth !== 0) return;
    if (word === 'begin') beginDepth++;
    else if (word === 'case' && beginDepth >= 1) beginDepth++;
    else if (word === 'end' && beginDepth > 0) beginDepth--;
  }
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c >= '\u0080';
}

function isIdentCont(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9') || c === '$';
}

/** Index just past the closing quote; a doubled quote stays inside; `backslash` for E'' strings. */
function skipQuoted(text: string, from: number, quote: string, backslash: boolean): number {
  let i = from;
  while (i < text.length) {
    const c = text[i]!;
    if (backslash && c === '\\') {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

/** Index just past a block comment starting at `from`; PostgreSQL nests them. */
function skipBlockComment(text: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    if (text[i] === '/' && text[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (text[i] === '*' && text[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return text.length;
}

/** 1-based line and column of an offset in a text. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
