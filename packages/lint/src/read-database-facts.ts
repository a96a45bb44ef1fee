import type { Queryable } from '@strata/db';
import type { Node } from '@strata/sql';
import { calledFunctions, keyOf, qualifiedFromList, walk, type QualifiedName } from './ast.js';
import { columnTypeFromCatalog } from './column-type.js';
import { LARGE_TABLE_ROWS, type DatabaseFacts, type TableFacts } from './database-facts.js';
import type { ParsedMigration } from './parse-migration.js';

/**
 * Reads what the rules need from a database: the size (pg_class.reltuples; a count bounded at
 * `LARGE_TABLE_ROWS` rows when the estimate is below it or the table was never analysed), columns
 * and validated NOT NULL checks of every table the migrations name, the tables of the indexes they
 * name, and the volatility of the functions they call. Reads only; takes no lock beyond ACCESS SHARE.
 *
 * @example
 * const facts = await readDatabaseFacts(db, parsed);
 * facts.tables.get(keyOf({ schema: 'public', name: 'users' }))?.rows // 2000000
 */
export async function readDatabaseFacts(db: Queryable, migrations: readonly ParsedMigration[]): Promise<DatabaseFacts> {
  const names = new Map<string, QualifiedName>();
  const functions = new Set<string>();
  for (const m of migrations) {
    for (const s of m.statements) {
      namedRelations(s.node).forEach((q) => names.set(keyOf(q), q));
      calledFunctions(s.node).forEach((f) => functions.add(f));
    }
  }
  const facts: DatabaseFacts = { tables: new Map(), indexes: new Map(), functions: new Map() };
  if (names.size === 0 && functions.size === 0) return facts;
  const schemas = [...names.values()].map((q) => q.schema);
  const rels = [...names.values()].map((q) => q.name);

  const indexRows = await db.query<{ schema: string; name: string; table_schema: string; table_name: string; columns: string }>(
    `select n.nspname as schema, i.relname as name, tn.nspname as table_schema, t.relname as table_name,
            coalesce((select json_agg(a.attname::text order by k.ord) from unnest(x.indkey::int2[]) with ordinality as k(attnum, ord)
                      join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum), '[]')::text as columns
       from pg_index x
       join pg_class i on i.oid = x.indexrelid join pg_namespace n on n.oid = i.relnamespace
       join pg_class t on t.oid = x.indrelid join pg_namespace tn on tn.oid = t.relnamespace
       join unnest($1::text[], $2::text[]) as w(s, r) on w.s = n.nspname and w.r = i.relname`,
    [schemas, rels],
  );
  for (const r of indexRows.rows) {
    const table = { schema: r.table_schema, name: r.table_name };
    facts.indexes.set(keyOf({ schema: r.schema, name: r.name }), { table, columns: JSON.parse(r.columns) as string[] });
    names.set(keyOf(table), table);
  }

  const tableRows = await db.query<{ oid: string; schema: string; name: string; kind: string; reltuples: string | number }>(
    `select c.oid::int8::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as kind, c.reltuples::float8 as reltuples
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join unnest($1::text[], $2::text[]) as w(s, r) on w.s = n.nspname and w.r = c.relname
      where c.relkind in ('r', 'p', 'm', 'f')`,
    [[...names.values()].map((q) => q.schema), [...names.values()].map((q) => q.name)],
  );
  const byOid = new Map<string, TableFacts>();
  for (const r of tableRows.rows) {
    let rows = Math.max(0, Number(r.reltuples));
    // The estimate is -1 before the first ANALYZE and may be stale on a small table: count up to the threshold.
    if (rows < LARGE_TABLE_ROWS && r.kind !== 'm') rows = await boundedCount(db, { schema: r.schema, name: r.name }) ?? rows;
    const t: TableFacts = { rows, columns: new Map(), notNullChecked: new Set() };
    facts.tables.set(keyOf({ schema: r.schema, name: r.name }), t);
    byOid.set(r.oid, t);
  }
  const oids = [...byOid.keys()];
  if (oids.length > 0) {
    const cols = await db.query<{ rel: string; name: string; typname: string; typmod: number | string; notnull: boolean }>(
      `select a.attrelid::int8::text as rel, a.attname::text as name, t.typname::text as typname, a.atttypmod as typmod, a.attnotnull as notnull
         from pg_attribute a join pg_type t on t.oid = a.atttypid
        where a.attrelid = any($1::int8[]::oid[]) and a.attnum > 0 and not a.attisdropped`,
      [oids],
    );
    for (const c of cols.rows) byOid.get(c.rel)?.columns.set(c.name, { type: columnTypeFromCatalog(c.typname, Number(c.typmod)), notNull: c.notnull });
    const checks = await db.query<{ rel: string; def: string }>(
      `select conrelid::int8::text as rel, pg_get_constraintdef(oid) as def from pg_constraint
        where contype = 'c' and convalidated and conrelid = any($1::int8[]::oid[])`,
      [oids],
    );
    for (const c of checks.rows) {
      const col = notNullCheckColumnOfDef(c.def);
      if (col) byOid.get(c.rel)?.notNullChecked.add(col);
    }
  }
  if (functions.size > 0) {
    const procs = await db.query<{ name: string; v: string }>(
      `select proname::text as name, max(provolatile::text) as v from pg_proc where proname = any($1::text[]) group by proname`,
      [[...functions]],
    );
    for (const p of procs.rows) facts.functions.set(p.name, p.v as 'i' | 's' | 'v');
  }
  return facts;
}

/** The column of a `CHECK ((col IS NOT NULL))` definition as pg_get_constraintdef prints it. */
export function notNullCheckColumnOfDef(def: string): string | null {
  const m = /^CHECK \(\((?:"((?:[^"]|"")+)"|([a-z_][a-z0-9_$]*)) IS NOT NULL\)\)(?: NOT VALID)?$/.exec(def);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replaceAll('""', '"') : m[2]!;
}

async function boundedCount(db: Queryable, q: QualifiedName): Promise<number | null> {
  const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
  try {
    const r = await db.query<{ n: string | number }>(`select count(*)::int8::text as n from (select 1 from ${ident(q.schema)}.${ident(q.name)} limit ${LARGE_TABLE_ROWS}) as x`);
    return Number(r.rows[0]?.n ?? 0);
  } catch {
    return null; // no privilege: keep the estimate
  }
}

/** Every relation a statement names: RangeVars anywhere in it, and the objects of DROP TABLE/INDEX. */
function namedRelations(node: Node): QualifiedName[] {
  const out: QualifiedName[] = [];
  walk(node, (_k, n) => {
    if (typeof n.relname === 'string') out.push({ schema: typeof n.schemaname === 'string' ? n.schemaname : 'public', name: n.relname });
  });
  if ('DropStmt' in node && (node.DropStmt.removeType === 'OBJECT_TABLE' || node.DropStmt.removeType === 'OBJECT_INDEX')) {
    for (const o of node.DropStmt.objects ?? []) {
      const q = 'List' in o ? qualifiedFromList(o.List.items) : null;
      if (q) out.push(q);
    }
  }
  // ADD CONSTRAINT … USING INDEX names an index in the table's schema.
  walk(node, (k, n) => {
    if (k === 'Constraint' && typeof n.indexname === 'string') out.push({ schema: 'public', name: n.indexname });
  });
  return out;
}
