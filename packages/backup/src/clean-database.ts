import { qualify, quoteIdent } from '@strata/core';
import type { Queryable } from '@strata/db';
import { listUserSchemas } from './catalog.js';

/**
 * Drops every user object of the database, inside the caller's transaction: schemas that hold
 * nothing of an extension go whole (`DROP SCHEMA … CASCADE`); in `public` and in schemas that hold
 * an extension's objects, each object goes on its own and the extension's stay.
 * Returns the schemas it dropped whole.
 */
export async function cleanDatabase(q: Queryable): Promise<string[]> {
  const schemas = await listUserSchemas(q);
  const withExtensions = new Set(
    (await q.query<{ name: string }>(
      `select distinct n.nspname as name from pg_depend d
         join pg_class c on d.classid = 'pg_class'::regclass and c.oid = d.objid
         join pg_namespace n on n.oid = c.relnamespace where d.deptype = 'e'
       union select distinct n.nspname from pg_depend d
         join pg_proc p on d.classid = 'pg_proc'::regclass and p.oid = d.objid
         join pg_namespace n on n.oid = p.pronamespace where d.deptype = 'e'
       union select distinct n.nspname from pg_depend d
         join pg_type t on d.classid = 'pg_type'::regclass and t.oid = d.objid
         join pg_namespace n on n.oid = t.typnamespace where d.deptype = 'e'`,
    )).rows.map((r) => r.name),
  );
  const whole = schemas.filter((s) => s !== 'public' && !withExtensions.has(s));
  for (const s of whole) await q.exec(`DROP SCHEMA ${quoteIdent(s)} CASCADE`);
  const byObject = schemas.filter((s) => !whole.includes(s));
  if (byObject.length === 0) return whole;

  const notExt = (cls: string, oid: string) =>
    `not exists (select 1 from pg_depend d where d.classid = '${cls}'::regclass and d.objid = ${oid} and d.deptype = 'e')`;
  const rels = await q.query<{ schema: string; name: string; kind: string }>(
    `select n.nspname as schema, c.relname as name, c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = any($1::text[]) and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f', 'c') and ${notExt('pg_class', 'c.oid')}`,
    [byObject],
  );
  const DROP: Record<string, string> = {
    r: 'TABLE', p: 'TABLE', v: 'VIEW', m: 'MATERIALIZED VIEW', S: 'SEQUENCE', f: 'FOREIGN TABLE', c: 'TYPE',
  };
  // Tables first: they take their serial and identity sequences with them (those cannot go alone).
  const order = 'rpfmvSc';
  const sorted = [...rels.rows].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const r of sorted) await q.exec(`DROP ${DROP[r.kind]} IF EXISTS ${qualify(r.schema, r.name)} CASCADE`);
  const types = await q.query<{ schema: string; name: string; kind: string }>(
    `select n.nspname as schema, t.typname as name, t.typtype::text as kind from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = any($1::text[]) and t.typtype in ('e', 'd', 'r') and ${notExt('pg_type', 't.oid')}`,
    [byObject],
  );
  for (const t of types.rows) await q.exec(`DROP ${t.kind === 'd' ? 'DOMAIN' : 'TYPE'} IF EXISTS ${qualify(t.schema, t.name)} CASCADE`);
  const routines = await q.query<{ schema: string; name: string; args: string; kind: string }>(
    `select n.nspname as schema, p.proname as name, pg_get_function_identity_arguments(p.oid) as args, p.prokind::text as kind
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = any($1::text[]) and ${notExt('pg_proc', 'p.oid')}`,
    [byObject],
  );
  for (const r of routines.rows) {
    await q.exec(`DROP ${r.kind === 'a' ? 'AGGREGATE' : 'ROUTINE'} IF EXISTS ${qualify(r.schema, r.name)}(${r.args}) CASCADE`);
  }
  return whole;
}
