import { StrataError, qualify } from '@strata/core';
import type { Queryable } from '@strata/db';
import type {
  ColumnInfo, ConstraintType, ForeignKeyInfo, RelationKind, RowCount, SchemaTable, TableDetail, TableSummary,
} from './api-types.js';
import { relationReferences } from './references.js';

// System schemas are never shown; everything else the user can see is.
const USER_RELATIONS = `
  n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
  and c.relkind in ('r', 'p', 'v', 'm', 'f')`;

const KINDS: Record<string, RelationKind> = {
  r: 'table', p: 'partitioned-table', v: 'view', m: 'materialized-view', f: 'foreign-table',
};

function kindOf(relkind: string): RelationKind {
  const k = KINDS[relkind];
  if (!k) throw new StrataError('INTERNAL', `unexpected relation kind "${relkind}"`);
  return k;
}

/** Counting stops here; past it the page shows "10,000+" (an exact count of a huge table is a full scan). */
export const COUNT_CAP = 10_000;
/** Past this many estimated rows, the planner's estimate is shown instead of counting. */
const ESTIMATE_ABOVE = 1_000_000;

/** Counts the rows `fromWhere` selects, stopping at COUNT_CAP. */
export async function cappedCount(q: Queryable, fromWhere: string, params: readonly unknown[] = []): Promise<RowCount> {
  const r = await q.query<{ n: number }>(`select count(*)::int4 as n from (select 1 from ${fromWhere} limit ${COUNT_CAP + 1}) s`, params);
  const n = r.rows[0]?.n ?? 0;
  return n > COUNT_CAP ? { value: COUNT_CAP, kind: 'at-least' } : { value: n, kind: 'exact' };
}

/**
 * Every table and view outside the system schemas, by schema, with row counts (exact up to
 * COUNT_CAP; the planner's estimate for tables it knows to be huge; none for views).
 *
 * @example
 * const tables = await listTables(db); // [{ schema: 'public', name: 'users', kind: 'table', rows: { value: 3, kind: 'exact' } }]
 */
export async function listTables(q: Queryable): Promise<TableSummary[]> {
  const r = await q.query<{ schema: string; name: string; relkind: string; estimate: number }>(
    `select n.nspname as schema, c.relname as name, c.relkind::text as relkind, c.reltuples::float8 as estimate
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATIONS}
      order by n.nspname, c.relname`,
  );
  const kinds = r.rows.map((t) => kindOf(t.relkind));
  const toCount = r.rows.filter((t, i) => kinds[i] !== 'view' && kinds[i] !== 'foreign-table' && t.estimate <= ESTIMATE_ABOVE);
  const counts = await countAll(q, toCount);
  return r.rows.map((t, i): TableSummary => {
    const kind = kinds[i]!;
    let rows: RowCount | null = null;
    if (kind !== 'view' && kind !== 'foreign-table') {
      rows = t.estimate > ESTIMATE_ABOVE ? { value: Math.round(t.estimate), kind: 'estimate' } : (counts.get(t) ?? null);
    }
    return { schema: t.schema, name: t.name, kind, rows };
  });
}

/**
 * Capped counts of many tables in one statement (the page polls the list); when that fails (a
 * table the user may not read), table by table, leaving out the ones that fail.
 */
async function countAll<T extends { schema: string; name: string }>(q: Queryable, tables: T[]): Promise<Map<T, RowCount>> {
  const out = new Map<T, RowCount>();
  const toCount = (n: number): RowCount => (n > COUNT_CAP ? { value: COUNT_CAP, kind: 'at-least' } : { value: n, kind: 'exact' });
  for (let start = 0; start < tables.length; start += 100) {
    const chunk = tables.slice(start, start + 100);
    const sql = `select ${chunk
      .map((t, i) => `(select count(*)::int4 from (select 1 from ${qualify(t.schema, t.name)} limit ${COUNT_CAP + 1}) s) as c${i}`)
      .join(', ')}`;
    try {
      const row = (await q.query<Record<string, number>>(sql)).rows[0] ?? {};
      chunk.forEach((t, i) => out.set(t, toCount(row[`c${i}`] ?? 0)));
    } catch {
      for (const t of chunk) {
        const c = await cappedCount(q, qualify(t.schema, t.name)).catch(() => null);
        if (c) out.set(t, c);
      }
    }
  }
  return out;
}

interface RelationRow { oid: number; relkind: string }

async function findRelation(q: Queryable, schema: string, name: string): Promise<RelationRow> {
  const r = await q.query<RelationRow>(
    `select c.oid, c.relkind::text as relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and ${USER_RELATIONS}`,
    [schema, name],
  );
  const rel = r.rows[0];
  if (!rel) {
    throw new StrataError('NOT_FOUND', `table ${qualify(schema, name)} does not exist`, { hint: 'It may have been dropped or renamed; refresh the list of tables.' });
  }
  return rel;
}

/**
 * One table's columns (with what the page needs to pick an input), its primary key, and why it
 * is read-only when it is.
 *
 * @example
 * const t = await describeTable(db, 'public', 'users'); t.primaryKey // ['id']
 */
export async function describeTable(q: Queryable, schema: string, name: string): Promise<TableDetail> {
  const rel = await findRelation(q, schema, name);
  const cols = await q.query<{
    name: string; type: string; type_name: string; category: string; typtype: string; enum_values: string[] | null;
    not_null: boolean; default: string | null; identity: string; generated: string; pk: boolean;
  }>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type, t.typname as type_name,
            t.typcategory::text as category, t.typtype::text as typtype,
            case when t.typtype = 'e' then (select json_agg(e.enumlabel order by e.enumsortorder) from pg_enum e where e.enumtypid = t.oid) end as enum_values,
            a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default,
            a.attidentity::text as identity, a.attgenerated::text as generated,
            exists (select 1 from pg_constraint p where p.conrelid = a.attrelid and p.contype = 'p' and a.attnum = any (p.conkey)) as pk
       from pg_attribute a
       join pg_type t on t.oid = a.atttypid
       left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [rel.oid],
  );
  const pk = await q.query<{ name: string }>(
    `select a.attname as name
       from pg_constraint p cross join lateral unnest(p.conkey) with ordinality k(attnum, ord)
       join pg_attribute a on a.attrelid = p.conrelid and a.attnum = k.attnum
      where p.conrelid = $1 and p.contype = 'p'
      order by k.ord`,
    [rel.oid],
  );
  const kind = kindOf(rel.relkind);
  const columns: ColumnInfo[] = cols.rows.map((c) => {
    const generated = c.generated !== '';
    const identity = c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by-default' : null;
    return {
      name: c.name,
      type: c.type,
      typeName: c.type_name,
      category: c.category,
      enumValues: c.enum_values,
      nullable: !c.not_null,
      default: c.default,
      identity,
      generated,
      primaryKey: c.pk,
      writable: !generated && identity !== 'always',
    };
  });
  const primaryKey = pk.rows.map((r) => r.name);
  let readOnly: string | null = null;
  if (kind !== 'table' && kind !== 'partitioned-table') readOnly = `a ${kind.replace('-', ' ')} is shown read-only`;
  else if (primaryKey.length === 0) readOnly = 'this table has no primary key, so a row cannot be named safely: it is shown read-only';
  const { outgoing, incoming } = await relationReferences(q, rel.oid);
  return { schema, name, kind, columns, primaryKey, readOnly, foreignKeys: outgoing, referencedBy: incoming };
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  p: 'primary-key', u: 'unique', f: 'foreign-key', c: 'check', x: 'exclusion', t: 'trigger',
};

/**
 * Every table's columns, indexes, constraints and foreign keys, for the schema view and its
 * entity-relationship diagram. NOT NULL constraints (PostgreSQL 18 lists them in pg_constraint)
 * are shown as the columns' nullability instead.
 *
 * @example
 * const tables = await readSchema(db); tables[0].foreignKeys
 */
export async function readSchema(q: Queryable): Promise<SchemaTable[]> {
  const rels = await q.query<{ oid: number; schema: string; name: string; relkind: string }>(
    `select c.oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where ${USER_RELATIONS}
      order by n.nspname, c.relname`,
  );
  const byOid = new Map<number, SchemaTable>();
  for (const r of rels.rows) {
    byOid.set(r.oid, { schema: r.schema, name: r.name, kind: kindOf(r.relkind), columns: [], indexes: [], constraints: [], foreignKeys: [] });
  }
  const oids = [...byOid.keys()];
  if (oids.length === 0) return [];
  const cols = await q.query<{ rel: number; name: string; type: string; not_null: boolean; default: string | null; pk: boolean }>(
    `select a.attrelid as rel, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
            pg_get_expr(d.adbin, d.adrelid) as default,
            exists (select 1 from pg_constraint p where p.conrelid = a.attrelid and p.contype = 'p' and a.attnum = any (p.conkey)) as pk
       from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where a.attrelid = any ($1::oid[]) and a.attnum > 0 and not a.attisdropped
      order by a.attrelid, a.attnum`,
    [oids],
  );
  for (const c of cols.rows) {
    byOid.get(c.rel)?.columns.push({ name: c.name, type: c.type, nullable: !c.not_null, default: c.default, primaryKey: c.pk });
  }
  const idx = await q.query<{ rel: number; name: string; definition: string; unique: boolean; primary: boolean }>(
    `select i.indrelid as rel, ic.relname as name, pg_get_indexdef(i.indexrelid) as definition, i.indisunique as unique, i.indisprimary as primary
       from pg_index i join pg_class ic on ic.oid = i.indexrelid
      where i.indrelid = any ($1::oid[])
      order by i.indrelid, ic.relname`,
    [oids],
  );
  for (const i of idx.rows) byOid.get(i.rel)?.indexes.push({ name: i.name, definition: i.definition, unique: i.unique, primary: i.primary });
  const cons = await q.query<{
    rel: number; name: string; type: string; definition: string; columns: string[] | null;
    ref_schema: string | null; ref_table: string | null; ref_columns: string[] | null;
  }>(
    `select con.conrelid as rel, con.conname as name, con.contype::text as type, pg_get_constraintdef(con.oid) as definition,
            (select json_agg(a.attname order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
            rn.nspname as ref_schema, rc.relname as ref_table,
            (select json_agg(a.attname order by k.ord) from unnest(con.confkey) with ordinality k(attnum, ord)
               join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as ref_columns
       from pg_constraint con
       left join pg_class rc on rc.oid = con.confrelid
       left join pg_namespace rn on rn.oid = rc.relnamespace
      where con.conrelid = any ($1::oid[]) and con.contype <> 'n'
      order by con.conrelid, con.contype, con.conname`,
    [oids],
  );
  for (const c of cons.rows) {
    const table = byOid.get(c.rel);
    const type = CONSTRAINT_TYPES[c.type];
    if (!table || !type) continue;
    table.constraints.push({ name: c.name, type, definition: c.definition });
    if (type === 'foreign-key' && c.ref_schema && c.ref_table) {
      const fk: ForeignKeyInfo = { name: c.name, columns: c.columns ?? [], refSchema: c.ref_schema, refTable: c.ref_table, refColumns: c.ref_columns ?? [] };
      table.foreignKeys.push(fk);
    }
  }
  return [...byOid.values()];
}

