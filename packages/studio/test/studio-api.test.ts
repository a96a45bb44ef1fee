import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '@strata/testing';
import type { ApiError, ConsoleResponse, ReferencingCount, RowsResponse, SchemaTable, TableDetail, TableSummary } from '@strata/studio';
import { ODD_KEY, ODD_SCHEMA, ODD_TABLE, api, buildPageForTest, startFixture, type StudioFixture } from './helpers.js';

const pageDir = buildPageForTest();

describeBackends('studio API', (backend) => {
  let f: StudioFixture;
  beforeAll(async () => { f = await startFixture(backend, { pageDir }); });
  afterAll(async () => f?.close());

  const rows = (body: object) => api<RowsResponse & ApiError>(f, '/api/rows', { limit: 50, offset: 0, sort: null, filters: [], ...body });

  it('lists every table by schema with row counts, views without a count', async () => {
    const { status, body } = await api<TableSummary[]>(f, '/api/tables');
    expect(status).toBe(200);
    const by = new Map(body.map((t) => [`${t.schema}.${t.name}`, t]));
    expect(by.get('public.users')).toEqual({ schema: 'public', name: 'users', kind: 'table', rows: { value: 121, kind: 'exact' } });
    expect(by.get('public.no_pk')?.rows).toEqual({ value: 3, kind: 'exact' });
    expect(by.get(`${ODD_SCHEMA}.${ODD_TABLE}`)?.rows).toEqual({ value: 1, kind: 'exact' });
    expect(by.get('public.active_users')).toMatchObject({ kind: 'view', rows: null });
    expect(body.some((t) => t.schema === 'pg_catalog' || t.schema === 'information_schema')).toBe(false);
  });

  it('stops counting at 10,000 rows, in the list and under a filter', async () => {
    await f.client.exec('create table public.big (id int primary key); insert into public.big select g from generate_series(1, 10050) g');
    const list = await api<TableSummary[]>(f, '/api/tables');
    expect(list.body.find((t) => t.name === 'big')?.rows).toEqual({ value: 10000, kind: 'at-least' });
    const page = await rows({ schema: 'public', table: 'big', limit: 3, offset: 10040, sort: { column: 'id', direction: 'asc' } });
    expect(page.body.rows).toEqual([{ id: 10041 }, { id: 10042 }, { id: 10043 }]);
    expect(page.body.total).toEqual({ value: 10000, kind: 'at-least' });
    const filtered = await rows({ schema: 'public', table: 'big', filters: [{ column: 'id', op: 'gt', value: '10000' }] });
    expect(filtered.body.total).toEqual({ value: 50, kind: 'exact' });
    await f.client.exec('drop table public.big');
  });

  it('reads one page, sorted, with the total', async () => {
    const { status, body } = await rows({ schema: 'public', table: 'users', limit: 5, offset: 10, sort: { column: 'name', direction: 'desc' } });
    expect(status).toBe(200);
    expect(body.rows.map((r) => r.name)).toEqual(['user 110', 'user 109', 'user 108', 'user 107', 'user 106']);
    expect(body.total).toEqual({ value: 121, kind: 'exact' });
  });

  it('filters per column: contains (with % as a plain character), comparisons, null', async () => {
    const contains = await rows({ schema: 'public', table: 'users', filters: [{ column: 'name', op: 'contains', value: 'user 11' }] });
    expect(contains.body.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `user 11${i}`));
    const percent = await rows({ schema: 'public', table: 'users', filters: [{ column: 'name', op: 'contains', value: '%' }] });
    expect(percent.body.rows.map((r) => r.name)).toEqual(['percent % sign']);
    const both = await rows({
      schema: 'public', table: 'users',
      filters: [{ column: 'id', op: 'gt', value: '100' }, { column: 'active', op: 'eq', value: 'true' }, { column: 'mood', op: 'not-null' }],
    });
    expect(both.body.rows.map((r) => r.id)).toEqual([102, 104, 106, 108, 110, 112, 114, 116, 118, 120]);
    expect(both.body.total).toEqual({ value: 10, kind: 'exact' });
    const nulls = await rows({ schema: 'public', table: 'users', filters: [{ column: 'meta', op: 'is-null' }] });
    expect(nulls.body.rows.map((r) => r.name)).toEqual(['percent % sign']);
  });

  it('shows PostgreSQL errors for bad filter values, and names unknown columns', async () => {
    const bad = await rows({ schema: 'public', table: 'users', filters: [{ column: 'id', op: 'eq', value: 'abc' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ sqlState: '22P02' });
    expect(bad.body.error.message).toMatch(/invalid input syntax for type integer/);
    const unknown = await rows({ schema: 'public', table: 'users', sort: { column: 'nope"; drop table users; --', direction: 'asc' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('has no column "nope"; drop table users; --"');
    expect((await api<TableSummary[]>(f, '/api/tables')).body.some((t) => t.name === 'users')).toBe(true);
  });

  it('inserts, updates and deletes a row of a table whose names need quoting', async () => {
    const target = { schema: ODD_SCHEMA, table: ODD_TABLE };
    const ins = await api<{ row: Record<string, unknown> }>(f, '/api/rows/insert', { ...target, values: { [ODD_KEY]: '7', select: "it's; -- here" } });
    expect(ins.status).toBe(200);
    expect(ins.body.row).toEqual({ [ODD_KEY]: 7, select: "it's; -- here" });
    const upd = await api<{ row: Record<string, unknown> }>(f, '/api/rows/update', { ...target, key: { [ODD_KEY]: 7 }, values: { select: 'changed' } });
    expect(upd.body.row).toEqual({ [ODD_KEY]: 7, select: 'changed' });
    const stored = await f.client.query(`select "select" as v from "Odd Schema"."Select; --Table ""x""" where "Weird Col" = 7`);
    expect(stored.rows).toEqual([{ v: 'changed' }]);
    const del = await api(f, '/api/rows/delete', { ...target, key: { [ODD_KEY]: 7 } });
    expect(del.status).toBe(200);
    expect((await f.client.query(`select 1 from "Odd Schema"."Select; --Table ""x""" where "Weird Col" = 7`)).rows).toEqual([]);
    const again = await api<ApiError>(f, '/api/rows/delete', { ...target, key: { [ODD_KEY]: 7 } });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toMatch(/not found/);
  });

  it('writes typed values (boolean, enum, json, date, numeric) and rolls back a refused one', async () => {
    const ins = await api<{ row: Record<string, unknown> }>(f, '/api/rows/insert', {
      schema: 'public', table: 'users',
      values: { name: 'typed', active: 'false', mood: "it's complicated", meta: '{"a": [1, 2]}', born: '1999-12-31', score: '12.345' },
    });
    expect(ins.status).toBe(200);
    expect(ins.body.row).toMatchObject({ name: 'typed', active: false, mood: "it's complicated", meta: { a: [1, 2] }, born: '1999-12-31', score: '12.35' });
    const dup = await api<ApiError>(f, '/api/rows/update', { schema: 'public', table: 'users', key: { id: ins.body.row.id }, values: { name: 'user 001' } });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toMatchObject({ sqlState: '23505', constraint: 'users_name_key' });
    expect(dup.body.error.detail).toMatch(/already exists/);
    const check = await api<ApiError>(f, '/api/rows/update', { schema: ODD_SCHEMA, table: ODD_TABLE, key: { [ODD_KEY]: 1 }, values: { select: 'forbidden' } });
    expect(check.body.error.sqlState).toBe('23514');
    expect((await f.client.query(`select name from public.users where id = $1`, [ins.body.row.id])).rows).toEqual([{ name: 'typed' }]);
    await api(f, '/api/rows/delete', { schema: 'public', table: 'users', key: { id: ins.body.row.id } });
  });

  it('keeps tables without a primary key, views and generated columns read-only', async () => {
    const t = await api<TableDetail>(f, `/api/table?schema=public&table=no_pk`);
    expect(t.body.primaryKey).toEqual([]);
    expect(t.body.readOnly).toMatch(/no primary key/);
    const refused = await api<ApiError>(f, '/api/rows/insert', { schema: 'public', table: 'no_pk', values: { a: '4' } });
    expect(refused.status).toBe(409);
    expect((await f.client.query('select count(*)::int as n from public.no_pk')).rows).toEqual([{ n: 3 }]);
    const view = await api<TableDetail>(f, `/api/table?schema=public&table=active_users`);
    expect(view.body.readOnly).toMatch(/view/);
    const posts = await api<TableDetail>(f, `/api/table?schema=public&table=posts`);
    expect(posts.body.columns.map((c) => [c.name, c.writable])).toEqual([['id', false], ['user_id', true], ['title', true], ['title_length', false]]);
    const gen = await api<ApiError>(f, '/api/rows/update', { schema: 'public', table: 'posts', key: { id: '1' }, values: { title_length: '3' } });
    expect(gen.status).toBe(409);
    expect(gen.body.error.message).toMatch(/generated/);
  });

  it('describes the schema: columns, indexes, constraints (no NOT NULL ones) and foreign keys', async () => {
    const { body } = await api<SchemaTable[]>(f, '/api/schema');
    const posts = body.find((t) => t.schema === 'public' && t.name === 'posts')!;
    expect(posts.foreignKeys).toEqual([{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'public', refTable: 'users', refColumns: ['id'] }]);
    expect(posts.indexes.map((i) => i.name).sort()).toEqual(['posts_pkey', 'posts_user_id_index']);
    expect(posts.constraints.map((c) => c.type).sort()).toEqual(['foreign-key', 'primary-key']);
    const odd = body.find((t) => t.schema === ODD_SCHEMA && t.name === ODD_TABLE)!;
    expect(odd.columns.map((c) => c.name)).toEqual([ODD_KEY, 'select']);
    expect(odd.constraints.find((c) => c.type === 'check')?.definition).toContain('forbidden');
  });

  it('runs the SQL console read-only unless writing is switched on', async () => {
    const ro = await api<ApiError>(f, '/api/sql', { sql: `insert into public.no_pk values (9, 'nine')`, write: false });
    expect(ro.status).toBe(400);
    expect(ro.body.error.sqlState).toBe('25006');
    const escaped = await api<ApiError>(f, '/api/sql', { sql: `commit; insert into public.no_pk values (9, 'nine')`, write: false });
    expect(escaped.status).toBe(400);
    expect(escaped.body.error.message).toMatch(/one statement at a time/);
    expect((await f.client.query('select count(*)::int as n from public.no_pk')).rows).toEqual([{ n: 3 }]);
    const rw = await api<ConsoleResponse>(f, '/api/sql', { sql: `insert into public.no_pk values (9, 'nine')`, write: true });
    expect(rw.body.rowCount).toBe(1);
    expect((await f.client.query('select count(*)::int as n from public.no_pk')).rows).toEqual([{ n: 4 }]);
    await f.client.query('delete from public.no_pk where a = 9');
  });

  it('returns at most 1000 console rows, and points at the error in the statement as typed', async () => {
    const many = await api<ConsoleResponse>(f, '/api/sql', { sql: 'select g as n from generate_series(1, 1500) g', write: false });
    expect(many.body).toMatchObject({ columns: ['n'], truncated: true, rowCount: 1000 });
    expect(many.body.rows).toHaveLength(1000);
    expect(many.body.rows[999]).toEqual([1000]);
    const show = await api<ConsoleResponse>(f, '/api/sql', { sql: 'show search_path', write: false });
    expect(show.body.columns).toEqual(['search_path']);
    const typo = await api<ApiError>(f, '/api/sql', { sql: 'select nosuch from public.users', write: false });
    expect(typo.body.error).toMatchObject({ sqlState: '42703', position: 8 });
    const after = await api<ApiError>(f, '/api/sql', { sql: '-- count them\n  select nosuch from public.users;', write: false });
    expect(after.body.error).toMatchObject({ sqlState: '42703', position: 24 });
    const dollar = await api<ConsoleResponse>(f, '/api/sql', { sql: `select $$a; b$$ as "x;y" -- c; d`, write: false });
    expect(dollar.body.rows).toEqual([['a; b']]);
  });
  it('describes a table\'s foreign keys both ways, and counts the rows that reference a row', async () => {
    const users = await api<TableDetail>(f, '/api/table?schema=public&table=users');
    expect(users.body.foreignKeys).toEqual([]);
    expect(users.body.referencedBy).toEqual([{ name: 'posts_user_id_fkey', schema: 'public', table: 'posts', columns: ['user_id'], refColumns: ['id'] }]);
    const posts = await api<TableDetail>(f, '/api/table?schema=public&table=posts');
    expect(posts.body.foreignKeys).toEqual([{ name: 'posts_user_id_fkey', columns: ['user_id'], refSchema: 'public', refTable: 'users', refColumns: ['id'] }]);
    const counts = await api<ReferencingCount[]>(f, '/api/rows/referencing', { schema: 'public', table: 'users', values: { id: 2, name: 'user 002' } });
    expect(counts.status).toBe(200);
    expect(counts.body).toEqual([{ ...users.body.referencedBy[0], count: { value: 3, kind: 'exact' } }]);
    const none = await api<ReferencingCount[]>(f, '/api/rows/referencing', { schema: 'public', table: 'users', values: { id: 100 } });
    expect(none.body[0]!.count).toEqual({ value: 0, kind: 'exact' });
    const missing = await api<ApiError>(f, '/api/rows/referencing', { schema: 'public', table: 'users', values: { name: 'x' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/values must hold "id"/);
  });

  it('counts referencing rows through names that need quoting, a self-reference included', async () => {
    await f.client.exec(`create table "Odd Schema"."Child ""y""; --" (id int primary key, "Parent Ref" int references "Odd Schema"."Select; --Table ""x"""("Weird Col"),
        "up; drop" int references "Odd Schema"."Child ""y""; --"(id));
      insert into "Odd Schema"."Child ""y""; --" values (1, 1, null), (2, 1, 1), (3, null, 1)`);
    const odd = await api<ReferencingCount[]>(f, '/api/rows/referencing', { schema: ODD_SCHEMA, table: ODD_TABLE, values: { [ODD_KEY]: 1 } });
    expect(odd.body.map((r) => [r.table, r.columns, r.count.value])).toEqual([['Child "y"; --', ['Parent Ref'], 2]]);
    const self = await api<ReferencingCount[]>(f, '/api/rows/referencing', { schema: ODD_SCHEMA, table: 'Child "y"; --', values: { id: 1 } });
    expect(self.body.map((r) => [r.columns, r.count.value])).toEqual([[['up; drop'], 2]]);
    const detail = await api<TableDetail>(f, `/api/table?schema=${encodeURIComponent(ODD_SCHEMA)}&table=${encodeURIComponent('Child "y"; --')}`);
    expect(detail.body.foreignKeys.map((k) => k.refTable)).toEqual([ODD_TABLE, 'Child "y"; --']);
    await f.client.exec(`drop table "Odd Schema"."Child ""y""; --"`);
  });

  it('deletes several rows by primary key in one transaction, all or none', async () => {
    await f.client.exec(`insert into "Odd Schema"."Select; --Table ""x""" values (11, 'a'), (12, 'b'), (13, 'c'), (14, 'd')`);
    const target = { schema: ODD_SCHEMA, table: ODD_TABLE };
    const keys = async () => (await f.client.query<{ k: number }>(`select "Weird Col" as k from "Odd Schema"."Select; --Table ""x""" order by 1`)).rows.map((r) => r.k);
    const partly = await api<ApiError>(f, '/api/rows/delete-many', { ...target, keys: [{ [ODD_KEY]: 11 }, { [ODD_KEY]: 99 }] });
    expect(partly.status).toBe(404);
    expect(partly.body.error.message).toBe('1 of the 2 rows to delete were not found; nothing was deleted');
    expect(await keys()).toEqual([1, 11, 12, 13, 14]);
    const twice = await api<ApiError>(f, '/api/rows/delete-many', { ...target, keys: [{ [ODD_KEY]: 11 }, { [ODD_KEY]: 11 }] });
    expect(twice.status).toBe(400);
    // A value that tries to be SQL is only a value.
    const injected = await api<ApiError>(f, '/api/rows/delete-many', { ...target, keys: [{ [ODD_KEY]: '1 or true' }] });
    expect(injected.status).toBe(400);
    expect(injected.body.error.sqlState).toBe('22P02');
    const noKey = await api<ApiError>(f, '/api/rows/delete-many', { ...target, keys: [{ select: 'a' }] });
    expect(noKey.body.error.message).toMatch(/missing "Weird Col"/);
    const ok = await api<{ deleted: number }>(f, '/api/rows/delete-many', { ...target, keys: [{ [ODD_KEY]: 12 }, { [ODD_KEY]: 11 }, { [ODD_KEY]: 14 }] });
    expect(ok.status).toBe(200);
    expect(ok.body.deleted).toBe(3);
    expect(await keys()).toEqual([1, 13]);
    const refused = await api<ApiError>(f, '/api/rows/delete-many', { schema: 'public', table: 'no_pk', keys: [{ a: 1 }] });
    expect(refused.status).toBe(409);
    const tooMany = await api<ApiError>(f, '/api/rows/delete-many', { ...target, keys: Array.from({ length: 501 }, (_, i) => ({ [ODD_KEY]: i })) });
    expect(tooMany.status).toBe(400);
    const blocked = await api<ApiError>(f, '/api/rows/delete-many', { schema: 'public', table: 'users', keys: [{ id: 2 }, { id: 3 }] });
    expect(blocked.body.error.sqlState).toBe('23503');
    expect((await f.client.query('select count(*)::int as n from public.users where id in (2, 3)')).rows).toEqual([{ n: 2 }]);
    await f.client.exec(`delete from "Odd Schema"."Select; --Table ""x""" where "Weird Col" = 13`);
  });
});
