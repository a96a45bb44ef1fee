import { describe, expect, it } from 'vitest';
import type { Column } from '@strata/schema';
import { castSql, isSafeWidening, rewritesTable } from './column-type.js';

const c = (type: string, extra: Partial<Column> = {}): Column => ({ name: 'x', type, dimensions: 0, notNull: false, ...extra });

describe('column types', () => {
  it.each([
    ['integer', 'bigint', true], ['bigint', 'integer', false], ['smallint', 'numeric', true], ['integer', 'numeric(5,0)', false],
    ['character varying(10)', 'character varying(20)', true], ['character varying(20)', 'character varying(10)', false],
    ['character varying(10)', 'text', true], ['text', 'character varying(10)', false], ['text', 'character varying', true],
    ['numeric(5,2)', 'numeric(7,2)', true], ['numeric(5,2)', 'numeric(5,3)', false], ['numeric(5,2)', 'numeric', true],
    ['json', 'jsonb', true], ['jsonb', 'json', false], ['timestamp(3) with time zone', 'timestamp(6) with time zone', true],
    ['serial', 'bigint', true], ['boolean', 'integer', false], ['date', 'text', true],
    // intervals: fields cut off only what is finer than the last one (issue 15, defect 3)
    ['interval day to second', 'interval', true], ['interval day to second(3)', 'interval', true],
    ['interval day to second(3)', 'interval(2)', false], ['interval(2)', 'interval day to second(3)', true],
    ['interval', 'interval day to second', true], ['interval', 'interval hour to minute', false],
    ['interval year', 'interval year to month', true], ['interval year to month', 'interval year', false],
    ['interval hour to minute', 'interval day to second', true], ['interval', 'interval day', false],
  ])('%s → %s is a safe widening: %s', (from, to, safe) => {
    expect(isSafeWidening(c(from), c(to))).toBe(safe);
  });

  it('knows the binary-coercible changes that do not rewrite the table', () => {
    expect(rewritesTable(c('character varying(10)'), c('character varying(20)'))).toBe(false);
    expect(rewritesTable(c('character varying(10)'), c('text'))).toBe(false);
    expect(rewritesTable(c('integer'), c('bigint'))).toBe(true);
    expect(rewritesTable(c('numeric(5,2)'), c('numeric(5,3)'))).toBe(true);
    // PostgreSQL's interval_support (issue 15, defect 3)
    expect(rewritesTable(c('interval day to second'), c('interval'))).toBe(false);
    expect(rewritesTable(c('interval hour to minute'), c('interval day to second(3)'))).toBe(false);
    expect(rewritesTable(c('interval'), c('interval hour to minute'))).toBe(true);
    expect(rewritesTable(c('interval day to second(3)'), c('interval(2)'))).toBe(true);
  });

  it('casts directly where PostgreSQL can, through text otherwise', () => {
    expect(castSql('"x"', c('integer'), c('bigint'))).toBe('"x"::bigint');
    expect(castSql('"x"', c('text'), c('mood', { typeSchema: 's' }))).toBe('"x"::"s"."mood"');
    expect(castSql('"x"', c('mood', { typeSchema: 's' }), c('integer'))).toBe('"x"::text::integer');
    expect(castSql('"x"', c('date'), c('numeric'))).toBe('"x"::text::numeric');
    expect(castSql('"x"', c('interval day to second'), c('interval'))).toBe('"x"::interval');
    expect(castSql('"x"', c('mood', { typeSchema: 's', dimensions: 1 }), c('mood', { typeSchema: 's', dimensions: 1 }), { viaText: true }))
      .toBe('"x"::text[]::"s"."mood"[]');
    expect(castSql('"x"', c('integer', { dimensions: 1 }), c('integer'))).toBe('"x"::text::integer');
  });
});
