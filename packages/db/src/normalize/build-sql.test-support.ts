import { qualify, quoteIdent } from '@strata/core';
import type { Column, Index, Snapshot, Table, View } from '@strata/schema';

/**
 * TEST SUPPORT ONLY: a small Snapshot → DDL builder, standing in for `createSnapshotSql` of
 * `@strata/diff` until that exists, so normalisation can be tested end to end. It writes every
 * object kind the tests use, plainly, in dependency order.
 */
export function buildSqlForTests(snapshot: Snapshot): string[] {
  const out: string[] = [];
  const defs = Object.values(snapshot.schemas);
  for (const d of defs) if (d.name !== 'public') out.push(`CREATE SCHEMA ${quoteIdent(d.name)}`);
  for (const d of defs) {
    for (const e of Object.values(d.enums)) {
      out.push(`CREATE TYPE ${qualify(e.schema, e.name)} AS ENUM (${e.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`);
    }
    for (const s of Object.values(d.sequences)) {
      out.push(`CREATE SEQUENCE ${qualify(s.schema, s.name)} AS ${s.dataType} INCREMENT BY ${s.increment} MINVALUE ${s.minValue} MAXVALUE ${s.maxValue} START WITH ${s.start} CACHE ${s.cache}${s.cycle ? ' CYCLE' : ''}`);
    }
  }
  for (const d of defs) for (const t of Object.values(d.tables)) out.push(createTable(t));
  for (const d of defs) {
    for (const t of Object.values(d.tables)) {
      const name = qualify(t.schema, t.name);
      for (const f of Object.values(t.foreignKeys)) {
        out.push(`ALTER TABLE ${name} ADD CONSTRAINT ${quoteIdent(f.name)} FOREIGN KEY (${f.columns.map(quoteIdent).join(', ')}) REFERENCES ${qualify(f.foreignSchema, f.foreignTable)} (${f.foreignColumns.map(quoteIdent).join(', ')}) ON DELETE ${f.onDelete.toUpperCase()} ON UPDATE ${f.onUpdate.toUpperCase()}`);
      }
      for (const i of Object.values(t.indexes)) out.push(createIndex(t, i));
      if (t.rlsEnabled) out.push(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`);
      for (const p of Object.values(t.policies)) {
        const to = p.to.map((r) => (['public', 'current_user', 'current_role', 'session_user'].includes(r) ? r.toUpperCase() : quoteIdent(r))).join(', ');
        out.push(`CREATE POLICY ${quoteIdent(p.name)} ON ${name} AS ${p.as.toUpperCase()} FOR ${p.for.toUpperCase()} TO ${to}${p.using ? ` USING (${p.using})` : ''}${p.withCheck ? ` WITH CHECK (${p.withCheck})` : ''}`);
      }
    }
  }
  for (const d of defs) for (const v of Object.values(d.views)) out.push(createView(v));
  return out;
}

function columnSql(c: Column): string {
  const type = (c.typeSchema ? qualify(c.typeSchema, c.type) : c.type) + '[]'.repeat(c.dimensions);
  let sql = `${quoteIdent(c.name)} ${type}`;
  if (c.collation) sql += ` COLLATE ${quoteIdent(c.collation)}`;
  if (c.identity) {
    const i = c.identity;
    sql += ` GENERATED ${i.type === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (SEQUENCE NAME ${quoteIdent(i.sequenceName)} INCREMENT BY ${i.increment} MINVALUE ${i.minValue} MAXVALUE ${i.maxValue} START WITH ${i.start} CACHE ${i.cache}${i.cycle ? ' CYCLE' : ''})`;
  }
  if (c.generated) sql += ` GENERATED ALWAYS AS (${c.generated.expression}) STORED`;
  if (c.default !== undefined) sql += ` DEFAULT ${c.default}`;
  if (c.notNull) sql += ' NOT NULL';
  return sql;
}

function createTable(t: Table): string {
  const parts = t.columns.map(columnSql);
  if (t.primaryKey) parts.push(`CONSTRAINT ${quoteIdent(t.primaryKey.name)} PRIMARY KEY (${t.primaryKey.columns.map(quoteIdent).join(', ')})`);
  for (const u of Object.values(t.uniques)) {
    parts.push(`CONSTRAINT ${quoteIdent(u.name)} UNIQUE${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${u.columns.map(quoteIdent).join(', ')})`);
  }
  for (const c of Object.values(t.checks)) parts.push(`CONSTRAINT ${quoteIdent(c.name)} CHECK (${c.expression})`);
  return `CREATE TABLE ${qualify(t.schema, t.name)} (\n  ${parts.join(',\n  ')}\n)`;
}

function createIndex(t: Table, i: Index): string {
  const elements = i.elements.map((e) => {
    let sql = e.expression ? `(${e.value})` : quoteIdent(e.value);
    if (e.collation) sql += ` COLLATE ${quoteIdent(e.collation)}`;
    if (e.opclass) sql += ` ${e.opclass}`;
    sql += e.desc ? ' DESC' : ' ASC';
    sql += e.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST';
    return sql;
  });
  const withSql = i.with ? ` WITH (${Object.entries(i.with).map(([k, v]) => `${k} = ${v}`).join(', ')})` : '';
  return `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${qualify(t.schema, t.name)} USING ${i.method} (${elements.join(', ')})${i.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${withSql}${i.where ? ` WHERE ${i.where}` : ''}`;
}

function createView(v: View): string {
  const withSql = v.with ? ` WITH (${Object.entries(v.with).map(([k, val]) => `${k} = ${val}`).join(', ')})` : '';
  return `CREATE ${v.materialized ? 'MATERIALIZED ' : ''}VIEW ${qualify(v.schema, v.name)}${withSql} AS ${v.definition}${v.materialized && v.withNoData ? ' WITH NO DATA' : ''}`;
}
