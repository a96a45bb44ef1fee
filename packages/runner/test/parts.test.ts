import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { migrate, MigrationFailedError, readHistory, rollback, status, type RunnerEvent } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

const valid = async (db: DatabaseClient, schema: string, index: string) =>
  (await db.query<{ valid: boolean }>(
    `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where c.relname = $1 and n.nspname = $2`,
    [index, schema],
  )).rows.map((r) => r.valid);

describeBackends('migrations in parts', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('applies a migration in parts as one migration: one history row, each part in its own transaction or none', async () => {
    const fx = fixture(db);
    const init = fx.add('init', 'create schema ${s};\ncreate table ${s}.t (id int, email text);\ninsert into ${s}.t values (1, \'a\'), (2, \'b\');');
    const up = [
      'alter table ${s}.t add constraint t_id_pos check (id > 0) not valid;',
      '--> strata:part',
      'alter table ${s}.t validate constraint t_id_pos;',
      '--> strata:part no-transaction',
      'create unique index concurrently t_email_key on ${s}.t (email);',
      '--> strata:part',
      'alter table ${s}.t add constraint t_email_key unique using index t_email_key;',
    ].join('\n');
    const down = '--> strata:part\nalter table ${s}.t drop constraint t_email_key;\n--> strata:part\nalter table ${s}.t drop constraint t_id_pos;';
    const safe = fx.add('lock_safe', up, down);
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.applied.map((m) => [m.name, m.parts, m.fromPart, m.statements])).toEqual([[init, 1, 1, 3], [safe, 4, 1, 4]]);
    expect(r.planned[1]!.parts.map((p) => [p.index, p.noTransaction])).toEqual([[1, false], [2, false], [3, true], [4, false]]);
    expect(fx.events.filter((e) => e.type === 'part-done').map((e) => (e as Extract<RunnerEvent, { type: 'part-done' }>).part)).toEqual([1, 2, 3, 4]);
    const rows = await readHistory(db, fx.history);
    expect(rows!.map((x) => [x.name, x.state, x.partsDone, x.partsTotal])).toEqual([[init, 'applied', 1, 1], [safe, 'applied', 4, 4]]);
    const cons = await db.query<{ conname: string; convalidated: boolean }>(
      `select conname, convalidated from pg_constraint where conrelid = $1::regclass order by 1`, [`"${fx.schema}".t`]);
    expect(cons.rows).toEqual([{ conname: 't_email_key', convalidated: true }, { conname: 't_id_pos', convalidated: true }]);
    expect((await status(db, fx.folder(), fx.opts())).migrations[1]).toMatchObject({ name: safe, state: 'applied', parts: { done: 4, total: 4 } });

    // Rollback reverts the whole migration with its down file, also in parts.
    expect((await rollback(db, fx.folder(), fx.opts())).reverted.map((x) => x.name)).toEqual([safe]);
    expect((await db.query(`select conname from pg_constraint where conrelid = $1::regclass`, [`"${fx.schema}".t`])).rows).toEqual([]);
    expect((await readHistory(db, fx.history))!.map((x) => x.name)).toEqual([init]);
  });

  it('a failing part leaves that part as before it, names migration, part, statement and line; the next migrate resumes there', async () => {
    const fx = fixture(db);
    fx.add('init', 'create schema ${s};\ncreate table ${s}.t (id int);\ninsert into ${s}.t values (1), (1);');
    // Part 1 is not safe to run twice (a plain insert): resuming must not run it again.
    const m = fx.add('unique_id', [
      'insert into ${s}.t values (2);',
      '--> strata:part',
      'create table ${s}.marker (id int);',
      '--> statement-breakpoint',
      'alter table ${s}.t add constraint t_id_key unique (id);',
      '--> strata:part',
      'create table ${s}.after_it (id int);',
    ].join('\n'));
    const e = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect([e.migration, e.part, e.parts, e.statement, e.line]).toEqual([m, 2, 3, 3, 5]);
    expect(e.message).toContain(`${m}.sql:5 (part 2 of 3, statement 3): could not create unique index "t_id_key"`);
    expect(e.hint).toContain('Part 2 was rolled back and not recorded');
    expect(e.hint).toContain('Parts 1–1 of it are applied and recorded; the next `strata migrate` resumes at part 2');
    // Part 2 left nothing (its first statement was rolled back with it); part 1 stays.
    expect(await fx.tables()).toEqual(['t']);
    expect((await db.query(`select id from "${fx.schema}".t order by id`)).rows).toEqual([{ id: 1 }, { id: 1 }, { id: 2 }]);
    const st = await status(db, fx.folder(), fx.opts());
    expect(st.migrations[1]).toMatchObject({ name: m, state: 'partial', parts: { done: 1, total: 3 } });
    expect(st.partial).toEqual([m]);
    expect(st.ok).toBe(false);
    // A partly applied migration cannot be rolled back (its down file reverts the whole of it).
    const rb = await rejection(rollback(db, fx.folder(), fx.opts()));
    expect(rb.code).toBe('REFUSED');
    expect(rb.message).toContain(`cannot roll back ${m}: it is partly applied (parts 1–1 of 3)`);

    await db.exec(`delete from "${fx.schema}".t where ctid = (select max(ctid) from "${fx.schema}".t where id = 1)`);
    fx.events.length = 0;
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.applied.map((x) => [x.name, x.fromPart])).toEqual([[m, 2]]);
    expect(fx.events.find((x) => x.type === 'migration-started')).toMatchObject({ name: m, fromPart: 2, parts: 3 });
    expect((await db.query(`select id from "${fx.schema}".t order by id`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await fx.tables()).toEqual(['after_it', 'marker', 't']);
    expect((await readHistory(db, fx.history))!.find((x) => x.name === m)).toMatchObject({ state: 'applied', partsDone: 3, partsTotal: 3 });
  });

  it('after a failed no-transaction part, says what was committed and names the INVALID index with the SQL to drop it; the retry drops it first', async () => {
    const fx = fixture(db);
    fx.add('init', 'create schema ${s};\ncreate table ${s}.t (id int, email text);\ninsert into ${s}.t values (1, \'a\'), (2, \'a\');');
    const m = fx.add('email_key', [
      'alter table ${s}.t add column note text;',
      '--> strata:part no-transaction',
      'create table if not exists ${s}.side (id int);',
      'create unique index concurrently if not exists t_email_key on ${s}.t (email);',
      'create index concurrently if not exists t_id_idx on ${s}.t (id);',
    ].join('\n'));
    const e = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect([e.part, e.statement, e.line]).toEqual([2, 3, 4]);
    expect(e.committed).toEqual([2]);
    expect(e.invalidIndexes).toEqual([{ index: `"${fx.schema}"."t_email_key"`, dropSql: `DROP INDEX CONCURRENTLY IF EXISTS "${fx.schema}"."t_email_key"` }]);
    expect(e.details).toContain(`left behind: the INVALID index "${fx.schema}"."t_email_key"; drop it with: DROP INDEX CONCURRENTLY IF EXISTS "${fx.schema}"."t_email_key";`);
    expect(e.details.some((d) => d.startsWith('committed before the failure: statement 2 (line 3): create table if not exists'))).toBe(true);
    expect(e.hint).toContain('Part 2 runs outside a transaction: its statements 2–2 were committed and stay');
    expect(await valid(db, fx.schema, 't_email_key')).toEqual([false]);
    expect((await status(db, fx.folder(), fx.opts())).migrations[1]).toMatchObject({ name: m, state: 'partial', parts: { done: 1, total: 2 } });

    await db.exec(`update "${fx.schema}".t set email = 'b' where id = 2`);
    fx.events.length = 0;
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.applied.map((x) => [x.name, x.fromPart])).toEqual([[m, 2]]);
    expect(fx.events).toContainEqual(expect.objectContaining({ type: 'invalid-index-dropped', name: m, part: 2, statement: 3, index: `"${fx.schema}"."t_email_key"` }));
    expect(await valid(db, fx.schema, 't_email_key')).toEqual([true]);
    expect(await valid(db, fx.schema, 't_id_idx')).toEqual([true]);
  });

  it('a failing down part leaves the migration partly reverted: status says so, migrate refuses, rollback resumes', async () => {
    const fx = fixture(db);
    fx.add('init', 'create schema ${s};');
    const m = fx.add('two_tables', 'create table ${s}.a (id int);\ncreate table ${s}.b (id int);',
      'drop table ${s}.b;\n--> strata:part\ndrop table ${s}.a;\ndrop table ${s}.guard;');
    await migrate(db, fx.folder(), fx.opts());
    const e = (await rejection(rollback(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect([e.part, e.parts, e.statement]).toEqual([2, 2, 3]);
    expect(e.hint).toContain('Down parts 1–1 are reverted and recorded; the next `strata rollback` resumes at part 2');
    expect(await fx.tables()).toEqual(['a']);
    const st = await status(db, fx.folder(), fx.opts());
    expect(st.migrations[1]).toMatchObject({ name: m, state: 'reverting', parts: { done: 1, total: 2 } });
    const refused = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(refused.code).toBe('REFUSED');
    expect(refused.message).toContain(`${m} is partly rolled back (down parts 1–1 of 2 done)`);

    await db.exec(`create table "${fx.schema}".guard (id int)`);
    const r = await rollback(db, fx.folder(), fx.opts());
    expect(r.reverted.map((x) => x.name)).toEqual([m]);
    expect(r.planned[0]).toMatchObject({ fromPart: 2, partsTotal: 2 });
    expect(await fx.tables()).toEqual([]);
    expect((await readHistory(db, fx.history))!.map((x) => x.name)).toEqual([fx.folder().migrations[0]!.name]);
  });

  it('old folders keep working: sibling _1/_2 migrations and the -- strata:no-transaction header', async () => {
    const fx = fixture(db);
    const a = fx.add('add_email_1', 'create schema ${s};\ncreate table ${s}.t (id int);', 'drop schema ${s} cascade;');
    const b = fx.add('add_email_2', '-- strata:no-transaction\ncreate index concurrently t_id_idx on ${s}.t (id);', '-- strata:no-transaction\ndrop index concurrently ${s}.t_id_idx;');
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.applied.map((x) => [x.name, x.parts])).toEqual([[a, 1], [b, 1]]);
    expect(r.planned[1]).toMatchObject({ noTransaction: true });
    expect(await valid(db, fx.schema, 't_id_idx')).toEqual([true]);
    expect((await rollback(db, fx.folder(), fx.opts({ steps: 2 }))).reverted.map((x) => x.name)).toEqual([b, a]);
  });
});
