import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSqlParser, type SqlParser } from '@strata/sql';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { keyOf } from './ast.js';
import { LARGE_TABLE_ROWS, lintMigrations, parseMigration, readDatabaseFacts } from './index.js';

let parser: SqlParser;
beforeAll(async () => { parser = await loadSqlParser(); });

describeBackends('lint graded by the database', (backend) => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(`
      create table big (id bigint primary key, email text, code varchar(10), nick text);
      insert into big select g, 'u' || g, 'c', null from generate_series(1, ${LARGE_TABLE_ROWS + 500}) g;
      analyze big;
      create table small (id bigint primary key, email text);
      insert into small values (1, 'a'), (2, 'b'), (3, 'c');
      create table empty (id bigint primary key, email text);
      create index big_email on big (email);
      alter table big add constraint big_email_nn check (email is not null);
      create function my_stable() returns int language sql stable as 'select 1';
    `);
  });
  afterAll(async () => tdb?.dispose());

  const lintWithDb = async (sql: string) => {
    const parsed = [parseMigration(parser, { file: 'm.sql', sql })];
    const facts = await readDatabaseFacts(await tdb.client(), parsed);
    return { facts, report: lintMigrations(parsed, { facts }) };
  };

  it('reads sizes (reltuples, or a bounded count before the first ANALYZE), columns, checks, index tables, volatility', async () => {
    const { facts } = await lintWithDb(`create index i on big (email); create index j on small (email); create index k on empty (email);
      drop index big_email; alter table big add column t int default my_stable() + random()::int;`);
    expect(facts.tables.get(keyOf({ schema: 'public', name: 'big' }))!.rows).toBeGreaterThanOrEqual(LARGE_TABLE_ROWS);
    expect(facts.tables.get(keyOf({ schema: 'public', name: 'small' }))!.rows).toBe(3);
    expect(facts.tables.get(keyOf({ schema: 'public', name: 'empty' }))!.rows).toBe(0);
    const big = facts.tables.get(keyOf({ schema: 'public', name: 'big' }))!;
    expect(big.columns.get('code')).toEqual({ type: { name: 'varchar', mods: [10], array: false }, notNull: false });
    expect(big.columns.get('id')!.notNull).toBe(true);
    expect([...big.notNullChecked]).toEqual(['email']);
    expect(facts.indexes.get(keyOf({ schema: 'public', name: 'big_email' }))).toEqual({ table: { schema: 'public', name: 'big' }, columns: ['email'] });
    expect(facts.functions.get('my_stable')).toBe('s');
    expect(facts.functions.get('random')).toBe('v');
  });

  it('grades a blocking change by rows: error on a large table, warning on a small one, note on an empty one', async () => {
    const { report } = await lintWithDb('create index i on big (nick);\ncreate index j on small (email);\ncreate index k on empty (email);\ncreate index l on nowhere (x);');
    const graded = report.findings.filter((f) => f.rule === 'require-concurrent-index').map((f) => [f.table!.name, f.severity, f.table!.basis]);
    expect(graded).toEqual([['big', 'error', 'database'], ['small', 'warning', 'database'], ['empty', 'info', 'database'], ['nowhere', 'warning', 'missing']]);
    expect(report.findings[0]!.message).toMatch(/\(big: about 10,\d{3} rows\)$/);
    expect(report.ok).toBe(false);
  });

  it('uses the catalog: a validated NOT NULL check, an index\'s table, a column\'s real type, a stable function', async () => {
    const { report } = await lintWithDb([
      'alter table big alter column email set not null;', // the validated check makes it scan-free
      'alter table big alter column nick set not null;',
      'drop index big_email;',
      'alter table big alter column code type varchar(20);', // varchar(10) → varchar(20): no rewrite
      'alter table big alter column id type int;',
      'alter table big add column s int default my_stable();',
    ].join('\n'));
    const rules = report.findings.filter((f) => f.severity === 'error').map((f) => [f.rule, f.line]);
    expect(rules).toEqual([['set-not-null', 2], ['require-concurrent-index-drop', 3], ['column-type-rewrite', 5]]);
  });
});
