import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogFingerprint, createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

type Kind = 'integer' | 'serial' | 'identity';

/** users.id (a key, in a unique and an index; a plain integer, a serial or an identity) referenced by posts.user_id (indexed); `wide`: both widened to 64 bits. */
const SCHEMA = (kind: Kind, wide: boolean) => {
  const id = {
    integer: wide ? "bigint('id', { mode: 'number' })" : "integer('id')",
    serial: wide ? "bigserial('id', { mode: 'number' })" : "serial('id')",
    identity: `${wide ? "bigint('id', { mode: 'number' })" : "integer('id')"}.generatedAlwaysAsIdentity()`,
  }[kind];
  const ref = wide ? "bigint('user_id', { mode: 'number' })" : "integer('user_id')";
  return `import { bigint, bigserial, index, integer, pgTable, serial, text, unique } from 'drizzle-orm/pg-core';
export const users = pgTable('users', { id: ${id}.primaryKey(), email: text('email').notNull() }, (t) => [unique('users_email_id_key').on(t.email, t.id), index('users_id_email_idx').on(t.id, t.email)]);
export const posts = pgTable('posts', { id: integer('id').primaryKey(), userId: ${ref}.notNull().references(() => users.id, { onDelete: 'cascade' }), title: text('title') }, (t) => [index('posts_user_id_idx').on(t.userId)]);
`;
};

const project = (schema: string) => schemaProject('strata-cli-multistep-keys-', schema);

// Issue 18's key widening through the binary: users.id integer (or serial) → bigint (bigserial),
// referenced by posts.user_id, with a unique and indexes on the columns. generate --multi-step,
// migrate (expand, contract held), writes in the window, migrate --contract, check, and both
// rollbacks back to the exact catalog they started from.
for (const kind of ['integer', 'serial', 'identity'] as const) {
  describeBackends(`generate --multi-step: a ${kind} key and the column that references it widened to 64 bits`, (backend) => {
    let tdb: TestDatabase;
    let dir: string;
    const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
    const sql = rowsOf(() => tdb);
    const fingerprint = async () => {
      const db = await tdb.client();
      try {
        return await catalogFingerprint(db, ['public']);
      } finally {
        await tdb.closeClient();
      }
    };
    const one = async (text: string) => Object.values((await sql(text))[0]!)[0];
    const types = () => one(`select string_agg(table_name || '.' || column_name || ':' || data_type, ',' order by table_name, column_name) from information_schema.columns where table_schema = 'public' and column_name in ('id', 'user_id')`);
    const data = () => one(`select (select string_agg(id || '=' || email, ',' order by id) from public.users) || ' | ' || (select string_agg(id || '>' || user_id, ',' order by id) from public.posts)`);
    const newUser = (id: number, email: string) => kind !== 'integer' ? `insert into public.users (email) values ('${email}')` : `insert into public.users (id, email) values (${id}, '${email}')`;
    let before: Awaited<ReturnType<typeof fingerprint>>;

    beforeAll(async () => {
      tdb = await createTestDatabase(backend);
      dir = project(SCHEMA(kind, false));
      await generateAndMigrate(dir, tdb.url);
      await sql(kind !== 'integer'
        ? `insert into public.users (email) select 'u' || g from generate_series(1, 300) g`
        : `insert into public.users (id, email) select g, 'u' || g from generate_series(1, 300) g`);
      await sql(`insert into public.posts (id, user_id, title) select g, 1 + g % 300, 'p' || g from generate_series(1, 600) g`);
      before = await fingerprint();
    }, 300_000);
    afterAll(async () => tdb?.dispose());

    it('expand (shadows, triggers, backfill, indexes built concurrently), the window, the swap, and both rollbacks', async () => {
      writeFileSync(join(dir, 'schema.ts'), SCHEMA(kind, true));
      const g = await strata('generate', '--multi-step');
      expect(g.code, g.stderr).toBe(0);
      const files = readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql') && !f.endsWith('.down.sql')).sort();
      const expandSql = readFileSync(join(dir, 'migrations', files.at(-2)!), 'utf8');
      const contractSql = readFileSync(join(dir, 'migrations', files.at(-1)!), 'utf8');
      expect(expandSql).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "users_pkey_strata_new"');
      expect(contractSql).toContain('PRIMARY KEY USING INDEX "users_pkey_strata_new"');
      expect(contractSql).not.toMatch(/CREATE (UNIQUE )?INDEX|TYPE bigint/);
      // strata lint finds nothing blocking in either half (where it cannot follow the swap's renames, the SQL says why).
      const lint = await runCli(['lint'], { cwd: dir, timeoutMs: 180_000 });
      expect(lint.stdout).not.toMatch(/_(expand|contract)\.sql:\d+:\d+\s+error/);

      const m = await strata('migrate');
      expect(m.code, m.stderr).toBe(0);
      expect(m.stdout).toMatch(/held .*_contract/);
      expect(await one(`select count(*)::int from public.users where id_strata_new is distinct from id`)).toBe(0);
      expect(await one(`select count(*)::int from public.posts where user_id_strata_new is distinct from user_id`)).toBe(0);
      // Written in the window (by code that knows only the real columns): kept, shadows filled.
      await sql(newUser(301, 'window'));
      await sql(`insert into public.posts (id, user_id, title) values (601, 301, 'window')`);
      await sql(`update public.posts set user_id = 301 where id = 1`);
      await sql(`delete from public.users where id = 300`); // cascades to its posts
      expect(await one(`select count(*)::int from public.posts where user_id_strata_new is distinct from user_id`)).toBe(0);
      const c = await strata('check');
      expect(c.code, c.stdout + c.stderr).toBe(0);
      const window = await fingerprint();
      const windowData = await data();

      const contract = await strata('migrate', '--contract');
      expect(contract.code, contract.stderr).toBe(0);
      expect(await types()).toBe('posts.id:integer,posts.user_id:bigint,users.id:bigint');
      expect(await data()).toBe(windowData);
      expect(await one(`select string_agg(conname || ':' || contype::text || ':' || convalidated, ',' order by conname) from pg_constraint where conrelid in ('public.users'::regclass, 'public.posts'::regclass) and contype in ('p', 'u', 'f')`))
        .toBe('posts_pkey:p:true,posts_user_id_users_id_fk:f:true,users_email_id_key:u:true,users_pkey:p:true');
      expect(await one(`select pg_get_constraintdef(oid) from pg_constraint where conname = 'users_pkey'`)).toBe('PRIMARY KEY (id)');
      const after = await strata('check');
      expect(after.code, after.stdout + after.stderr).toBe(0);
      // The new range works: a key past 2^31 and a post that references it; a sequence goes on from its value.
      if (kind !== 'integer') {
        expect(await one(`select format_type(seqtypid, null) from pg_sequence where seqrelid = pg_get_serial_sequence('public.users', 'id')::regclass`)).toBe('bigint');
        await sql(`insert into public.users (email) values ('after')`);
        expect(await one(`select id::int from public.users where email = 'after'`)).toBe(302);
        await sql(`delete from public.users where email = 'after'`);
        await sql(`select setval(pg_get_serial_sequence('public.users', 'id'), 5000000000)`);
        await sql(`insert into public.users (email) values ('big')`);
      } else {
        await sql(`insert into public.users (id, email) values (5000000001, 'big')`);
      }
      await sql(`insert into public.posts (id, user_id, title) values (9999, 5000000001, 'big')`);
      await sql(`delete from public.users where id = 5000000001`);
      expect(await one(`select count(*)::int from public.posts where id = 9999`)).toBe(0);
      if (kind !== 'integer') await sql(`select setval(pg_get_serial_sequence('public.users', 'id'), 302)`);

      const down = await strata('rollback');
      expect(down.code, down.stderr).toBe(0);
      expect(await fingerprint()).toEqual(window);
      expect(await data()).toBe(windowData);
      expect((await strata('check')).code).toBe(0);
      const back = await strata('rollback');
      expect(back.code, back.stderr).toBe(0);
      expect(await fingerprint()).toEqual(before);
      expect(await data()).toBe(windowData);
    }, 900_000);
  });
}
