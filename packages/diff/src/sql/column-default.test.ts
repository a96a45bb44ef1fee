import { describe, expect, it } from 'vitest';
import { columnDefaultSql } from './column-default.js';

describe('columnDefaultSql', () => {
  it('wraps a default that holds an operator a column DEFAULT clause does not take', () => {
    expect(columnDefaultSql(`now() AT TIME ZONE 'utc'::text`)).toBe(`(now() AT TIME ZONE 'utc'::text)`);
    expect(columnDefaultSql('true AND false')).toBe('(true AND false)');
    expect(columnDefaultSql(`'b'::text COLLATE "C"`)).toBe(`('b'::text COLLATE "C")`);
    expect(columnDefaultSql('NULL::integer IS NULL')).toBe('(NULL::integer IS NULL)');
    expect(columnDefaultSql('1 = ANY (ARRAY[1, 2])')).toBe('(1 = ANY (ARRAY[1, 2]))');
  });

  it('leaves alone what the clause takes, one already wrapped, and keywords inside strings or quoted names', () => {
    expect(columnDefaultSql('now()')).toBe('now()');
    expect(columnDefaultSql(`'{}'::jsonb`)).toBe(`'{}'::jsonb`);
    expect(columnDefaultSql(`-1`)).toBe('-1');
    expect(columnDefaultSql(`(now() AT TIME ZONE 'utc'::text)`)).toBe(`(now() AT TIME ZONE 'utc'::text)`);
    expect(columnDefaultSql(`'is not at and or'::text`)).toBe(`'is not at and or'::text`);
    expect(columnDefaultSql(`nextval('"at"'::regclass)`)).toBe(`nextval('"at"'::regclass)`);
    expect(columnDefaultSql(`(1) + (2 AND 3)`)).toBe(`((1) + (2 AND 3))`);
  });
});
