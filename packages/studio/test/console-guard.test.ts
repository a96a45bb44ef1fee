import { describe, expect, it } from 'vitest';
import { loadSqlParser } from '@strata/sql';
import { guardStatement } from '@strata/studio';

const parser = await loadSqlParser();
const guard = (sql: string, embedded = true) => guardStatement(parser.parse(sql)[0]!.node, { embedded });

describe('guardStatement (the read-only console, before anything runs)', () => {
  it('passes queries, and lists the functions they call for the catalog check', () => {
    expect(guard('select 42')).toEqual({ kind: 'SelectStmt', functions: [], planOnly: false });
    expect(guard(`select lower(name), count(*) from users group by 1`).functions).toEqual(['lower', 'count']);
    expect(guard('values (1), (2)').kind).toBe('SelectStmt');
    expect(guard('table users').kind).toBe('SelectStmt');
    expect(guard('show search_path')).toMatchObject({ kind: 'VariableShowStmt', planOnly: true });
    expect(guard('explain select 1')).toMatchObject({ kind: 'ExplainStmt', planOnly: true });
    expect(guard('explain (analyze false) select 1').planOnly).toBe(true);
    // Data changes reach PostgreSQL only for the READ ONLY transaction to refuse them.
    expect(guard(`insert into t values (1)`).kind).toBe('InsertStmt');
  });

  it('refuses every statement kind but queries, on both backends', () => {
    for (const sql of [
      `copy (select 1) to program 'id'`, `copy t to '/tmp/f'`, 'do $$ begin end $$', 'call p()', 'set role postgres',
      `set search_path = x`, 'reset all', 'prepare p as select 1', 'execute p', 'declare c cursor for select 1', 'fetch c',
      `load 'plpgsql'`, 'vacuum', 'checkpoint', 'create table x (a int)', 'drop table users', 'grant select on t to public',
      'listen x', 'begin', 'commit', 'lock table t', 'discard all', 'alter system set work_mem = 1',
    ]) {
      expect(() => guard(sql, false), sql).toThrow(/the read-only console refuses/);
      expect(() => guard(sql, true), sql).toThrow(/the read-only console refuses/);
    }
  });

  it('refuses statements nested in a query', () => {
    expect(() => guard('explain create table x as select 1')).toThrow(/the read-only console refuses a CreateTableAs statement inside a query/);
    expect(() => guard('with d as (delete from t returning *) select * from d')).not.toThrow();
  });

  it('on the embedded database, walks the whole tree for the ways out of a query', () => {
    for (const sql of [
      `select pg_read_file('/etc/hostname')`,
      `select pg_catalog.pg_read_binary_file('/etc/hostname')`,
      `select "LO_IMPORT"('/etc/hostname')`,
      `select lo_get(lo_import('/etc/hostname'))`,
      `select * from pg_ls_dir('.')`,
      `select 1 where exists (select 1 from (select pg_stat_file('.')) s)`,
      `with x as (select set_config('role', 'postgres', false)) select * from x`,
      `select upper((select set_config('role', 'postgres', false)))`,
      `select query_to_xml('select 1', true, true, '')`,
      `select * from ts_stat('select to_tsvector(''a'')')`,
      `select dblink_exec('dbname=x', 'drop table t')`,
      `select pg_sleep(10)`,
      `select pg_advisory_lock(1)`,
      `select pg_terminate_backend(1)`,
      `select * into t2 from t`,
      `with recursive r(n) as (select 1 union all select n + 1 from r) select * from r`,
      `explain analyze select 1`,
      `explain (analyze) select 1`,
      `explain (analyze on, format json) select 1`,
    ]) {
      expect(() => guard(sql), sql).toThrow(/the read-only console refuses/);
    }
  });

  it('on a server, leaves functions to the login role (which PostgreSQL checks)', () => {
    expect(guard(`select pg_read_file('/etc/hostname')`, false).kind).toBe('SelectStmt');
    expect(guard(`select set_config('role', 'postgres', false)`, false).kind).toBe('SelectStmt');
  });
});
