import { StrataError, qualify, quoteIdent } from '@strata/core';
import type { Column, Snapshot, Table } from '@strata/schema';
import { castSql, rewritesTable, serialKind, typeSql } from '../column-type.js';
import { q } from '../sql/ddl.js';
import type { MigrationPart, ObjectRef, Statement } from '../types.js';
import { fitSql } from './type-guard.js';
import { copyInBatches, createSyncTriggerSql, dropSyncTriggerStatements, syncFunctionSql, type SyncPair } from './sync-trigger.js';

/** A column whose type changes by a swap: a shadow column of the new type, synced, filled, then swapped into the old name. */
export interface SwappedColumn {
  table: ObjectRef;
  /** The column as the old side declares it. */
  from: Column;
  /** The column as the new side declares it (same name). */
  to: Column;
  /** The shadow column of the new type during the window. */
  shadow: string;
  /** The shadow column of the old type while the contract's down migration runs. */
  oldShadow: string;
}

const st = (sql: string, comment?: string): Statement => ({ sql, hazards: [], transactional: true, ...(comment ? { comment } : {}) });
const part = (statements: Statement[], reason: string, transactional = true): MigrationPart => ({ statements, transactional, reason });
const usesColumn = (t: Table, column: string) =>
  t.primaryKey?.columns.includes(column) ||
  Object.values(t.uniques).some((u) => u.columns.includes(column)) ||
  Object.values(t.foreignKeys).some((f) => f.columns.includes(column)) ||
  Object.values(t.indexes).some((ix) => ix.elements.some((e) => e.expression ? e.value.includes(column) : e.value === column)) ||
  Object.values(t.checks).some((c) => c.expression.includes(column));

/** A type change on a table that exists on both sides and rewrites it (integer → bigint, …): what `--multi-step` swaps. */
export function swappedColumns(prev: Snapshot, next: Snapshot): SwappedColumn[] {
  const out: SwappedColumn[] = [];
  for (const [schemaName, s] of Object.entries(next.schemas)) {
    for (const [name, t] of Object.entries(s.tables)) {
      const old = prev.schemas[schemaName]?.tables[name];
      if (!old) continue;
      for (const to of t.columns) {
        const from = old.columns.find((c) => c.name === to.name);
        if (!from || typeSql(from) === typeSql(to) || !rewritesTable(from, to)) continue;
        const where = `${qualify(schemaName, name)}.${quoteIdent(to.name)}`;
        const referenced = Object.values(next.schemas).some((x) => Object.values(x.tables).some((o) =>
          Object.values(o.foreignKeys).some((f) => f.foreignSchema === schemaName && f.foreignTable === name && f.foreignColumns.includes(to.name))));
        if (from.identity || to.identity || from.generated || to.generated || serialKind(to.type) || serialKind(from.type) || usesColumn(old, from.name) || usesColumn(t, to.name) || referenced) {
          throw new StrataError('USAGE', `--multi-step cannot change the type of ${where} yet: it is a key, indexed, constrained, referenced, identity, serial or generated column`, {
            hint: 'Swapping such a column (its indexes and constraints rebuilt, referencing foreign keys widened) is not built yet; use --unsafe-plans for a table known to be small, or do it in steps by hand (docs/multi-step.md).',
          });
        }
        out.push({ table: { schema: schemaName, name }, from, to, shadow: `${to.name}_strata_new`.slice(0, 63), oldShadow: `${to.name}_strata_old`.slice(0, 63) });
      }
    }
  }
  return out;
}

/** The window's snapshot of a swap: the old column as it was, the shadow column of the new type relaxed (nullable, no default). */
export function swapWindow(next: Snapshot, columns: readonly SwappedColumn[]): Snapshot {
  const out = JSON.parse(JSON.stringify(next)) as Snapshot;
  for (const c of columns) {
    const t = out.schemas[c.table.schema]!.tables[c.table.name]!;
    const at = t.columns.findIndex((x) => x.name === c.to.name);
    const { default: _d, ...shadow } = { ...c.to, name: c.shadow, notNull: false };
    t.columns.splice(at, 1, JSON.parse(JSON.stringify(c.from)) as Column, shadow);
  }
  return out;
}

// To the new type through `fitSql`: a value that does not fit fails loudly (no silent truncation).
const pairOf = (from: string, to: string, c: SwappedColumn): SyncPair => ({
  from, to, toFromSql: fitSql('$1', c), fromFromSql: castSql('$1', c.to, c.from),
});

function byTable<T extends { table: ObjectRef }>(xs: readonly T[]): { table: ObjectRef; items: T[] }[] {
  const m = new Map<string, { table: ObjectRef; items: T[] }>();
  for (const x of xs) {
    const k = JSON.stringify([x.table.schema, x.table.name]);
    if (!m.has(k)) m.set(k, { table: x.table, items: [] });
    m.get(k)!.items.push(x);
  }
  return [...m.values()];
}

/** Above the contract's drop and rename: `strata lint` would call them breaking, but the window is over by then. */
export const CONTRACT_IGNORE = 'strata:ignore drop-column,rename-column the contract of a multi-step change: the code in production no longer uses the old column';

const checkName = (c: SwappedColumn, column: string) => `${c.table.name}_${column}_strata_not_null`.slice(0, 63);

/** NOT NULL on `column` without a scan under an exclusive lock: a NOT VALID check now, validated in its own transaction; SET NOT NULL happens in the swap. */
function notNullParts(cs: SwappedColumn[], column: (c: SwappedColumn) => string, whole: (c: SwappedColumn) => Column): MigrationPart[] {
  const need = cs.filter((c) => whole(c).notNull);
  if (need.length === 0) return [];
  return [
    part(need.map((c) => st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${quoteIdent(checkName(c, column(c)))} CHECK (${quoteIdent(column(c))} IS NOT NULL) NOT VALID`)), 'NOT NULL prepared by a check, NOT VALID (new rows checked at once)'),
    part(need.map((c) => st(`ALTER TABLE ${q(c.table)} VALIDATE CONSTRAINT ${quoteIdent(checkName(c, column(c)))}`)), 'the check validated in a transaction of its own: the scan does not block writes'),
  ];
}

/** SET NOT NULL (using the validated check) and the column's default, for a column just swapped in. */
function makeWhole(c: SwappedColumn, column: string, def: Column, checked: string): Statement[] {
  return [
    ...(def.notNull ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(column)} SET NOT NULL`), st(`ALTER TABLE ${q(c.table)} DROP CONSTRAINT ${quoteIdent(checkName(c, checked))}`)] : []),
    ...(def.default !== undefined ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(column)} SET DEFAULT ${def.default}`)] : []),
  ];
}

/**
 * The SQL of a swap's phases besides what the snapshot diff writes: the trigger and backfill of the
 * expand, the contract (shadow made NOT NULL by a validated check, then one short transaction: the
 * trigger and the old column dropped, the shadow renamed into its place, NOT NULL and the default
 * set) and the contract's down (an old-typed shadow added, synced, filled and swapped back, the
 * window's trigger restored).
 *
 * @example
 * const sql = swapParts(swappedColumns(prev, next));
 */
export function swapParts(columns: readonly SwappedColumn[]): {
  trigger: MigrationPart; backfill: MigrationPart; dropTrigger: Statement[]; contract: MigrationPart[]; contractDown: MigrationPart[];
} {
  const tables = byTable(columns);
  const windowFn = (t: { table: ObjectRef; items: SwappedColumn[] }) => syncFunctionSql(t.table, t.items.map((c) => pairOf(c.to.name, c.shadow, c)), 'to');
  const trigger = part(tables.flatMap((t) => [
    st(windowFn(t), `keeps ${t.items.map((c) => `${quoteIdent(c.to.name)} (${typeSql(c.from, { base: true })}) and ${quoteIdent(c.shadow)} (${typeSql(c.to, { base: true })})`).join(', ')} in sync until the contract migration swaps them`),
    st(createSyncTriggerSql(t.table)),
  ]), 'the sync trigger: rows written during the window get both columns');
  const backfill = part(columns.map((c) => ({ ...st(copyInBatches(c.table, c.shadow, fitSql(quoteIdent(c.from.name), c)), `fill ${quoteIdent(c.shadow)} of the existing rows`), transactional: false })),
    'the backfill: existing rows get the new-typed column, one batch of pages per transaction (resumable)', false);
  const cs = [...columns];
  const contract: MigrationPart[] = [
    ...notNullParts(cs, (c) => c.shadow, (c) => c.to),
    part(tables.flatMap((t) => [
      ...dropSyncTriggerStatements(t.table),
      ...t.items.flatMap((c) => [
        st(`ALTER TABLE ${q(c.table)} DROP COLUMN ${quoteIdent(c.from.name)}`, `${CONTRACT_IGNORE} (the swap: ${quoteIdent(c.shadow)} takes the place of ${quoteIdent(c.from.name)} in one short transaction)`),
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.shadow)} TO ${quoteIdent(c.to.name)}`, CONTRACT_IGNORE),
        ...makeWhole(c, c.to.name, c.to, c.shadow),
      ]),
    ]), 'the swap, in one short transaction'),
  ];
  const downFn = (t: { table: ObjectRef; items: SwappedColumn[] }) => syncFunctionSql(t.table, t.items.map((c) => pairOf(c.oldShadow, c.to.name, c)), 'from');
  const contractDown: MigrationPart[] = [
    part(tables.flatMap((t) => [
      ...t.items.map((c) => st(`ALTER TABLE ${q(c.table)} ADD COLUMN ${quoteIdent(c.oldShadow)} ${typeSql(c.from)}`)),
      st(downFn(t)), st(createSyncTriggerSql(t.table)),
    ]), 'the old-typed column back as a shadow, kept in sync'),
    part(columns.map((c) => ({ ...st(copyInBatches(c.table, c.oldShadow, castSql(quoteIdent(c.to.name), c.to, c.from))), transactional: false })), 'its backfill, one batch of pages per transaction', false),
    ...notNullParts(cs, (c) => c.oldShadow, (c) => c.from),
    part(tables.flatMap((t) => [
      ...t.items.flatMap((c) => [
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.to.name)} TO ${quoteIdent(c.shadow)}`),
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.oldShadow)} TO ${quoteIdent(c.from.name)}`),
        ...(c.to.notNull ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.shadow)} DROP NOT NULL`)] : []),
        ...(c.to.default !== undefined ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.shadow)} DROP DEFAULT`)] : []),
        ...makeWhole(c, c.from.name, c.from, c.oldShadow),
      ]),
      st(windowFn(t)),
    ]), 'the swap back, in one short transaction, and the window\'s trigger'),
  ];
  return { trigger, backfill, dropTrigger: tables.flatMap((t) => dropSyncTriggerStatements(t.table)), contract, contractDown };
}
