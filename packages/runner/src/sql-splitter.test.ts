import { describe, expect, it } from 'vitest';
import { lineAndColumn, splitSql } from './sql-splitter.js';

const sqls = (text: string) => splitSql(text).map((s) => s.sql);

describe('splitSql', () => {
  it('splits on semicolons and on statement-breakpoint lines, keeping each start line', () => {
    const text = 'create table a (id int);\n--> statement-breakpoint\n\ncreate table b (id int)\n--> statement-breakpoint\ninsert into a values (1); insert into a values (2);\n';
    const st = splitSql(text);
    expect(st.map((s) => s.sql)).toEqual([
      'create table a (id int)', 'create table b (id int)', 'insert into a values (1)', 'insert into a values (2)',
    ]);
    expect(st.map((s) => [s.index, s.line, s.column])).toEqual([[1, 1, 1], [2, 4, 1], [3, 6, 1], [4, 6, 27]]);
    expect(text.slice(st[3]!.offset, st[3]!.offset + 6)).toBe('insert');
  });

  it('keeps semicolons inside dollar quotes, tagged or not, and tags that look like other tags', () => {
    const text = [
      'create function f() returns int as $$ begin; return 1; end $$ language plpgsql;',
      'create function g() returns text as $body$ select $$;$$; select \'$body\'; $body$ language sql;',
      'select $1::int;',
    ].join('\n');
    expect(sqls(text)).toEqual([
      'create function f() returns int as $$ begin; return 1; end $$ language plpgsql',
      "create function g() returns text as $body$ select $$;$$; select '$body'; $body$ language sql",
      'select $1::int',
    ]);
  });

  it('does not take an identifier containing $ for a dollar quote', () => {
    expect(sqls('select a$b$ from t; select 2')).toEqual(['select a$b$ from t', 'select 2']);
  });

  it('skips nested block comments and line comments holding ; and quotes', () => {
    const text = "/* outer /* inner ; ' */ still comment ; */ select 1; -- a ; comment 'x\nselect 2 /* ; */;";
    const st = splitSql(text);
    // A trailing comment is not part of the statement text.
    expect(st.map((s) => s.sql)).toEqual(['select 1', 'select 2']);
    expect(st[1]!.line).toBe(2);
  });

  it('handles E strings with backslash escapes, doubled quotes, and other string prefixes', () => {
    expect(sqls("select E'it\\'s; here'; select 'a''b;c'; select U&'d;\\0061'; select B'101', X'1F;'; select n';'")).toEqual([
      "select E'it\\'s; here'", "select 'a''b;c'", "select U&'d;\\0061'", "select B'101', X'1F;'", "select n';'",
    ]);
    // In a standard string a backslash is an ordinary character: the quote after it ends the string.
    expect(sqls("select 'C:\\'; select 2")).toEqual(["select 'C:\\'", 'select 2']);
  });

  it('keeps ; and -- inside quoted identifiers', () => {
    expect(sqls('create table "a;b--c" ("x"";y" int); select * from "a;b--c";')).toEqual([
      'create table "a;b--c" ("x"";y" int)', 'select * from "a;b--c"',
    ]);
    expect(sqls('select U&"d;0061" from t; select 1')).toEqual(['select U&"d;0061" from t', 'select 1']);
  });

  it('keeps the body of a BEGIN ATOMIC function together, CASE … END included', () => {
    const text = `create or replace function f(x int) returns int language sql
begin atomic
  select case when x > 0 then 1 else 0 end;
  select 2;
end;
create procedure p() language sql begin atomic insert into t values (1); end;
begin;
select 3;
end;`;
    expect(sqls(text)).toEqual([
      'create or replace function f(x int) returns int language sql\nbegin atomic\n  select case when x > 0 then 1 else 0 end;\n  select 2;\nend',
      'create procedure p() language sql begin atomic insert into t values (1); end',
      'begin', 'select 3', 'end',
    ]);
  });

  it('does not split inside parentheses, and ignores a breakpoint inside a string', () => {
    expect(sqls("select (1; 2); select 'x\n--> statement-breakpoint\ny'")).toEqual(['select (1; 2)', "select 'x\n--> statement-breakpoint\ny'"]);
  });

  it('drops empty statements and comment-only tails, and keeps an unterminated last statement', () => {
    expect(sqls(';;\n-- only a comment\n;select 1;\n;\n/* tail */\n')).toEqual(['select 1']);
    expect(sqls('select 1')).toEqual(['select 1']);
    expect(sqls("select 'unterminated")).toEqual(["select 'unterminated"]);
    expect(sqls('')).toEqual([]);
  });

  it('counts lines across CRLF line endings', () => {
    const st = splitSql('select 1;\r\n\r\nselect 2;');
    expect(st.map((s) => [s.sql, s.line])).toEqual([['select 1', 1], ['select 2', 3]]);
  });
});

describe('lineAndColumn', () => {
  it('is 1-based', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});

describe('splitSql positions on a big file', () => {
  it('gives every statement the line and column lineAndColumn computes from the top', () => {
    const parts: string[] = [];
    for (let i = 0; i < 2000; i++) {
      parts.push(`${i % 3 === 0 ? '\n\n' : ''}-- statement ${i}\n${' '.repeat(i % 4)}create table t${i} (\n  id int\n);${i % 5 === 0 ? '\n' : ' '}`);
    }
    const text = parts.join('\n--> statement-breakpoint\n');
    const statements = splitSql(text);
    expect(statements).toHaveLength(2000);
    for (const s of statements) expect({ line: s.line, column: s.column }).toEqual(lineAndColumn(text, s.offset));
  });
});
