import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { generateAndMigrate, rowsOf, schemaProject } from './project-fixture.js';

/** items: `code` text → varchar(50), `qty` text → integer, `kind` text → an enum, `ref` text → uuid, all in one change. */
const ITEMS = (constrained: boolean) => constrained
  ? `import { integer, pgEnum, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';\nexport const kind = pgEnum('kind', ['a', 'b']);\n` +
    `export const items = pgTable('items', { id: integer('id').primaryKey(), code: varchar('code', { length: 50 }), qty: integer('qty'), kind: kind('kind'), ref: uuid('ref') });\n`
  : `import { integer, pgTable, text } from 'drizzle-orm/pg-core';\n` +
    `export const items = pgTable('items', { id: integer('id').primaryKey(), code: text('code'), qty: text('qty'), kind: text('kind'), ref: text('ref') });\n`;

const project = (schema: string) => schemaProject('strata-cli-multistep-guard-', schema);

// Text → constrained types through the binary: no silent rewrite without --multi-step; with it, a
// data guard that stops the expand before anything changes (naming the rows), a window in which
// a write by the old code that does not fit fails loudly, the contract swap, and both downs.
describeBackends('generate --multi-step: text → a constrained type, with a data guard', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  const strata = (...args: string[]) => runCli([...args, '--url', tdb.url], { cwd: dir, timeoutMs: 180_000 });
  const sql = rowsOf(() => tdb);
  const fails = async (text: string): Promise<string> => sql(text).then(() => 'no error', (e: unknown) => (e as Error).message);
  const columns = async () => (await sql<{ c: string }>(`select string_agg(column_name || ':' || udt_name || coalesce('(' || character_maximum_length || ')', ''), ',' order by column_name) as c from information_schema.columns where table_schema = 'public' and table_name = 'items'`))[0]!.c;
  const objects = async () => (await sql<{ n: string }>(`select (select count(*) from pg_trigger where tgrelid = 'public.items'::regclass and not tgisinternal) || '/' || (select count(*) from pg_proc where proname like 'strata_%' and pronamespace = 'public'::regnamespace) as n`))[0]!.n;
  const files = () => readdirSync(join(dir, 'migrations')).filter((f) => f.endsWith('.sql')).length;
  const ORIGINAL = 'code:text,id:int4,kind:text,qty:text,ref:text';

  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    dir = project(ITEMS(false));
    await generateAndMigrate(dir, tdb.url);
    // ref holds upper-case uuids: text that is only input for the new type, not a value it changes.
    await sql(`insert into public.items (id, code, qty, kind, ref) select g, 'c' || g, g::text, case when g % 2 = 0 then 'a' else 'b' end, upper(gen_random_uuid()::text) from generate_series(1, 300) g`);
    await sql(`update public.items set code = repeat('x', 51) where id in (7, 9)`);
    await sql(`update public.items set qty = 'abc' where id = 11`);
    await sql(`update public.items set qty = '1.5' where id = 12`);
    await sql(`update public.items set kind = 'c' where id = 13`);
  }, 300_000);
  afterAll(async () => tdb?.dispose());

  it('without --multi-step and without a terminal: exit 2 offering --multi-step or --unsafe-plans, nothing written', async () => {
    writeFileSync(join(dir, 'schema.ts'), ITEMS(true));
    const before = files();
    const r = await strata('generate');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('changing "public"."items"."code" from text to character varying(50) rewrites "public"."items"');
    expect(r.stderr).toContain('--multi-step');
    expect(r.stderr).toContain('--unsafe-plans');
    expect(files()).toBe(before);
  }, 300_000);

  it('with --multi-step, the expand stops at its data guard, naming the rows that do not fit, and changes nothing', async () => {
    const g = await strata('generate', '--multi-step');
    expect(g.code, g.stderr).toBe(0);
    const m = await strata('migrate');
    expect(m.code).not.toBe(0);
    expect(m.stderr).toContain('cannot change column "code" of table "public"."items" from text to character varying(50): 2 row(s) hold a value that does not fit');
    expect(m.stderr).toContain(`"id"=7: '${'x'.repeat(40)}'`);
    expect(m.stderr).toContain('nothing was changed');
    expect(m.stderr).toContain('Update or delete those rows');
    expect(await columns()).toBe(ORIGINAL);
    expect(await objects()).toBe('0/0');
    // The cast of qty throws on 'abc': the guard tries the rows one by one to count and name them.
    await sql(`update public.items set code = 'fixed' where id in (7, 9)`);
    const q = await strata('migrate');
    expect(q.code).not.toBe(0);
    expect(q.stderr).toContain('cannot change column "qty" of table "public"."items" from text to integer: 2 row(s) hold a value that does not fit (e.g. "id"=11: \'abc\', "id"=12: \'1.5\')');
    await sql(`update public.items set qty = null where id in (11, 12)`);
    const k = await strata('migrate');
    expect(k.code).not.toBe(0);
    expect(k.stderr).toContain('cannot change column "kind" of table "public"."items" from text to "public"."kind": 1 row(s) hold a value that does not fit (e.g. "id"=13: \'c\')');
    expect(await columns()).toBe(ORIGINAL);
    expect(await objects()).toBe('0/0');
  }, 300_000);

  it('once the data fits: expand, and in the window a write by the old code that does not fit fails loudly (no truncation)', async () => {
    await sql(`update public.items set kind = 'a' where id = 13`);
    const m = await strata('migrate');
    expect(m.code, m.stderr).toBe(0);
    expect(m.stdout).toMatch(/held .*_contract/);
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.items where code_strata_new is distinct from code or qty_strata_new::text is distinct from qty or kind_strata_new::text is distinct from kind or ref_strata_new::text is distinct from lower(ref)`))[0]!.n).toBe('0');
    expect(await fails(`insert into public.items (id, code) values (1001, repeat('y', 51))`)).toMatch(/'y{40}' does not fit column "code" of table "public"."items": it would be changed by the conversion/);
    expect(await fails(`update public.items set qty = 'zz' where id = 1`)).toMatch(/'zz' does not fit column "qty" of table "public"."items": it is not a valid value of the new type/);
    expect(await fails(`insert into public.items (id, kind) values (1002, 'q')`)).toMatch(/'q' does not fit column "kind"/);
    expect(await fails(`insert into public.items (id, ref) values (1002, 'not-a-uuid')`)).toMatch(/'not-a-uuid' does not fit column "ref" of table "public"."items": it is not a valid value of the new type/);
    expect((await sql<{ n: string }>(`select count(*)::text as n from public.items where id in (1001, 1002)`))[0]!.n).toBe('0');
    // What fits goes through, both ways.
    await sql(`insert into public.items (id, code, qty, kind) values (1003, 'old code', '42', 'b')`);
    await sql(`insert into public.items (id, code_strata_new, qty_strata_new, kind_strata_new) values (1004, 'new code', 7, 'a')`);
    const rows = await sql<{ r: string }>(`select string_agg(id || '=' || code || '/' || code_strata_new || '/' || qty || '/' || qty_strata_new || '/' || kind || '/' || kind_strata_new, ',' order by id) as r from public.items where id in (1003, 1004)`);
    expect(rows[0]!.r).toBe('1003=old code/old code/42/42/b/b,1004=new code/new code/7/7/a/a');
    expect((await strata('check')).code).toBe(0);
  }, 300_000);

  it('contract swaps the constrained columns in; the downs go back exactly', async () => {
    const c = await strata('migrate', '--contract');
    expect(c.code, c.stderr).toBe(0);
    expect(await columns()).toBe('code:varchar(50),id:int4,kind:kind,qty:int4,ref:uuid');
    expect(await objects()).toBe('0/0');
    expect(await fails(`insert into public.items (id, code) values (1005, repeat('y', 51))`)).toMatch(/value too long for type character varying\(50\)/);
    expect((await strata('check')).code).toBe(0);
    const down = await strata('rollback');
    expect(down.code, down.stderr).toBe(0);
    expect(await objects()).toBe('1/5');
    expect(await fails(`insert into public.items (id, code) values (1006, repeat('y', 51))`)).toMatch(/does not fit column "code"/);
    const back = await strata('rollback');
    expect(back.code, back.stderr).toBe(0);
    expect(await columns()).toBe(ORIGINAL);
    expect(await objects()).toBe('0/0');
    expect((await sql<{ r: string }>(`select code || '/' || qty || '/' || kind as r from public.items where id = 1004`))[0]!.r).toBe('new code/7/a');
  }, 600_000);
});
