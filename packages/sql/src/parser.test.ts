import { describe, expect, it } from 'vitest';
import { isStrataError } from '@strata/core';
import { loadSqlParser } from './parser.js';

describe('loadSqlParser', () => {
  it('splits statements the way PostgreSQL does, with their lines', async () => {
    const p = await loadSqlParser();
    const sql = "select 1;\n-- a ; comment\ncreate table \"a;b\" (x text default 'x;y');\n\ndo $$ begin perform 1; end $$;";
    const s = p.parse(sql);
    expect(s.map((x) => x.line)).toEqual([1, 3, 5]);
    expect(s[1]!.text).toBe("create table \"a;b\" (x text default 'x;y')");
    expect(Object.keys(s[1]!.node)).toEqual(['CreateStmt']);
    expect(Object.keys(s[2]!.node)).toEqual(['DoStmt']);
  });

  it('keeps offsets right after multi-byte characters', async () => {
    const p = await loadSqlParser();
    const s = p.parse("select 'é€';\nselect 2");
    expect(s[1]!.text).toBe('select 2');
    expect(s[1]!.line).toBe(2);
  });

  it('names the line and column of a syntax error', async () => {
    const p = await loadSqlParser();
    let error: unknown;
    try {
      p.parse('select 1;\nselect from where;');
    } catch (e) {
      error = e;
    }
    expect(isStrataError(error) && error.code).toBe('SQL_INVALID');
    expect((error as Error).message).toMatch(/line 2, column \d+/);
  });
});
