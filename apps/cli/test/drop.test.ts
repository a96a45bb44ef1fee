import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, describeBackends, runCli, type TestDatabase } from '@strata/testing';
import { dropStatements, type DropItem } from '../src/commands/drop.js';

const W = 'We;ird --"schema';

/** Managed objects with awkward names, and things drop must leave alone. */
const SETUP = `
create schema "We;ird --""schema";
create type public."Mo""od" as enum ('a', 'b');
create type "We;ird --""schema".kind as enum ('x');
create sequence public."seq; --" start 5;
create table public."Users; --" (id serial primary key, mood public."Mo""od");
create table "We;ird --""schema"."select" (id int primary key, u int references public."Users; --" (id), k "We;ird --""schema".kind);
create view public."v ""1""" as select id from public."Users; --";
create materialized view "We;ird --""schema".mv as select id from "We;ird --""schema"."select";
create table public.keep_me (id int);
create schema other_team; create table other_team.theirs (id int references public."Users; --" (id));
create schema strata; create table strata.migrations (id int);
`;

const SCHEMA_CODE = `import { pgSchema, integer } from 'drizzle-orm/pg-core';
export const weird = pgSchema(${JSON.stringify(W)});
export const t = weird.table('select', { id: integer('id').primaryKey() });
`;

describeBackends('strata drop', (backend) => {
  let tdb: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    tdb = await createTestDatabase(backend);
    const db = await tdb.client();
    await db.exec(SETUP);
    await tdb.closeClient();
    dir = mkdtempSync(join(tmpdir(), 'strata-drop-'));
    symlinkSync(fileURLToPath(new URL('../../../packages/schema/node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'schema.ts'), SCHEMA_CODE);
    writeFileSync(join(dir, 'strata.config.ts'), `export default { schema: './schema.ts', tablesFilter: ['!keep_me'] };\n`);
  });
  afterAll(async () => tdb?.dispose());

  const objects = async () => {
    const db = await tdb.client();
    try {
      const r = await db.query<{ o: string }>(`
        select n.nspname || '.' || c.relname as o from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r', 'v', 'm', 'S') and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
        union all
        select n.nspname || '.' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace where t.typtype = 'e'
        union all
        select nspname from pg_namespace where nspname in ('strata', $1)
        order by 1`, [W]);
      return r.rows.map((x) => x.o);
    } finally {
      await tdb.closeClient();
    }
  };

  it('lists what it would drop and needs --force without a terminal', async () => {
    const r = await runCli(['drop', '--url', tdb.url], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--force');
    expect(await objects()).toContain('public.Users; --');
  });

  it('drops every managed object in one go, and nothing outside the managed schemas or tablesFilter', async () => {
    const r = await runCli(['drop', '--force', '--json', '--url', tdb.url], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { dropped: boolean; items: { kind: string; name: string }[] };
    expect(out.dropped).toBe(true);
    expect(out.items.map((i) => `${i.kind} ${i.name}`).sort()).toEqual([
      'view "public"."v ""1"""', 'materialized view "We;ird --""schema"."mv"',
      'table "public"."Users; --"', 'table "We;ird --""schema"."select"',
      'sequence "public"."seq; --"', 'type "public"."Mo""od"', 'type "We;ird --""schema"."kind"',
      'history "strata"', 'schema "We;ird --""schema"',
    ].sort());
    const left = await objects();
    // The other team's table stays (its foreign key to a dropped table went with CASCADE), so does the filtered-out table.
    expect(left).toContain('other_team.theirs');
    expect(left).toContain('public.keep_me');
    expect(left.filter((o) => o.startsWith('public.') && o !== 'public.keep_me')).toEqual([]);
    expect(left).not.toContain(W);
    expect(left).not.toContain('strata');
  });

  it('refuses when the config says production: true', async () => {
    const prod = mkdtempSync(join(tmpdir(), 'strata-drop-prod-'));
    writeFileSync(join(prod, 'strata.config.ts'), `export default { production: true };\n`);
    const r = await runCli(['drop', '--force', '--url', tdb.url], { cwd: prod });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('production: true');
  });
});

it('groups the drop statements by kind, keeping the plan order', () => {
  const item = (kind: string, name: string): DropItem => ({ kind, name, sql: `DROP ${kind} ${name}` }) as DropItem;
  expect(dropStatements([
    item('view', '"public"."v"'), item('table', '"public"."a"'), item('table', '"s"."b"'), item('sequence', '"public"."q"'),
    item('type', '"public"."e"'), item('history', '"strata"'),
  ])).toEqual([
    'DROP VIEW IF EXISTS "public"."v" CASCADE',
    'DROP TABLE IF EXISTS "public"."a", "s"."b" CASCADE',
    'DROP SEQUENCE IF EXISTS "public"."q" CASCADE',
    'DROP TYPE IF EXISTS "public"."e" CASCADE',
    'DROP history "strata"',
  ]);
});
