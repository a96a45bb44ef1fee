import { describe, expect, it } from 'vitest';
import { isWriteStatement } from './data-tx.js';
import { toParameterized } from './sql-template.js';

describe('isWriteStatement', () => {
  it('counts update, insert, delete and merge, after comments and parentheses', () => {
    expect(isWriteStatement('update users set a = 1')).toBe(true);
    expect(isWriteStatement('  -- note\n/* x */ DELETE from t')).toBe(true);
    expect(isWriteStatement('(insert into t values (1))')).toBe(true);
    expect(isWriteStatement('merge into t using s on true when matched then do nothing')).toBe(true);
    expect(isWriteStatement('with x as (update t set a = 1 returning *) select count(*) from x')).toBe(true);
  });
  it('does not count reads', () => {
    expect(isWriteStatement('select * from updates')).toBe(false);
    expect(isWriteStatement('with x as (select 1) select * from x')).toBe(false);
    expect(isWriteStatement('-- update\nselect 1')).toBe(false);
  });
});

describe('toParameterized', () => {
  it('turns every interpolated value into a parameter', () => {
    const name = "x'); drop table users; --";
    const q = ((s: TemplateStringsArray, ...v: unknown[]) => toParameterized(s, ...v))`update users set name = ${name} where id = any(${[1, 2]})`;
    expect(q).toEqual({ text: 'update users set name = $1 where id = any($2)', params: [name, [1, 2]] });
  });
});
