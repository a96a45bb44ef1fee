import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot } from '@strata/schema';
import { writeMigration } from '@strata/runner';
import type { BackendKind, Queryable } from '@strata/db';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';

const SEED = `
create schema "Shop ✓";
create type "Shop ✓".status as enum ('new', 'paid');
create table "Shop ✓".customers (id serial primary key, name text not null, best_order bigint);
create table "Shop ✓"."Orders ""2026""" (
  id bigint generated always as identity primary key,
  customer_id int not null references "Shop ✓".customers(id),
  status "Shop ✓".status not null default 'new',
  note text
);
alter table "Shop ✓".customers add constraint customers_best_fk foreign key (best_order) references "Shop ✓"."Orders ""2026"""(id);
insert into "Shop ✓".customers (name) select 'customer ' || g from generate_series(1, 50) g;
insert into "Shop ✓"."Orders ""2026""" (customer_id, status, note) select g % 50 + 1, case when g % 2 = 0 then 'paid'::"Shop ✓".status else 'new' end, E'line\\n' || g from generate_series(1, 2000) g;
update "Shop ✓".customers set best_order = id where id <= 10;
`;

/** Rows and an md5 of every table in the managed schemas, to compare two databases. */
async function contents(q: Queryable): Promise<Record<string, string>> {
  const t = await q.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and n.nspname !~ '^pg_' and n.nspname <> 'information_schema' order by 1, 2`,
  );
  const out: Record<string, string> = {};
  for (const x of t.rows) {
    const qn = `"${x.schema.replaceAll('"', '""')}"."${x.name.replaceAll('"', '""')}"`;
    const r = await q.query<{ v: string }>(`select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text collate "C")), '') as v from ${qn} t`);
    out[`${x.schema}.${x.name}`] = r.rows[0]!.v;
  }
  return out;
}

describeBackends('strata backup, restore and snapshot', (backend) => {
  const other: BackendKind = backend === 'pglite' ? 'postgres' : 'pglite';
  let src: TestDatabase;
  let dir: string;
  let expected: Record<string, string>;
  let file: string;
  const strata = (url: string, ...args: string[]) => runCli([...args, '--url', url], { cwd: dir, timeoutMs: 120_000 });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'strata-cli-backup-'));
    src = await createTestDatabase(backend);
    const db = await src.client();
    await db.exec(SEED);
    expected = await contents(db);
    await src.closeClient();
  });
  afterAll(async () => src?.dispose());

  it('backup writes a file named by database and time into ./backups', async () => {
    const r = await strata(src.url, 'backup');
    expect(r.code, r.stderr).toBe(0);
    // The folder also gets a .gitignore on first use (see private-files.test.ts).
    expect(readdirSync(join(dir, 'backups')).sort()).toEqual(['.gitignore', expect.stringMatching(/\.strata\.gz$/)]);
    const files = readdirSync(join(dir, 'backups')).filter((f) => f !== '.gitignore');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[\w.-]+-\d{8}T\d{6}Z\.strata\.gz$/);
    file = join(dir, 'backups', files[0]!);
    expect(r.stdout).toBe(`Backup written: backups/${files[0]} ${r.stdout.match(/\(2 tables, 2,050 rows, .+\)\n$/)?.[0]}`);
    const json = await strata(src.url, 'backup', '--out', 'copy.strata.gz', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, file: join(dir, 'copy.strata.gz'), rows: 2050, source: { backend }, notIncluded: [] });
    expect(json.stderr).not.toContain('warning');
    expect((await strata(src.url, 'backup', '--out', 'copy.strata.gz')).code).toBe(1);
  });

  it('backup names the functions and triggers it does not hold, so nobody learns it at restore', async () => {
    const db = await createTestDatabase(backend);
    try {
      const c = await db.client();
      await c.exec(`create schema app;
        create function app.org_id() returns int language sql as 'select 1';
        create table app.items (id int primary key, org int default app.org_id(), touched timestamptz);
        create function app.touch() returns trigger language plpgsql as $$ begin new.touched := now(); return new; end $$;
        create trigger "touch it" before update on app.items for each row execute function app.touch();`);
      await db.closeClient();
      const r = await strata(db.url, 'backup', '--out', `routines-${backend}.strata.gz`, '--json');
      expect(r.code, r.stderr).toBe(0);
      const listed = ['function "app"."org_id"()', 'function "app"."touch"()', 'trigger "touch it" on "app"."items"'];
      expect((JSON.parse(r.stdout) as { notIncluded: string[] }).notIncluded).toEqual(listed);
      expect(r.stderr).toContain(`warning: the backup holds no functions, procedures or triggers, and this database has 3: ${listed.join(', ')}.`);
    } finally {
      await db.dispose();
    }
  });

  it('restore loads it into an empty database and reports tables and rows', async () => {
    const target = await createTestDatabase(backend);
    try {
      const r = await strata(target.url, 'restore', file, '--json');
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report).toMatchObject({ ok: true, rows: 2050, dropped: 0 });
      expect(report.tables).toEqual([{ schema: 'Shop ✓', name: 'Orders "2026"', rows: 2000 }, { schema: 'Shop ✓', name: 'customers', rows: 50 }]);
      const t = await target.client();
      expect(await contents(t)).toEqual(expected);
      const next = await t.query<{ id: string }>(`insert into "Shop ✓"."Orders ""2026""" (customer_id) values (1) returning id::text as id`);
      expect(next.rows[0]?.id).toBe('2001');
      await target.closeClient();

      const again = await strata(target.url, 'restore', file);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('is not empty');
      expect(again.stderr).toContain('--clean');
      const unconfirmed = await strata(target.url, 'restore', file, '--clean');
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toContain('--yes');
      const clean = await strata(target.url, 'restore', file, '--clean', '--yes');
      expect(clean.code, clean.stderr).toBe(0);
      expect(clean.stdout).toMatch(/^Restored .+: 2 tables, 2,050 rows/);
      expect(await contents(await target.client())).toEqual(expected);
    } finally {
      await target.dispose();
    }
  });

  it(`restores into the other backend (${backend} → ${other})`, async () => {
    const target = await createTestDatabase(other);
    try {
      const r = await strata(target.url, 'restore', file);
      expect(r.code, r.stderr).toBe(0);
      expect(await contents(await target.client())).toEqual(expected);
    } finally {
      await target.dispose();
    }
  });

  it('refuses a damaged file with a clear message and leaves the target as it was', async () => {
    const target = await createTestDatabase(backend);
    try {
      const bytes = readFileSync(file);
      writeFileSync(join(dir, 'cut.strata.gz'), bytes.subarray(0, bytes.length - 200));
      const r = await strata(target.url, 'restore', 'cut.strata.gz');
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error .*cut\.strata\.gz: the file is truncated/);
      expect(r.stderr).toContain('nothing was restored');
      const t = await target.client();
      const objects = await t.query(`select 1 from pg_namespace where nspname = 'Shop ✓'`);
      expect(objects.rows).toEqual([]);
    } finally {
      await target.dispose();
    }
  });

  it('snapshot create, list, restore and drop', async () => {
    const target = await createTestDatabase(backend);
    try {
      expect((await strata(target.url, 'restore', file)).code).toBe(0);
      const created = await strata(target.url, 'snapshot', 'create', 'before-v2', '--tables', '"Shop ✓".customers,"Shop ✓"."Orders ""2026"""');
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toMatch(/^Snapshot before-v2: 2 tables, 2,050 rows/);
      const list = await strata(target.url, 'snapshot', 'list', '--json');
      expect(JSON.parse(list.stdout).snapshots).toMatchObject([{ name: 'before-v2', rows: 2050, tables: [{ rows: 2000 }, { rows: 50 }] }]);
      const human = await strata(target.url, 'snapshot', 'list');
      expect(human.stdout).toMatch(/^name\s+created \(UTC\)\s+tables\s+rows\s+size\nbefore-v2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+2\s+2,050\s+\d+/);

      const t = await target.client();
      await t.exec(`update "Shop ✓".customers set best_order = null; delete from "Shop ✓"."Orders ""2026""" where id > 100; update "Shop ✓".customers set name = 'x'`);
      expect(await contents(t)).not.toEqual(expected);
      await target.closeClient();

      const restored = await strata(target.url, 'snapshot', 'restore', 'before-v2', '--yes', '--json');
      expect(restored.code, restored.stderr).toBe(0);
      expect(JSON.parse(restored.stdout)).toMatchObject({ ok: true, rows: 2050, changed: [] });
      expect(await contents(await target.client())).toMatchObject(expected);
      await target.closeClient();

      expect((await strata(target.url, 'snapshot', 'create', 'bad name')).code).toBe(2);
      expect((await strata(target.url, 'snapshot', 'drop', 'before-v2')).stdout).toBe('Dropped snapshot before-v2 (2 tables)\n');
      expect((await strata(target.url, 'snapshot', 'list')).stdout).toBe('No snapshots.\n');
      expect((await strata(target.url, 'snapshot', 'restore', 'before-v2')).code).toBe(1);
    } finally {
      await target.dispose();
    }
  });

  it('migrate --backup backs up first and, when a migration fails, prints the restore command that undoes the run', async () => {
    const target = await createTestDatabase(backend);
    const p = mkdtempSync(join(tmpdir(), 'strata-cli-migrate-backup-'));
    try {
      const t = await target.client();
      await t.exec(`create table public.keep (id int primary key); insert into public.keep values (1), (2)`);
      await target.closeClient();
      writeFileSync(join(p, 'strata.config.ts'), `export default { schema: './schema.ts', out: './db/migrations' };`);
      const out = join(p, 'db/migrations');
      writeMigration(out, { name: 'ok', up: 'create table public.added (id int);\n--> statement-breakpoint\ndelete from public.keep where id = 1;', down: null, snapshot: emptySnapshot(), now: new Date('2026-03-01T00:00:00Z') });
      writeMigration(out, { name: 'broken', up: 'insert into public.keep values (2);', down: null, snapshot: emptySnapshot(), now: new Date('2026-03-01T00:01:00Z') });
      const r = await runCli(['migrate', '--backup', '--url', target.url], { cwd: p, timeoutMs: 120_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Backup written: backups\/[\w.-]+\.strata\.gz/);
      const command = r.stderr.match(/^\s+(strata restore .+)$/m)?.[1];
      expect(command).toMatch(/^strata restore backups\/\S+\.strata\.gz --clean --url \S+$/);
      const args = command!.split(' ').slice(1).map((a) => a.replace(/^'(.*)'$/, '$1'));
      const undo = await runCli([...args, '--yes'], { cwd: p, timeoutMs: 120_000 });
      expect(undo.code, undo.stderr).toBe(0);
      const after = await target.client();
      expect((await after.query(`select id from public.keep order by id`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
      expect((await after.query(`select to_regclass('public.added') as t, to_regclass('strata.migrations') as h`)).rows).toEqual([{ t: null, h: null }]);
      await target.closeClient();
    } finally {
      await target.dispose();
    }
  });
});
