import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { baseline, migrate, MigrationFailedError, rehash, replayMigrations, rollback, status } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

describeBackends('rollback and baseline', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('rolls back one step by default, then --steps n, newest first, removing history rows', async () => {
    const fx = fixture(db);
    const a = fx.add('a', 'create schema ${s};', 'drop schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);', 'drop table ${s}.b;');
    const c = fx.add('c', 'create table ${s}.c (id int);', 'drop table ${s}.c;');
    await migrate(db, fx.folder(), fx.opts());
    const one = await rollback(db, fx.folder(), fx.opts());
    expect(one.reverted.map((r) => r.name)).toEqual([c]);
    expect(await fx.tables()).toEqual(['b']);
    expect((await fx.applied()).map((r) => r.name)).toEqual([a, b]);
    const two = await rollback(db, fx.folder(), fx.opts({ steps: 2 }));
    expect(two.reverted.map((r) => r.name)).toEqual([b, a]);
    expect(await fx.applied()).toEqual([]);
    expect((await db.query('select 1 from pg_namespace where nspname = $1', [fx.schema])).rows).toEqual([]);
    expect((await status(db, fx.folder(), fx.opts())).pending).toEqual([a, b, c]);
    // And forward again: the downs really undid the ups.
    expect((await migrate(db, fx.folder(), fx.opts())).applied).toHaveLength(3);
  });

  it('rolls back to a named migration, and a dry run prints the down SQL and changes nothing', async () => {
    const fx = fixture(db);
    const a = fx.add('a', 'create schema ${s};', 'drop schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);', 'drop table ${s}.b;');
    const c = fx.add('c', 'create table ${s}.c (id int);', '-- undo c\ndrop table ${s}.c;');
    await migrate(db, fx.folder(), fx.opts());
    const dry = await rollback(db, fx.folder(), fx.opts({ to: a, dryRun: true }));
    expect(dry.planned.map((p) => [p.name, p.file, p.statements.map((s) => [s.line, s.sql])])).toEqual([
      [c, `${c}.down.sql`, [[2, `drop table "${fx.schema}".c`]]], [b, `${b}.down.sql`, [[1, `drop table "${fx.schema}".b`]]],
    ]);
    expect(await fx.tables()).toEqual(['b', 'c']);
    const r = await rollback(db, fx.folder(), fx.opts({ to: a }));
    expect(r.reverted.map((x) => x.name)).toEqual([c, b]);
    expect((await fx.applied()).map((x) => x.name)).toEqual([a]);
    expect((await rejection(rollback(db, fx.folder(), fx.opts({ to: c })))).code).toBe('NOT_FOUND');
    expect((await rejection(rollback(db, fx.folder(), fx.opts({ to: a, steps: 1 })))).code).toBe('USAGE');
  });

  it('stops, before reverting anything, at a migration without a down file', async () => {
    const fx = fixture(db);
    fx.add('a', 'create schema ${s};', 'drop schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);');
    const c = fx.add('c', 'create table ${s}.c (id int);', 'drop table ${s}.c;');
    await migrate(db, fx.folder(), fx.opts());
    const e = await rejection(rollback(db, fx.folder(), fx.opts({ steps: 2 })));
    expect(e.code).toBe('NO_DOWN_MIGRATION');
    expect(e.message).toBe(`cannot roll back ${b}: it has no down file ${b}.down.sql; nothing was rolled back`);
    expect(e.details).toEqual([`the newer migrations ${c} were not rolled back either`]);
    expect(await fx.tables()).toEqual(['b', 'c']);
    expect((await rollback(db, fx.folder(), fx.opts())).reverted.map((r) => r.name)).toEqual([c]);
  });

  it('a failing down file is rolled back and its migration stays applied', async () => {
    const fx = fixture(db);
    fx.add('a', 'create schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);', 'drop table ${s}.b;\n--> statement-breakpoint\ndrop table ${s}.not_there;');
    await migrate(db, fx.folder(), fx.opts());
    const e = (await rejection(rollback(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect(e).toBeInstanceOf(MigrationFailedError);
    expect([e.file, e.statement, e.line]).toEqual([`${b}.down.sql`, 2, 3]);
    expect(e.message).toContain(`rollback of ${b} failed`);
    expect(await fx.tables()).toEqual(['b']);
    expect((await fx.applied()).map((r) => r.name)).toContain(b);
  });

  it('baseline records migrations as applied without running them; migrate then applies only newer ones', async () => {
    const fx = fixture(db);
    // The database already has what the first two migrations build.
    await db.exec(`create schema "${fx.schema}"; create table "${fx.schema}".a (id int)`);
    const a = fx.add('a', 'create schema ${s};');
    const b = fx.add('b', 'create table ${s}.a (id int);');
    const c = fx.add('c', 'create table ${s}.c (id int);');
    const r = await baseline(db, fx.folder(), fx.opts({ to: b }));
    expect(r).toEqual({ recorded: [a, b], alreadyApplied: [] });
    const rows = await fx.applied();
    expect(rows.map((x) => [x.name, x.duration_ms])).toEqual([[a, null], [b, null]]);
    expect(rows[0]!.applied_by).toMatch(/^baseline by /);
    expect((await migrate(db, fx.folder(), fx.opts())).applied.map((m) => m.name)).toEqual([c]);
    expect((await baseline(db, fx.folder(), fx.opts())).recorded).toEqual([]);
  });

  it('replays a folder on a scratch database without a history table', async () => {
    const fx = fixture(db);
    fx.add('a', 'create schema ${s};');
    fx.add('b', '-- strata:no-transaction\ncreate table ${s}.r (id int);\ncreate index concurrently r_i on ${s}.r (id);');
    const done = await replayMigrations(db, fx.folder());
    expect(done).toHaveLength(2);
    expect(await fx.tables()).toEqual(['r']);
    const h = await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [`"${fx.history.schema}"."migrations"`]);
    expect(h.rows[0]!.t).toBeNull();
  });

  it('migrate refuses two branches on one parent; rollback still works, to resolve it', async () => {
    const fx = fixture(db);
    const base = fx.add('base', 'create schema ${s};', 'drop schema ${s};');
    const ours = fx.add('ours', 'create table ${s}.ours (id int);', 'drop table ${s}.ours;');
    await migrate(db, fx.folder(), fx.opts());
    // The other branch's migration, generated on top of `base` too, arrives with a merge.
    const theirs = `${ours.slice(0, 12)}59_theirs`;
    writeFileSync(join(fx.out, `${theirs}.sql`), `create table "${fx.schema}".theirs (id int);\n`);
    const meta = JSON.parse(readFileSync(join(fx.out, `meta/${ours}.json`), 'utf8'));
    writeFileSync(join(fx.out, `meta/${theirs}.json`), JSON.stringify({ ...meta, name: theirs, parent: base }));
    rehash(fx.out);
    const e = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e.code).toBe('BRANCH_CONFLICT');
    expect(e.message).toBe(`migrations from two branches share the parent ${base}: ${ours}, ${theirs}`);
    expect((await status(db, fx.folder(), fx.opts())).problems).toEqual([{ kind: 'branch-conflict', message: expect.stringContaining(`${ours} and ${theirs}`) }]);
    expect((await rollback(db, fx.folder(), fx.opts())).reverted.map((r) => r.name)).toEqual([ours]);
    expect(await fx.tables()).toEqual([]);
  });

  it('refuses to roll back a migration missing from the folder', async () => {
    const fx = fixture(db);
    fx.add('a', 'create schema ${s};', 'drop schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);', 'drop table ${s}.b;');
    await migrate(db, fx.folder(), fx.opts());
    for (const f of [`${b}.sql`, `${b}.down.sql`, `meta/${b}.json`]) rmSync(join(fx.out, f));
    rehash(fx.out);
    const e = await rejection(rollback(db, fx.folder(), fx.opts()));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toContain(`cannot roll back ${b}: it is applied but not in`);
  });
});
