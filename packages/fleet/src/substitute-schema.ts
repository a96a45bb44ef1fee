import { quoteIdent } from '@strata/core';

/**
 * Rewrites a migration's SQL from the managed schema `from` to the tenant schema `to`:
 * - a qualified name's schema part (`"tenant"."users"`, `tenant.users`) becomes `"to"`, quoted;
 * - a schema named by itself after the keyword SCHEMA (`CREATE SCHEMA "tenant"`, `SET SCHEMA tenant`);
 * - inside string literals, a qualified name's schema part (`nextval('tenant.seq')`,
 *   `'"tenant"."seq"'::regclass`), written as an identifier that reads the same there;
 * - inside dollar-quoted bodies (functions, DO blocks), the same rules, applied to the body as SQL.
 * `to` null drops the qualifier instead (`"tenant"."users"` → `"users"`): for text read with the
 * schema on the search_path, where PostgreSQL spells its names unqualified.
 * A column or table that happens to be called like the schema (`"orders"."tenant"`) is left alone,
 * and so are comments. `from` is compared as PostgreSQL reads it: exact when quoted, lower-cased
 * when not.
 *
 * @example
 * substituteSchema(`CREATE TABLE "tenant"."t" (id int DEFAULT nextval('tenant.t_seq'))`, 'tenant', 'acme')
 * // => `CREATE TABLE "acme"."t" (id int DEFAULT nextval('"acme".t_seq'))`
 */
export function substituteSchema(sql: string, from: string, to: string | null): string {
  if (from === to) return sql;
  let out = '';
  let i = 0;
  /** The significant words (upper case) just before the current token, to spot `SCHEMA [IF NOT EXISTS] x`. */
  let words: string[] = [];
  /** Whether the previous significant token was a `.` (then an identifier is not a schema part). */
  let afterDot = false;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '/' && next === '*') {
      const stop = blockCommentEnd(sql, i);
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'" || ((ch === 'E' || ch === 'e') && next === "'" && !isIdentChar(sql[i - 1]))) {
      const escapes = ch !== "'";
      const start = escapes ? i + 1 : i;
      const stop = literalEnd(sql, start, escapes);
      const body = sql.slice(start + 1, stop - 1);
      out += `${escapes ? sql[i] : ''}'${substituteInLiteral(body, from, to, escapes)}${sql.slice(stop - 1, stop)}`;
      i = stop;
      afterDot = false;
      words = [];
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag && !isIdentChar(sql[i - 1])) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        const stop = close < 0 ? n : close;
        out += tag[0] + substituteSchema(sql.slice(i + tag[0].length, stop), from, to) + (close < 0 ? '' : tag[0]);
        i = close < 0 ? n : close + tag[0].length;
        afterDot = false;
        words = [];
        continue;
      }
    }
    if (ch === '"') {
      const stop = quotedIdentEnd(sql, i);
      const name = sql.slice(i + 1, stop - 1).replaceAll('""', '"');
      const schema = isSchemaPosition(sql, stop, name === from, afterDot, words);
      out += schema ? replacement(to) : sql.slice(i, stop);
      i = schema && to === null ? dotEnd(sql, stop) : stop;
      afterDot = false;
      words = [];
      continue;
    }
    if (isIdentStart(ch)) {
      let stop = i + 1;
      while (stop < n && isIdentChar(sql[stop])) stop++;
      const word = sql.slice(i, stop);
      const schema = isSchemaPosition(sql, stop, word.toLowerCase() === from, afterDot, words);
      out += schema ? replacement(to) : word;
      words = [...words.slice(-3), word.toUpperCase()];
      afterDot = false;
      i = schema && to === null ? dotEnd(sql, stop) : stop;
      continue;
    }
    if (!/\s/.test(ch)) {
      afterDot = ch === '.';
      if (ch !== '.') words = [];
    }
    out += ch;
    i++;
  }
  return out;
}

const replacement = (to: string | null) => (to === null ? '' : quoteIdent(to));

/** Just past the `.` (and the blanks around it) that follows a schema name ending at `end`: where a dropped qualifier ends. */
function dotEnd(sql: string, end: number): number {
  const m = /^\s*\.\s*/.exec(sql.slice(end, end + 64));
  return m ? end + m[0].length : end;
}

/** A name at `end` is the schema: it matches, and starts a qualified name or follows SCHEMA [IF [NOT] EXISTS]. */
function isSchemaPosition(sql: string, end: number, matches: boolean, afterDot: boolean, words: readonly string[]): boolean {
  if (!matches || afterDot) return false;
  if (/^\s*\.(?!\.)/.test(sql.slice(end, end + 64))) return true;
  return /(^| )SCHEMA( IF( NOT)? EXISTS)?$/.test(words.join(' '));
}

/**
 * Inside a literal: `from.` or `"from".` at the start of a name (not after a letter, digit, `_`,
 * `.` or `"`) becomes the tenant schema, quoted only when it must be.
 */
function substituteInLiteral(body: string, from: string, to: string | null, escapes: boolean): string {
  const plainTo = to === null ? '' : /^[a-z_][a-z0-9_$]*$/.test(to) ? to : quoteIdent(to);
  const escapeText = (s: string) => (escapes ? s.replaceAll('\\', '\\\\') : s).replaceAll("'", "''");
  // In the literal's source text, a `"` of the name is itself, a `'` is doubled.
  const quotedFrom = escapeText(quoteIdent(from));
  let out = '';
  let i = 0;
  while (i < body.length) {
    const before = body[i - 1];
    const boundary = before === undefined || !/[A-Za-z0-9_$."]/.test(before);
    // A dropped qualifier takes its dot with it.
    const dot = to === null ? 1 : 0;
    if (boundary && body.startsWith(`${quotedFrom}.`, i)) {
      out += to === null ? '' : escapeText(quoteIdent(to));
      i += quotedFrom.length + dot;
      continue;
    }
    if (boundary && body.slice(i, i + from.length + 1).toLowerCase() === `${from}.` && /^[a-z_][a-z0-9_$]*$/.test(from)) {
      out += escapeText(plainTo);
      i += from.length + dot;
      continue;
    }
    out += body[i];
    i++;
  }
  return out;
}

function isIdentStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(ch);
}

function isIdentChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

function blockCommentEnd(sql: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}

/** The index after the closing quote of a literal whose opening quote is at `start`. */
function literalEnd(sql: string, start: number, escapes: boolean): number {
  let i = start + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (escapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === "'") {
      if (sql[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}

function quotedIdentEnd(sql: string, start: number): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === '"') {
      if (sql[i + 1] === '"') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
