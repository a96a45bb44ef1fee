import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseClient } from '@strata/db';
import { createTestDatabase, describeBackends, type TestDatabase } from '@strata/testing';
import { h1, migrate, migrationLockKey, MigrationFailedError, rehash, status } from '../src/index.js';
import { fixture, rejection } from './fixtures.js';

describeBackends('migrate', (backend) => {
  let tdb: TestDatabase;
  let db: DatabaseClient;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    db = await tdb.client();
  });
  afterAll(async () => tdb?.dispose());

  it('applies pending migrations in order, records each in the history table, and applies nothing twice', async () => {
    const fx = fixture(db);
    const a = fx.add('init', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.a (id int primary key);');
    const b = fx.add('second', 'create table ${s}.b (id int references ${s}.a);');
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.applied.map((m) => m.name)).toEqual([a, b]);
    expect(r.alreadyApplied).toBe(0);
    expect(await fx.tables()).toEqual(['a', 'b']);
    const rows = await fx.applied();
    expect(rows.map((x) => x.name)).toEqual([a, b]);
    expect(rows[0]!.checksum).toBe(h1(readFileSync(join(fx.out, `${a}.sql`))));
    expect(rows[0]!.duration_ms).toEqual(expect.any(Number));
    expect(rows[0]!.applied_by).toMatch(/^.+@.+ \(strata \d+\.\d+\.\d+\)$/);
    expect(fx.events.map((e) => e.type)).toEqual(expect.arrayContaining(['lock-acquired', 'history-created', 'migration-started', 'migration-applied']));

    const again = await migrate(db, fx.folder(), fx.opts());
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe(2);
    const c = fx.add('third', 'create table ${s}.c (id int);');
    expect((await migrate(db, fx.folder(), fx.opts())).applied.map((m) => m.name)).toEqual([c]);
    const st = await status(db, fx.folder(), fx.opts());
    expect(st.applied).toEqual([a, b, c]);
    expect(st.pending).toEqual([]);
    expect(st.migrations[0]).toMatchObject({ name: a, state: 'applied', appliedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/), durationMs: expect.any(Number) });
  });

  it('on a failing statement in the third of five migrations keeps the first two, rolls the third back and records nothing for it', async () => {
    const fx = fixture(db);
    const names = [
      fx.add('one', 'create schema ${s};\n--> statement-breakpoint\ncreate table ${s}.one (id int primary key);'),
      fx.add('two', 'create table ${s}.two (id int);'),
      fx.add('three', 'create table ${s}.three (id int primary key);\n--> statement-breakpoint\ninsert into ${s}.three values (1);\n--> statement-breakpoint\ninsert into ${s}.three\n  values (2), (1);'),
      fx.add('four', 'create table ${s}.four (id int);'),
      fx.add('five', 'create table ${s}.five (id int);'),
    ];
    const e = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e).toBeInstanceOf(MigrationFailedError);
    const err = e as MigrationFailedError;
    expect(err.code).toBe('MIGRATION_FAILED');
    expect(err.migration).toBe(names[2]);
    expect(err.file).toBe(`${names[2]}.sql`);
    expect(err.statement).toBe(3);
    expect(err.line).toBe(5);
    expect(err.message).toContain(`${names[2]}.sql:5 (statement 3)`);
    expect(err.message).toContain('duplicate key value violates unique constraint "three_pkey"');
    expect(err.details).toContain('detail: Key (id)=(1) already exists.');
    expect(err.details.join('\n')).toContain('statement 3 of 3 (starts at line 5)');
    expect(err.hint).toMatch(/rolled back and not recorded; the migrations before it stay applied/);
    expect(await fx.tables()).toEqual(['one', 'two']);
    expect((await fx.applied()).map((r) => r.name)).toEqual(names.slice(0, 2));
  });

  it('a guard that stops a migration says to fix what its hint names, not to edit the file', async () => {
    const fx = fixture(db);
    fx.add('guarded', "create schema ${s};\n--> statement-breakpoint\nDO $strata$\nBEGIN\n  RAISE EXCEPTION USING MESSAGE = 'strata: cannot change the values of type \"e\": a row holds ''x''', HINT = 'Update or delete the rows holding that value first.';\nEND\n$strata$;");
    const err = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect(err.pg?.code).toBe('P0001');
    expect(err.hint).toContain('rolled back and not recorded; one of its guards stopped it before anything changed');
    expect(err.hint).toContain('Do what the PostgreSQL hint above says');
    expect(err.hint).not.toContain('strata hash');
    expect(await fx.tables()).toEqual([]);
  });

  it("maps PostgreSQL's error position to the line and column in the file, with its hint", async () => {
    const fx = fixture(db);
    const a = fx.add('bad', '-- a comment line\ncreate schema ${s};\n\nselect 1,\n  2,\n    nope_col\nfrom (select 1 as x) t;');
    const err = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect(err.message).toContain(`${a}.sql:6 (statement 2): column "nope_col" does not exist`);
    expect([err.statement, err.line, err.column]).toEqual([2, 6, 5]);
    expect(err.pg?.code).toBe('42703');
    expect(err.details[0]).toBe(`at ${join(fx.out, `${a}.sql`)}:6:5`);
    const fx2 = fixture(db);
    fx2.add('hinted', 'select "Nope"();');
    const err2 = (await rejection(migrate(db, fx2.folder(), fx2.opts()))) as MigrationFailedError;
    expect(err2.details.join('\n')).toMatch(/PostgreSQL hint: No function matches/);
  });

  it('pins search_path and TimeZone for every migration, and sets lock_timeout and statement_timeout', async () => {
    const fx = fixture(db, { lockTimeoutMs: 1500, statementTimeoutMs: 7000 });
    const dbName = (await db.query<{ d: string }>('select current_database() as d')).rows[0]!.d;
    await db.exec(`SET TimeZone TO 'Asia/Tokyo'; SET search_path TO pg_catalog`);
    await db.exec(`ALTER DATABASE "${dbName}" SET TimeZone TO 'Asia/Tokyo'`);
    try {
      fx.add('settings', `create schema \${s};
--> statement-breakpoint
create table \${s}.settings as select current_setting('TimeZone') as tz, current_setting('search_path') as sp,
  current_setting('lock_timeout') as lt, current_setting('statement_timeout') as st;
--> statement-breakpoint
set search_path to \${s}`);
      const b = fx.add('unqualified', `create table pinned_${fx.schema} (at timestamptz);\n--> statement-breakpoint\ninsert into pinned_${fx.schema} values ('2026-01-01 00:00:00');`);
      await migrate(db, fx.folder(), fx.opts());
      const r = await db.query(`select * from "${fx.schema}".settings`);
      expect(r.rows).toEqual([{ tz: 'UTC', sp: 'public', lt: '1500ms', st: '7s' }]);
      // The first migration changed search_path; the next one ran with it pinned again.
      const t = await db.query<{ s: string; at: string }>(
        `select table_schema::text as s, (select to_char(at at time zone 'UTC', 'HH24:MI') from public."pinned_${fx.schema}") as at from information_schema.tables where table_name = $1`,
        [`pinned_${fx.schema}`],
      );
      expect(t.rows).toEqual([{ s: 'public', at: '00:00' }]);
      expect((await fx.applied()).map((x) => x.name)).toContain(b);
    } finally {
      await db.exec(`ALTER DATABASE "${dbName}" RESET TimeZone; RESET TimeZone; RESET search_path`);
    }
  });

  it('refuses an applied migration that was edited, naming the file and what to do', async () => {
    const fx = fixture(db);
    const a = fx.add('init', 'create schema ${s};');
    fx.add('next', 'create table ${s}.t (id int);');
    await migrate(db, fx.folder(), fx.opts());
    appendFileSync(join(fx.out, `${a}.sql`), '\n--> statement-breakpoint\ncreate table ${s}.sneaky (id int);');
    // Without `strata hash` the integrity file catches it first.
    const e1 = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e1.code).toBe('INTEGRITY_MISMATCH');
    expect(e1.details).toContain(`${a}.sql: changed since meta/strata.sum was written`);
    rehash(fx.out);
    const c = fx.add('later', 'create table ${s}.later (id int);');
    const e2 = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e2.code).toBe('INTEGRITY_MISMATCH');
    expect(e2.message).toBe('1 applied migration was edited; nothing was run');
    expect(e2.details[0]).toMatch(new RegExp(`^${a}\\.sql: edited after it was applied on .* \\(applied h1:.*, file now h1:.*\\)$`));
    expect(e2.hint).toMatch(/new migration \(`strata generate`/);
    expect(await fx.tables()).toEqual(['t']);
    const st = await status(db, fx.folder(), fx.opts());
    expect(st.changed).toEqual([a]);
    expect(st.pending).toEqual([c]);
    expect(st.ok).toBe(false);
  });

  it('refuses an applied migration missing from the folder', async () => {
    const fx = fixture(db);
    fx.add('init', 'create schema ${s};');
    const b = fx.add('gone', 'create table ${s}.t (id int);');
    await migrate(db, fx.folder(), fx.opts());
    for (const f of [`${b}.sql`, `meta/${b}.json`]) rmSync(join(fx.out, f));
    rehash(fx.out);
    const e = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e.code).toBe('INTEGRITY_MISMATCH');
    expect(e.details[0]).toContain(`${b}: applied on`);
    expect(e.details[0]).toContain(`but not in ${fx.out}`);
    expect((await status(db, fx.folder(), fx.opts())).missing).toEqual([b]);
  });

  it('treats a migration older than an applied one as out of order: reported, refused by default, applied when allowed', async () => {
    const fx = fixture(db);
    const a = fx.add('a', 'create schema ${s};');
    const c = fx.add('c', 'create table ${s}.c (id int);');
    await migrate(db, fx.folder(), fx.opts());
    // A migration from a branch merged late: its name sorts between a and c.
    const b = `${a.slice(0, 12)}30_b`;
    fx.write(`${b}.sql`, 'create table ${s}.b (id int);', false);
    const meta = JSON.parse(readFileSync(join(fx.out, `meta/${c}.json`), 'utf8'));
    writeFileSync(join(fx.out, `meta/${b}.json`), JSON.stringify({ ...meta, name: b, parent: c, custom: true }));
    rehash(fx.out);
    const st = await status(db, fx.folder(), fx.opts());
    expect(st.outOfOrder).toEqual([b]);
    expect(st.pending).toEqual([b]);
    expect(st.migrations.map((m) => m.state)).toEqual(['applied', 'out-of-order', 'applied']);
    const e = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e.code).toBe('OUT_OF_ORDER');
    expect(e.message).toBe(`${b} is older than ${c}, which is already applied; nothing was run`);
    expect(e.hint).toContain('--allow-out-of-order');
    expect(await fx.tables()).toEqual(['c']);
    const r = await migrate(db, fx.folder(), fx.opts({ allowOutOfOrder: true }));
    expect(r.applied.map((m) => m.name)).toEqual([b]);
    expect(r.planned[0]!.outOfOrder).toBe(true);
    expect(await fx.tables()).toEqual(['b', 'c']);
  });

  it('stops at --to, and a dry run reports the SQL and changes nothing', async () => {
    const fx = fixture(db);
    const a = fx.add('a', 'create schema ${s};');
    const b = fx.add('b', 'create table ${s}.b (id int);\ncreate table ${s}.b2 (id int);');
    const c = fx.add('c', 'create table ${s}.c (id int);');
    const dry = await migrate(db, fx.folder(), fx.opts({ dryRun: true }));
    expect(dry.dryRun).toBe(true);
    expect(dry.planned.map((p) => p.name)).toEqual([a, b, c]);
    expect(dry.planned[1]!.statements).toEqual([
      { index: 1, line: 1, sql: `create table "${fx.schema}".b (id int)` }, { index: 2, line: 2, sql: `create table "${fx.schema}".b2 (id int)` },
    ]);
    const exists = await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [`"${fx.history.schema}"."migrations"`]);
    expect(exists.rows[0]!.t).toBeNull();
    expect((await db.query(`select 1 from pg_namespace where nspname = $1`, [fx.schema])).rows).toEqual([]);

    expect((await migrate(db, fx.folder(), fx.opts({ to: b }))).applied.map((m) => m.name)).toEqual([a, b]);
    expect(await fx.tables()).toEqual(['b', 'b2']);
    expect((await migrate(db, fx.folder(), fx.opts({ to: b }))).applied).toEqual([]);
    const e = await rejection(migrate(db, fx.folder(), fx.opts({ to: 'nope' })));
    expect(e.code).toBe('USAGE');
    expect(e.hint).toContain(c);
  });

  it('runs a -- strata:no-transaction file statement by statement: CONCURRENTLY indexes and enum values used at once', async () => {
    const fx = fixture(db);
    fx.add('init', "create schema ${s};\ncreate type ${s}.mood as enum ('sad');\ncreate table ${s}.t (id int, m ${s}.mood);");
    const b = fx.add('no_tx', `-- strata:no-transaction
alter type \${s}.mood add value 'happy';
insert into \${s}.t values (1, 'happy');
create index concurrently if not exists t_id_idx on \${s}.t (id);`);
    const r = await migrate(db, fx.folder(), fx.opts());
    expect(r.planned[1]).toMatchObject({ name: b, noTransaction: true });
    const idx = await db.query<{ valid: boolean }>(
      `select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where c.relname = 't_id_idx' and n.nspname = $1`,
      [fx.schema],
    );
    expect(idx.rows).toEqual([{ valid: true }]);
    expect((await db.query(`select m::text from "${fx.schema}".t`)).rows).toEqual([{ m: 'happy' }]);
    expect((await fx.applied()).map((x) => x.name)).toContain(b);
  });

  it('a failing no-transaction file keeps the statements it committed, records nothing, and says so', async () => {
    const fx = fixture(db);
    const a = fx.add('nt', '-- strata:no-transaction\ncreate schema ${s};\ncreate table ${s}.kept (id int);\ncreate table ${s}.kept (id int);');
    const err = (await rejection(migrate(db, fx.folder(), fx.opts()))) as MigrationFailedError;
    expect([err.migration, err.statement, err.line]).toEqual([a, 3, 4]);
    expect(err.hint).toContain('statements 1–2 were committed and stay');
    expect(await fx.tables()).toEqual(['kept']);
    expect(await fx.applied()).toEqual([]);
  });

  it('refuses, before running anything, files that cannot run the way they are written', async () => {
    const fx = fixture(db);
    fx.add('fine', 'create schema ${s};');
    const b = fx.add('needs_no_tx', 'create table ${s}.x (id int);\n\ncreate index concurrently x_i on ${s}.x (id);');
    const e = await rejection(migrate(db, fx.folder(), fx.opts()));
    expect(e.code).toBe('REFUSED');
    expect(e.message).toBe(`${b}: ${b}.sql line 3, statement 2 cannot run inside a transaction block; nothing was applied`);
    expect(e.hint).toContain('--> strata:part no-transaction');
    expect(await fx.applied()).toEqual([]);
    expect((await db.query(`select 1 from pg_namespace where nspname = $1`, [fx.schema])).rows).toEqual([]);

    const fx2 = fixture(db);
    const c = fx2.add('lock_no_tx', '-- strata:no-transaction\nlock table pg_class in share mode;');
    const e2 = await rejection(migrate(db, fx2.folder(), fx2.opts()));
    expect(e2.message).toBe(`${c}: ${c}.sql line 2, statement 1 only works inside a transaction block, and this -- strata:no-transaction file runs each statement on its own; nothing was applied`);
    const fx3 = fixture(db);
    fx3.add('own_tx', 'begin;\ncreate table t_own (id int);\ncommit;');
    expect((await rejection(migrate(db, fx3.folder(), fx3.opts()))).hint).toMatch(/remove BEGIN\/COMMIT/);
  });

  it('quotes the history schema and table, whatever their names, and truncates long ones as PostgreSQL does', async () => {
    const long = `Mig Rations ${'x'.repeat(70)}`;
    const fx = fixture(db, { history: { schema: `My "Hist"; -- ${process.pid}`, table: long } });
    const a = fx.add('a', 'create schema ${s};');
    expect((await migrate(db, fx.folder(), fx.opts())).applied.map((m) => m.name)).toEqual([a]);
    const truncated = Buffer.from(long).subarray(0, 63).toString();
    const r = await db.query<{ name: string }>(`select name from "My ""Hist""; -- ${process.pid}"."${truncated}"`);
    expect(r.rows).toEqual([{ name: a }]);
    expect((await status(db, fx.folder(), fx.opts())).applied).toEqual([a]);
    expect((await migrate(db, fx.folder(), fx.opts())).applied).toEqual([]);
  });

  it('says it is waiting for another migrate, then goes on; gives up after lockWaitMs', async () => {
    const fx = fixture(db);
    fx.add('a', 'create schema ${s};');
    // The lock is keyed per history table: hold this one's.
    const lock = await db.acquireMigrationLock({ key: migrationLockKey(fx.history) });
    const run = migrate(db, fx.folder(), fx.opts({ lockWaitMs: 20_000 }));
    await new Promise((r) => setTimeout(r, 400));
    expect(fx.events.find((e) => e.type === 'waiting-for-lock')).toEqual({ type: 'waiting-for-lock', holderPid: expect.any(Number) });
    // Nothing happens while it waits: not even the history table.
    const h = await db.query<{ t: string | null }>('select to_regclass($1)::text as t', [`"${fx.history.schema}"."migrations"`]);
    expect(h.rows[0]!.t).toBeNull();
    await lock.release();
    expect((await run).applied).toHaveLength(1);

    const lock2 = await db.acquireMigrationLock({ key: migrationLockKey(fx.history) });
    try {
      const e = await rejection(migrate(db, fx.folder(), fx.opts({ lockWaitMs: 300 })));
      expect(e.code).toBe('LOCK_TIMEOUT');
    } finally {
      await lock2.release();
    }
  });
});
