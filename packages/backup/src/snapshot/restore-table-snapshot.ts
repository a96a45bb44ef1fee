import { qualify, quoteIdent, StrataError } from '@strata/core';
import type { DatabaseClient, Session } from '@strata/db';
import { tableLabel } from '../backup-format.js';
import type { ProgressCallback } from '../progress.js';
import { foreignKeyOrder, type FkEdge } from './foreign-key-order.js';
import { liveColumns, tableKey, type LiveColumn } from './live-columns.js';
import { readManifest } from './read-manifest.js';
import { snapshotSchema } from './snapshot-name.js';

/** What happened to one table. */
export interface RestoredTable {
  schema: string;
  name: string;
  rows: number;
  /** Columns restored from the snapshot. */
  columns: string[];
  /** Columns the snapshot has and the table no longer has: their values are not restored. */
  droppedColumns: string[];
  /** Columns added since the snapshot: filled by their default (or NULL). */
  newColumns: string[];
  /** Columns whose type changed since the snapshot: their values are cast to the new type. */
  retypedColumns: { name: string; from: string; to: string }[];
}

export interface SnapshotRestoreResult {
  name: string;
  tables: RestoredTable[];
  rows: number;
  /** Tables whose columns changed since the snapshot (`schema.table`). */
  changed: string[];
  /** Foreign keys set aside while rows were loaded (a cycle) and added back, checked. */
  foreignKeysReAdded: string[];
}

interface Plan {
  schema: string;
  name: string;
  copy: string;
  columns: LiveColumn[];
  restored: LiveColumn[];
  dropped: string[];
  added: string[];
  retyped: { name: string; from: string; to: string }[];
}

/**
 * Puts a snapshot's rows back, in one transaction: the tables are emptied together (refused when a
 * table outside the snapshot references one of them), filled in foreign-key order (keys inside a
 * cycle are dropped and added back, which checks them), and their serial and identity sequences
 * are moved past the restored ids. Columns are matched by name: a table whose columns changed is
 * reported, and refused when a new NOT NULL column without a default would have no value.
 *
 * @example
 * const r = await restoreTableSnapshot(db, 'before-v2'); console.log(r.changed);
 */
export async function restoreTableSnapshot(client: DatabaseClient, name: string, options: { onProgress?: ProgressCallback } = {}): Promise<SnapshotRestoreResult> {
  const schema = snapshotSchema(name);
  return client.session((session) =>
    session.transaction(async (tx) => {
      const manifest = await readManifest(tx, name, schema);
      const live = await liveColumns(tx, manifest.tables);
      const reasons: string[] = [];
      const plans: Plan[] = [];
      for (const t of manifest.tables) {
        const cols = live.get(tableKey(t));
        if (!cols) {
          reasons.push(`table ${tableLabel(t)} no longer exists`);
          continue;
        }
        const now = cols.filter((c) => !c.generated);
        const byName = new Map(now.map((c) => [c.name, c]));
        const had = new Set(t.columns.map((c) => c.name));
        const restored = now.filter((c) => had.has(c.name));
        const added = now.filter((c) => !had.has(c.name));
        for (const c of added) {
          if (c.notNull && !c.hasDefault && c.identity === '') {
            reasons.push(`${tableLabel(t)}.${c.name} was added since the snapshot, is NOT NULL and has no default: the snapshot has no value for it`);
          }
        }
        if (restored.length === 0 && t.columns.length > 0) reasons.push(`table ${tableLabel(t)} has none of the snapshot's columns any more`);
        plans.push({
          schema: t.schema, name: t.name, copy: t.copy, columns: cols, restored,
          dropped: t.columns.filter((c) => !byName.has(c.name)).map((c) => c.name),
          added: added.map((c) => c.name),
          retyped: t.columns.flatMap((c) => {
            const n = byName.get(c.name);
            return n && n.type !== c.type ? [{ name: c.name, from: c.type, to: n.type }] : [];
          }),
        });
      }
      const keys = plans.map(tableKey);
      const fks = await foreignKeys(tx);
      for (const fk of fks) {
        if (keys.includes(fk.to) && !keys.includes(fk.from)) {
          reasons.push(`${label(fk.from)} references ${label(fk.to)} (constraint ${fk.name}) but is not in the snapshot: its rows would point at replaced rows`);
        }
      }
      if (reasons.length > 0) {
        throw new StrataError('REFUSED', `cannot restore snapshot "${name}": ${reasons.length === 1 ? reasons[0] : `${reasons.length} problems`}`, {
          details: reasons.length === 1 ? [] : reasons,
          hint: 'Nothing was changed. Adjust the tables (or take the snapshot with the referencing tables too: --tables a,b).',
        });
      }

      const { order, cyclic } = foreignKeyOrder(keys, fks);
      await tx.exec(`TRUNCATE ONLY ${plans.map((p) => qualify(p.schema, p.name)).join(', ')}`);
      for (const fk of cyclic) await tx.exec(`ALTER TABLE ${qualifyKey(fk.from)} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
      const byKey = new Map(plans.map((p) => [tableKey(p), p]));
      const tables: RestoredTable[] = [];
      let rowsDone = 0;
      for (const [i, key] of order.entries()) {
        const p = byKey.get(key)!;
        options.onProgress?.({ phase: 'data', table: tableLabel(p), tableRows: 0, rowsDone, rowsTotal: 0, tablesDone: i, tablesTotal: order.length });
        const rows = await insertRows(tx, schema, p);
        await moveSequences(tx, p);
        rowsDone += rows;
        tables.push({
          schema: p.schema, name: p.name, rows, columns: p.restored.map((c) => c.name),
          droppedColumns: p.dropped, newColumns: p.added, retypedColumns: p.retyped,
        });
      }
      // Added back as they were; adding a foreign key checks every row, so a broken cycle fails here.
      for (const fk of cyclic) await tx.exec(`ALTER TABLE ${qualifyKey(fk.from)} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.definition}`);
      options.onProgress?.({ phase: 'done', table: null, tableRows: 0, rowsDone, rowsTotal: rowsDone, tablesDone: order.length, tablesTotal: order.length });
      return {
        name,
        tables,
        rows: rowsDone,
        changed: tables.filter((t) => t.droppedColumns.length + t.newColumns.length + t.retypedColumns.length > 0).map(tableLabel),
        foreignKeysReAdded: cyclic.map((fk) => `${label(fk.from)}.${fk.name}`),
      };
    }),
  );
}

const label = (key: string) => key.replace('\u0000', '.');
const qualifyKey = (key: string) => {
  const [schema, name] = key.split('\u0000') as [string, string];
  return qualify(schema, name);
};

async function foreignKeys(tx: Session): Promise<(FkEdge & { definition: string })[]> {
  const r = await tx.query<{ from_schema: string; from_table: string; to_schema: string; to_table: string; name: string; definition: string }>(
    `select cn.nspname as from_schema, c.relname as from_table, fn.nspname as to_schema, f.relname as to_table,
            con.conname as name, pg_get_constraintdef(con.oid) as definition
       from pg_constraint con
       join pg_class c on c.oid = con.conrelid join pg_namespace cn on cn.oid = c.relnamespace
       join pg_class f on f.oid = con.confrelid join pg_namespace fn on fn.oid = f.relnamespace
      where con.contype = 'f'`,
  );
  return r.rows.map((x) => ({
    from: tableKey({ schema: x.from_schema, name: x.from_table }), to: tableKey({ schema: x.to_schema, name: x.to_table }),
    name: x.name, definition: x.definition,
  }));
}

async function insertRows(tx: Session, schema: string, p: Plan): Promise<number> {
  if (p.restored.length === 0) {
    const n = await tx.query<{ n: string }>(`select count(*)::text as n from ${qualify(schema, p.copy)}`);
    const count = Number(n.rows[0]?.n ?? 0);
    if (count > 0) await tx.exec(`INSERT INTO ${qualify(p.schema, p.name)} SELECT FROM generate_series(1, ${count})`);
    return count;
  }
  const target = p.restored.map((c) => quoteIdent(c.name)).join(', ');
  // An explicit cast to today's type: text kept for enums and domains, and columns whose type changed.
  const source = p.restored.map((c) => `CAST(s.${quoteIdent(c.name)} AS ${c.type})`).join(', ');
  const r = await tx.query(
    `INSERT INTO ${qualify(p.schema, p.name)} (${target}) OVERRIDING SYSTEM VALUE SELECT ${source} FROM ${qualify(schema, p.copy)} s`,
  );
  return r.rowCount;
}

/** Moves each serial or identity sequence of the table past the largest restored value (never back). */
async function moveSequences(tx: Session, p: Plan): Promise<void> {
  const seqs = await tx.query<{ column: string; seq: string; increment: string }>(
    `select a.attname as "column", s.oid::regclass::text as seq, sq.seqincrement::text as increment
       from pg_depend d
       join pg_class s on s.oid = d.objid and s.relkind = 'S'
       join pg_sequence sq on sq.seqrelid = s.oid
       join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
      where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
        and d.refobjid = $1::regclass`,
    [qualify(p.schema, p.name)],
  );
  for (const s of seqs.rows) {
    if (!p.restored.some((c) => c.name === s.column)) continue;
    const up = !s.increment.startsWith('-');
    const edge = up ? 'max' : 'min';
    const cmp = up ? '>' : '<';
    await tx.query(
      `select pg_catalog.setval($1::regclass, x.v, true)
         from (select ${edge}(${quoteIdent(s.column)})::bigint as v from ${qualify(p.schema, p.name)}) x,
              (select last_value, is_called from ${s.seq}) cur
        where x.v is not null and (x.v ${cmp} cur.last_value or (x.v = cur.last_value and not cur.is_called))`,
      [s.seq],
    );
  }
}
