import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStrataError } from '@strata/core';
import { readSqlFile } from './migration-folder.js';
import { assertRunnable, statementNeed } from './statement-rules.js';

describe('statementNeed', () => {
  it('classifies by leading keywords, case and whitespace aside', () => {
    expect(statementNeed('CREATE  UNIQUE\n INDEX CONCURRENTLY i ON t (c)')).toBe('no-transaction-block');
    expect(statementNeed('drop index concurrently if exists i')).toBe('no-transaction-block');
    expect(statementNeed('REINDEX INDEX CONCURRENTLY i')).toBe('no-transaction-block');
    expect(statementNeed('vacuum analyze t')).toBe('no-transaction-block');
    expect(statementNeed('ALTER TABLE p DETACH PARTITION c CONCURRENTLY')).toBe('no-transaction-block');
    expect(statementNeed('begin')).toBe('transaction-control');
    expect(statementNeed('START TRANSACTION ISOLATION LEVEL SERIALIZABLE')).toBe('transaction-control');
    expect(statementNeed('commit')).toBe('transaction-control');
    expect(statementNeed('rollback to savepoint a')).toBe('transaction-block');
    expect(statementNeed('LOCK TABLE t IN EXCLUSIVE MODE')).toBe('transaction-block');
    expect(statementNeed("set local statement_timeout = '1s'")).toBe('transaction-block');
    expect(statementNeed('declare c cursor for select 1')).toBe('transaction-block');
    expect(statementNeed('declare c cursor with hold for select 1')).toBe('any');
    expect(statementNeed("set statement_timeout = '1s'")).toBe('any');
    expect(statementNeed('create index i on t (c)')).toBe('any');
    expect(statementNeed("alter type mood add value 'x'")).toBe('any');
    expect(statementNeed('create table "concurrently" (id int)')).toBe('any');
  });
});

describe('assertRunnable and the no-transaction directive', () => {
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'strata-rules-'));
    writeFileSync(join(dir, 'f.sql'), text);
    return readSqlFile(dir, 'f.sql');
  };

  it('honours the directive only on the first line', () => {
    expect(file('-- strata:no-transaction\ncreate index concurrently i on t (c);').noTransaction).toBe(true);
    expect(file('-- strata:no-transaction  \r\nselect 1;').noTransaction).toBe(true);
    expect(file('select 1;\n-- strata:no-transaction\n').noTransaction).toBe(false);
    expect(file('\n-- strata:no-transaction\n').noTransaction).toBe(false);
  });

  it('lets each kind of file run what it can, and names every offending statement otherwise', () => {
    expect(() => assertRunnable(file('-- strata:no-transaction\ncreate index concurrently i on t (c);\nvacuum t;'), 'm')).not.toThrow();
    expect(() => assertRunnable(file('lock table t;\nset local x.y = 1;\ncreate index i on t (c);'), 'm')).not.toThrow();
    let err: unknown;
    try {
      assertRunnable(file('select 1;\nvacuum t;\ncreate index concurrently i on t (c);'), 'm');
    } catch (e) {
      err = e;
    }
    expect(isStrataError(err) && err.code).toBe('REFUSED');
    expect((err as Error).message).toBe('m: f.sql line 2, statement 2 cannot run inside a transaction block; nothing was applied');
    expect((err as { details: string[] }).details).toEqual(['f.sql:2: statement 2: vacuum t', 'f.sql:3: statement 3: create index concurrently i on t (c)']);
  });
});
