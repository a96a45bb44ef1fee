import { describe, expect, it } from 'vitest';
import { concurrentIndexTarget } from './concurrent-index.js';
import { migrationLockKey } from './lock-key.js';
import { backoffDelayMs, BACKOFF_CAP_MS } from './lock-retry-policy.js';
import { scanSql } from './sql-splitter.js';
import { splitParts } from './split-parts.js';
import { runsWithoutLockTimeout } from './statement-rules.js';
import { DEFAULT_LOCK_KEY } from '@strata/db';

const parts = (text: string, legacy = false) => {
  const { statements, markers } = scanSql(text);
  return splitParts(statements, markers, legacy).map((p) => ({ index: p.index, noTransaction: p.noTransaction, line: p.line, sql: p.statements.map((s) => [s.index, s.line, s.sql]) }));
};

describe('migration parts', () => {
  it('a file without markers is one part, in a transaction (or outside one with the legacy header)', () => {
    expect(parts('create table a (id int);\n--> statement-breakpoint\ncreate table b (id int);')).toEqual([
      { index: 1, noTransaction: false, line: 1, sql: [[1, 1, 'create table a (id int)'], [2, 3, 'create table b (id int)']] },
    ]);
    expect(parts('-- strata:no-transaction\ncreate index concurrently i on a (id);', true)).toEqual([
      { index: 1, noTransaction: true, line: 1, sql: [[1, 2, 'create index concurrently i on a (id)']] },
    ]);
    expect(parts('-- nothing to do\n')).toEqual([{ index: 1, noTransaction: false, line: 1, sql: [] }]);
  });

  it('splits at marker lines; statements keep their file-wide number and line; an empty text before the first marker is no part', () => {
    const text = [
      '--> strata:part no-transaction',
      'create index concurrently i on a (id);',
      '--> strata:part',
      'alter table a add constraint c check (id > 0) not valid;',
      '--> statement-breakpoint',
      'alter table a validate constraint c',
      '--> strata:part no-transaction  ',
      'drop index concurrently j;',
    ].join('\n');
    expect(parts(text)).toEqual([
      { index: 1, noTransaction: true, line: 1, sql: [[1, 2, 'create index concurrently i on a (id)']] },
      { index: 2, noTransaction: false, line: 3, sql: [[2, 4, 'alter table a add constraint c check (id > 0) not valid'], [3, 6, 'alter table a validate constraint c']] },
      { index: 3, noTransaction: true, line: 7, sql: [[4, 8, 'drop index concurrently j']] },
    ]);
    // The legacy header makes the first part run outside a transaction; markers decide the rest.
    expect(parts('-- strata:no-transaction\nalter type m add value \'x\';\n--> strata:part\ninsert into t values (\'x\');', true).map((p) => p.noTransaction)).toEqual([true, false]);
  });

  it('a marker is a marker only as a whole line outside strings, dollar quotes and statements in parentheses', () => {
    const text = "create function f() returns int language sql as $$\n--> strata:part\nselect 1 $$;\nselect '\n--> strata:part no-transaction\n';\nselect 1; --> strata:part\n";
    const p = parts(text);
    expect(p).toHaveLength(1);
    expect(p[0]!.sql.map((s) => s[0])).toEqual([1, 2, 3]);
  });
});

describe('lock-safe helpers', () => {
  it('reads the index and table of a CREATE INDEX CONCURRENTLY, as PostgreSQL would name them', () => {
    expect(concurrentIndexTarget('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Users_Email" ON "auth"."users" USING btree (email)'))
      .toEqual({ name: 'Users_Email', table: '"auth"."users"' });
    expect(concurrentIndexTarget('create index concurrently Big_Idx on only public . t (a)')).toEqual({ name: 'big_idx', table: 'public.t' });
    expect(concurrentIndexTarget('create index concurrently on t (a)')).toEqual({ name: null, table: 't' });
    expect(concurrentIndexTarget(`create index concurrently "${'x'.repeat(70)}" on t (a)`)!.name).toBe('x'.repeat(63));
    expect(concurrentIndexTarget('create index i on t (a)')).toBeNull();
  });

  it('runs CONCURRENTLY and VALIDATE CONSTRAINT without lock_timeout, and nothing else', () => {
    expect(['CREATE INDEX CONCURRENTLY i ON t (a)', 'drop index concurrently i', 'ALTER TABLE "t"\n  VALIDATE CONSTRAINT "c"', 'reindex index concurrently i'].map(runsWithoutLockTimeout)).toEqual([true, true, true, true]);
    expect(['ALTER TABLE t ADD COLUMN a int', 'CREATE INDEX i ON t (a)', "select 'validate constraint'"].map(runsWithoutLockTimeout)).toEqual([false, false, false]);
  });

  it('backs off exponentially with jitter, capped', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(50);
    expect(backoffDelayMs(1, () => 1)).toBe(100);
    expect(backoffDelayMs(3, () => 1)).toBe(400);
    expect(backoffDelayMs(30, () => 1)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelayMs(30, () => 0)).toBe(BACKOFF_CAP_MS / 2);
  });

  it('keys the migration lock per history table; the default table keeps the key older Stratas use', () => {
    expect(migrationLockKey({ schema: 'strata', table: 'migrations' })).toBe(DEFAULT_LOCK_KEY);
    const a = migrationLockKey({ schema: 'tenant_1', table: 'migrations' });
    const b = migrationLockKey({ schema: 'tenant_2', table: 'migrations' });
    expect(a).not.toBe(b);
    expect(migrationLockKey({ schema: 'tenant_1', table: 'migrations' })).toBe(a);
    for (const k of [a, b]) expect(k > 0n && k < 2n ** 62n).toBe(true);
  });
});
