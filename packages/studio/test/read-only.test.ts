import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBackends } from '@strata/testing';
import type { ApiError, ConsoleResponse, InfoResponse, TableDetail } from '@strata/studio';
import { api, buildPageForTest, startFixture, type StudioFixture } from './helpers.js';

const pageDir = buildPageForTest();

describeBackends('a read-only studio', (backend) => {
  let f: StudioFixture;
  beforeAll(async () => { f = await startFixture(backend, { pageDir, readOnly: 'started with --read-only' }); });
  afterAll(async () => f?.close());

  const count = async () => (await f.client.query<{ n: number }>('select count(*)::int as n from public.users')).rows[0]!.n;
  const nameOf = async (id: number) => (await f.client.query<{ name: string }>('select name from public.users where id = $1', [id])).rows[0]!.name;

  it('says so in /api/info and shows every table without edit controls', async () => {
    const info = await api<InfoResponse>(f, '/api/info');
    expect(info.body.readOnly).toBe('started with --read-only');
    const table = await api<TableDetail>(f, '/api/table?schema=public&table=users');
    expect(table.body.readOnly).toBe('the studio is read-only (started with --read-only)');
  });

  it('refuses inserts, updates and deletes on the server side, and the rows stay as they were', async () => {
    const before = await count();
    const ins = await api<ApiError>(f, '/api/rows/insert', { schema: 'public', table: 'users', values: { name: 'intruder' } });
    expect(ins.status).toBe(409);
    expect(ins.body.error).toMatchObject({ code: 'REFUSED' });
    expect(ins.body.error.message).toContain('this studio is read-only (started with --read-only): inserting a row is refused');
    const upd = await api<ApiError>(f, '/api/rows/update', { schema: 'public', table: 'users', key: { id: 1 }, values: { name: 'changed' } });
    expect(upd.status).toBe(409);
    const del = await api<ApiError>(f, '/api/rows/delete', { schema: 'public', table: 'users', key: { id: 2 } });
    expect(del.status).toBe(409);
    const bulk = await api<ApiError>(f, '/api/rows/delete-many', { schema: 'public', table: 'users', keys: [{ id: 120 }, { id: 121 }] });
    expect(bulk.status).toBe(409);
    expect(bulk.body.error).toMatchObject({ code: 'REFUSED' });
    expect(bulk.body.error.message).toContain('this studio is read-only (started with --read-only): deleting rows is refused');
    expect(await count()).toBe(before);
    expect(await nameOf(1)).toBe('user 001');
    expect(await nameOf(2)).toBe('user 002');
    expect((await f.client.query('select count(*)::int as n from public.users where id in (120, 121)')).rows).toEqual([{ n: 2 }]);
  });

  it('still answers reads: the rows that reference a row (positive control)', async () => {
    const refs = await api<{ count: { value: number } }[]>(f, '/api/rows/referencing', { schema: 'public', table: 'users', values: { id: 2 } });
    expect(refs.status).toBe(200);
    expect(refs.body.map((r) => r.count.value)).toEqual([3]);
  });

  it('refuses writing SQL, and still answers a query (positive control)', async () => {
    const write = await api<ApiError>(f, '/api/sql', { sql: `update public.users set name = 'x' where id = 3`, write: true });
    expect(write.status).toBe(409);
    expect(write.body.error.message).toContain('writing SQL is refused');
    expect(await nameOf(3)).toBe('user 003');
    const read = await api<ConsoleResponse>(f, '/api/sql', { sql: 'select 42 as answer', write: false });
    expect(read.status).toBe(200);
    expect(read.body.rows).toEqual([[42]]);
  });
});
