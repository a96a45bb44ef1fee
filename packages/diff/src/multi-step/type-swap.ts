import { StrataError, makeObjectName, qualify, quoteIdent, quoteLiteral, taggedObjectName } from '@strata/core';
import type { CheckConstraint, Column, Snapshot, Table } from '@strata/schema';
import { baseType, castSql, rewritesTable, serialKind, typeSql } from '../column-type.js';
import { identitySql, q } from '../sql/ddl.js';
import type { MigrationPart, ObjectRef, Statement } from '../types.js';
import {
  addForeignKeys, attachStatements, buildPreparedSql, detachStatements, dropForeignKeys, keyObjectsOn, preparedIndexes, touchedForeignKeys,
  validateForeignKeys, type KeyObjects, type TouchedForeignKey,
} from './key-objects.js';
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
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const tableKey = (t: ObjectRef) => JSON.stringify([t.schema, t.name]);

/** Whether `text` (a check or an index expression or predicate) names `column`, bare or quoted. */
function mentions(text: string, column: string): boolean {
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_$"])("${esc(column.replace(/"/g, '""'))}"|${esc(column)})($|[^A-Za-z0-9_$"])`).test(text);
}

/** What a swap cannot carry yet: a check, an expression or partial index on the column. Null when it can. */
function notCarried(t: Table, column: string): string | null {
  if (Object.values(t.checks).some((c) => mentions(c.expression, column))) return 'a check constraint uses it';
  for (const ix of Object.values(t.indexes)) {
    if (ix.elements.some((e) => e.expression && mentions(e.value, column)) || (ix.where && mentions(ix.where, column))) return `index ${quoteIdent(ix.name)} uses it in an expression or predicate`;
  }
  return null;
}

const usage = (where: string, why: string, hint: string) => new StrataError('USAGE', `--multi-step cannot change the type of ${where} yet: ${why}`, { hint });
const HINT_SMALL = 'Use --unsafe-plans for a table known to be small, or do it in steps by hand (docs/multi-step.md).';

/**
 * The type changes on tables that exist on both sides that rewrite the table (integer → bigint, …):
 * what `--multi-step` swaps. A key, unique, indexed, foreign-key or serial column is swapped with
 * its keys and indexes rebuilt beforehand; a column other tables reference is swapped together
 * with the referencing columns, which the schema code must widen too (in the same change).
 *
 * @example
 * swappedColumns(prev, next) // => [{ table: { schema: 'public', name: 'users' }, from, to, shadow: 'id_strata_new', oldShadow: 'id_strata_old' }]
 */
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
        if (from.generated || to.generated) throw usage(where, 'it is a generated column', `Change its expression's type in a separate step; ${HINT_SMALL}`);
        if (!!from.identity !== !!to.identity) {
          throw usage(where, 'it becomes or stops being an identity column', `Change the type and the identity in separate steps; ${HINT_SMALL}`);
        }
        if (!!serialKind(from.type) !== !!serialKind(to.type)) {
          throw usage(where, 'it changes from or to a serial type', `Change serial to bigserial (or the other way) keeping it serial, or change the default in a separate step; ${HINT_SMALL}`);
        }
        const why = notCarried(old, from.name) ?? notCarried(t, to.name);
        if (why) throw usage(where, why, `Rebuilding checks and expression or partial indexes on the shadow column is not built yet; ${HINT_SMALL}`);
        out.push({ table: { schema: schemaName, name }, from, to, shadow: taggedObjectName(to.name, 'strata_new'), oldShadow: taggedObjectName(to.name, 'strata_old') });
      }
    }
  }
  // A key others reference: the referencing columns are swapped in the same change, so the schema code must widen them too.
  const swapped = (table: ObjectRef, column: string) => out.some((c) => tableKey(c.table) === tableKey(table) && c.to.name === column);
  for (const f of touchedForeignKeys(next, swapped)) {
    const target = { schema: f.foreignKey.foreignSchema, name: f.foreignKey.foreignTable };
    f.foreignKey.foreignColumns.forEach((rc, i) => {
      const fc = f.foreignKey.columns[i]!;
      const key = out.find((c) => tableKey(c.table) === tableKey(target) && c.to.name === rc);
      if (key && !swapped(f.table, fc)) {
        const fcol = next.schemas[f.table.schema]!.tables[f.table.name]!.columns.find((c) => c.name === fc)!;
        throw new StrataError('USAGE', `--multi-step widens the columns that reference ${qualify(target.schema, target.name)}.${quoteIdent(rc)} in the same change: declare ${q(f.table)}.${quoteIdent(fc)} as ${typeSql(key.to, { base: true })} in the schema code too (it is ${typeSql(fcol, { base: true })})`, {
          hint: `Foreign key ${quoteIdent(f.foreignKey.name)} would otherwise hold values its key outgrows; change both in the schema code and generate again.`,
        });
      }
    });
  }
  return out;
}

interface TableSwap {
  table: ObjectRef;
  items: SwappedColumn[];
  /** The keys, uniques and indexes on the swapped columns, as the schema code (and the window) declares them. */
  keys: KeyObjects;
}

function byTable(columns: readonly SwappedColumn[], next: Snapshot): TableSwap[] {
  const m = new Map<string, TableSwap>();
  for (const c of columns) {
    const k = tableKey(c.table);
    if (!m.has(k)) m.set(k, { table: c.table, items: [], keys: { table: c.table, primaryKey: undefined, uniques: [], indexes: [] } });
    m.get(k)!.items.push(c);
  }
  for (const t of m.values()) t.keys = keyObjectsOn(next.schemas[t.table.schema]!.tables[t.table.name]!, new Set(t.items.map((c) => c.to.name)));
  return [...m.values()];
}

const renamer = (t: TableSwap, which: 'shadow' | 'oldShadow') => (column: string) => t.items.find((c) => c.to.name === column)?.[which] ?? column;
const needsNotNull = (t: TableSwap, c: SwappedColumn, col: Column) => col.notNull || !!t.keys.primaryKey?.columns.includes(c.to.name);
const checkName = (c: SwappedColumn, column: string) => taggedObjectName(`${c.table.name}_${column}`, 'strata_not_null');
const notNullCheck = (c: SwappedColumn, column: string): CheckConstraint => ({ name: checkName(c, column), expression: `${quoteIdent(column)} IS NOT NULL` });

/**
 * The window's snapshots of a swap. `bare`: the schema code's snapshot with each swapped column
 * back as the old side declares it (its keys and indexes as declared) and a shadow column of the
 * new type beside it, relaxed (nullable, no default; a serial's base type, no sequence of its own).
 * `window`: `bare` plus what the expand prepares for the contract on the shadows: the unique and
 * plain indexes under their prepared names, and the NOT NULL checks.
 *
 * @example
 * const { bare, window } = swapWindow(next, swappedColumns(prev, next));
 */
export function swapWindow(next: Snapshot, columns: readonly SwappedColumn[]): { bare: Snapshot; window: Snapshot } {
  const bare = clone(next);
  for (const c of columns) {
    const t = bare.schemas[c.table.schema]!.tables[c.table.name]!;
    const at = t.columns.findIndex((x) => x.name === c.to.name);
    const { default: _d, identity: _i, ...shadow } = { ...c.to, name: c.shadow, notNull: false, type: baseType(c.to.type) };
    t.columns.splice(at, 1, clone(c.from), shadow);
  }
  const window = clone(bare);
  for (const ts of byTable(columns, next)) {
    const t = window.schemas[ts.table.schema]!.tables[ts.table.name]!;
    for (const ix of preparedIndexes(ts.keys, renamer(ts, 'shadow'), 'new')) t.indexes[ix.name] = ix;
    for (const c of ts.items) if (needsNotNull(ts, c, c.to)) t.checks[checkName(c, c.shadow)] = notNullCheck(c, c.shadow);
  }
  return { bare, window };
}

// To the new type through `fitSql`: a value that does not fit fails loudly (no silent truncation).
const pairOf = (from: string, to: string, c: SwappedColumn): SyncPair => ({
  from, to, toFromSql: fitSql('$1', c), fromFromSql: castSql('$1', c.to, c.from),
});

/** Above the contract's drop and rename: `strata lint` would call them breaking, but the window is over by then. */
export const CONTRACT_IGNORE = 'strata:ignore drop-column,rename-column the contract of a multi-step change: the code in production no longer uses the old column';

/** The sequence a serial column owns (`<table>_<column>_seq`). */
const sequenceOf = (c: SwappedColumn): string => qualify(c.table.schema, makeObjectName(c.table.name, c.to.name, 'seq'));

/** The checks that prove NOT NULL on `column` (NOT VALID: new rows checked at once), then their validation apart (the scan does not block writes). */
function notNullParts(ts: readonly TableSwap[], column: (c: SwappedColumn) => string, whole: (c: SwappedColumn) => Column): MigrationPart[] {
  const need = ts.flatMap((t) => t.items.filter((c) => needsNotNull(t, c, whole(c))));
  if (need.length === 0) return [];
  return [
    part(need.map((c) => st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${quoteIdent(checkName(c, column(c)))} CHECK (${quoteIdent(column(c))} IS NOT NULL) NOT VALID`)), 'NOT NULL prepared by a check, NOT VALID (new rows checked at once)'),
    part(need.map((c) => st(`ALTER TABLE ${q(c.table)} VALIDATE CONSTRAINT ${quoteIdent(checkName(c, column(c)))}`)), 'the check validated in a transaction of its own: the scan does not block writes'),
  ];
}

/** The prepared indexes built CONCURRENTLY, one no-transaction part each. */
const buildParts = (ts: readonly TableSwap[], which: 'shadow' | 'oldShadow', only?: 'unique'): MigrationPart[] =>
  ts.flatMap((t) => {
    const keys = only ? { ...t.keys, indexes: [] } : t.keys;
    return preparedIndexes(keys, renamer(t, which), which === 'shadow' ? 'new' : 'old').map((ix) =>
      part([{ ...st(buildPreparedSql(t.table, ix)), transactional: false }], `index ${quoteIdent(ix.name)} built concurrently for the swap (writes go on)`, false));
  });

/** SET NOT NULL (using the validated check, no scan) and the column's default (a serial's sequence) for a column just swapped in. */
function makeWhole(t: TableSwap, c: SwappedColumn, def: Column, checked: string): Statement[] {
  const tbl = q(c.table);
  const col = quoteIdent(c.to.name);
  const serial = serialKind(def.type);
  return [
    ...(needsNotNull(t, c, def) ? [st(`ALTER TABLE ${tbl} ALTER COLUMN ${col} SET NOT NULL`, `strata:ignore set-not-null the check ${quoteIdent(checkName(c, checked))}, validated before this transaction on the column renamed here, proves it: no scan`), st(`ALTER TABLE ${tbl} DROP CONSTRAINT ${quoteIdent(checkName(c, checked))}`)] : []),
    ...(def.default !== undefined ? [st(`ALTER TABLE ${tbl} ALTER COLUMN ${col} SET DEFAULT ${def.default}`)] : []),
    ...(serial ? [
      st(`ALTER TABLE ${tbl} ALTER COLUMN ${col} SET DEFAULT nextval(${quoteLiteral(sequenceOf(c))}::regclass)`),
      st(`ALTER SEQUENCE ${sequenceOf(c)} AS ${baseType(def.type)}`, 'the sequence takes the column\'s type; it goes on from its current value'),
    ] : []),
  ];
}

/**
 * Hands an identity over from the outgoing column to `incoming` (before the outgoing one is dropped
 * or loses its identity): the old sequence renamed out of the way, the identity added to `incoming`
 * with the declared options under the declared sequence name, and that sequence set to where the
 * old one was, so it goes on from its value. `incoming` is made NOT NULL first (by the validated
 * check: no scan), as an identity needs.
 */
function handOverIdentity(c: SwappedColumn, outgoing: Column, incoming: string, def: Column): Statement[] {
  if (!outgoing.identity || !def.identity) return [];
  const old = taggedObjectName(outgoing.identity.sequenceName, 'strata_old');
  const seq = qualify(c.table.schema, def.identity.sequenceName);
  return [
    st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(incoming)} SET NOT NULL`, `strata:ignore set-not-null the validated check ${quoteIdent(checkName(c, incoming))} proves it: no scan`),
    st(`ALTER SEQUENCE ${qualify(c.table.schema, outgoing.identity.sequenceName)} RENAME TO ${quoteIdent(old)}`),
    st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(incoming)} ADD ${identitySql(c.table, def.identity)}`),
    st(`SELECT setval(${quoteLiteral(seq)}, last_value, is_called) FROM ${qualify(c.table.schema, old)}`, 'the identity goes on from the old sequence\'s value'),
  ];
}

/** Moves a serial's sequence to `column` before the column that owns it is dropped or renamed away (a dropped owner drops its sequence). */
const ownSequence = (c: SwappedColumn, column: string): Statement[] =>
  serialKind(c.to.type) ? [st(`ALTER SEQUENCE ${sequenceOf(c)} OWNED BY ${q(c.table)}.${quoteIdent(column)}`)] : [];

/**
 * The SQL of a swap's phases besides what the snapshot diff writes. Expand: the trigger, the
 * backfill, then what the contract needs prepared (NOT NULL checks validated, the keys' unique
 * indexes and the plain indexes built CONCURRENTLY on the shadows); `unprepare` is the first part
 * of its down. Contract: one short transaction (triggers dropped, the foreign keys that use the
 * swapped columns dropped, each old column dropped and its shadow renamed into its place, NOT NULL
 * set by the validated check, default or sequence moved, keys attached `USING INDEX`, indexes
 * renamed to their declared names, foreign keys added NOT VALID), then each foreign key validated in
 * a part of its own. The contract's down does the same the other way round, and leaves the window
 * as the expand left it.
 *
 * @example
 * const sql = swapParts(swappedColumns(prev, next), next);
 */
export function swapParts(columns: readonly SwappedColumn[], next: Snapshot): {
  trigger: MigrationPart; backfill: MigrationPart; prepare: MigrationPart[]; unprepare: MigrationPart; contract: MigrationPart[]; contractDown: MigrationPart[];
} {
  const tables = byTable(columns, next);
  const swapped = (table: ObjectRef, column: string) => columns.some((c) => tableKey(c.table) === tableKey(table) && c.to.name === column);
  const fks: TouchedForeignKey[] = touchedForeignKeys(next, swapped);
  const windowFn = (t: TableSwap) => syncFunctionSql(t.table, t.items.map((c) => pairOf(c.to.name, c.shadow, c)), 'to');
  const trigger = part(tables.flatMap((t) => [
    st(windowFn(t), `keeps ${t.items.map((c) => `${quoteIdent(c.to.name)} (${typeSql(c.from, { base: true })}) and ${quoteIdent(c.shadow)} (${typeSql(c.to, { base: true })})`).join(', ')} in sync until the contract migration swaps them`),
    st(createSyncTriggerSql(t.table)),
  ]), 'the sync trigger: rows written during the window get both columns');
  const backfill = part(columns.map((c) => ({ ...st(copyInBatches(c.table, c.shadow, fitSql(quoteIdent(c.from.name), c)), `fill ${quoteIdent(c.shadow)} of the existing rows`), transactional: false })),
    'the backfill: existing rows get the new-typed column, one batch of pages per transaction (resumable)', false);
  const prepare = [...notNullParts(tables, (c) => c.shadow, (c) => c.to), ...buildParts(tables, 'shadow')];
  const unprepare = part([
    ...tables.flatMap((t) => dropSyncTriggerStatements(t.table)),
    ...tables.flatMap((t) => preparedIndexes(t.keys, renamer(t, 'shadow'), 'new').map((ix) => st(`DROP INDEX IF EXISTS ${qualify(t.table.schema, ix.name)}`))),
    ...tables.flatMap((t) => t.items.filter((c) => needsNotNull(t, c, c.to)).map((c) => st(`ALTER TABLE ${q(c.table)} DROP CONSTRAINT IF EXISTS ${quoteIdent(checkName(c, c.shadow))}`))),
  ], 'the trigger, and what the expand prepared on the shadow columns');
  // With more than one table, the swap locks them all first, the referencing ones before those they
  // reference: the order a writer's INSERT into a referencing table takes them (its own, then the
  // key's for the foreign-key check), so the swap queues behind writers instead of deadlocking with them.
  const referenced = (t: TableSwap) => fks.filter((f) => tableKey({ schema: f.foreignKey.foreignSchema, name: f.foreignKey.foreignTable }) === tableKey(t.table) && tableKey(f.table) !== tableKey(t.table)).length;
  const lockAll: Statement[] = tables.length < 2 ? [] : [st(`LOCK TABLE ${[...tables].sort((a, b) => referenced(a) - referenced(b)).map((t) => q(t.table)).join(', ')} IN ACCESS EXCLUSIVE MODE`,
    'strata:ignore lock-table the swap\'s one short transaction takes these locks anyway; the referencing tables first: the order writers take them in, so the swap waits its turn instead of deadlocking')];
  const validate = validateForeignKeys(fks).map((s) => part([s], 'the foreign key validated in a transaction of its own: the scan does not block writes'));

  const contract: MigrationPart[] = [
    part([
      ...lockAll,
      ...tables.flatMap((t) => dropSyncTriggerStatements(t.table)),
      ...dropForeignKeys(fks),
      ...tables.flatMap((t) => t.items.flatMap((c) => [
        ...ownSequence(c, c.shadow),
        ...handOverIdentity(c, c.from, c.shadow, c.to),
        st(`ALTER TABLE ${q(c.table)} DROP COLUMN ${quoteIdent(c.from.name)}`, `${CONTRACT_IGNORE} (the swap: ${quoteIdent(c.shadow)} takes the place of ${quoteIdent(c.from.name)} in one short transaction)`),
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.shadow)} TO ${quoteIdent(c.to.name)}`, CONTRACT_IGNORE),
        ...makeWhole(t, c, c.to, c.shadow),
      ])),
      ...tables.flatMap((t) => attachStatements(t.keys, 'new')),
      ...addForeignKeys(fks),
    ], 'the swap, in one short transaction'),
    ...validate,
  ];

  const downFn = (t: TableSwap) => syncFunctionSql(t.table, t.items.map((c) => pairOf(c.oldShadow, c.to.name, c)), 'from');
  const contractDown: MigrationPart[] = [
    part(tables.flatMap((t) => [
      ...t.items.map((c) => st(`ALTER TABLE ${q(c.table)} ADD COLUMN ${quoteIdent(c.oldShadow)} ${typeSql(c.from, { base: true })}`)),
      st(downFn(t)), st(createSyncTriggerSql(t.table)),
    ]), 'the old-typed column back as a shadow, kept in sync'),
    part(columns.map((c) => ({ ...st(copyInBatches(c.table, c.oldShadow, castSql(quoteIdent(c.to.name), c.to, c.from))), transactional: false })), 'its backfill, one batch of pages per transaction', false),
    ...notNullParts(tables, (c) => c.oldShadow, (c) => c.from),
    ...buildParts(tables, 'oldShadow'),
    part([
      ...lockAll,
      ...dropForeignKeys(fks),
      ...tables.flatMap((t) => detachStatements(t.keys, 'new')),
      ...tables.flatMap((t) => t.items.flatMap((c) => [
        ...ownSequence(c, c.oldShadow),
        ...handOverIdentity(c, c.to, c.oldShadow, c.from),
        ...(c.to.identity ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.to.name)} DROP IDENTITY`)] : []),
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.to.name)} TO ${quoteIdent(c.shadow)}`),
        st(`ALTER TABLE ${q(c.table)} RENAME COLUMN ${quoteIdent(c.oldShadow)} TO ${quoteIdent(c.from.name)}`),
        ...(needsNotNull(t, c, c.to) ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.shadow)} DROP NOT NULL`)] : []),
        ...(c.to.default !== undefined || serialKind(c.to.type) ? [st(`ALTER TABLE ${q(c.table)} ALTER COLUMN ${quoteIdent(c.shadow)} DROP DEFAULT`)] : []),
        ...makeWhole(t, c, c.from, c.oldShadow),
        ...(needsNotNull(t, c, c.to) ? [st(`ALTER TABLE ${q(c.table)} ADD CONSTRAINT ${quoteIdent(checkName(c, c.shadow))} CHECK (${quoteIdent(c.shadow)} IS NOT NULL) NOT VALID`)] : []),
      ])),
      ...tables.flatMap((t) => attachStatements(t.keys, 'old')),
      ...addForeignKeys(fks),
      ...tables.map((t) => st(windowFn(t))),
    ], 'the swap back, in one short transaction, and the window\'s trigger'),
    ...validate,
    ...tables.flatMap((t) => t.items.filter((c) => needsNotNull(t, c, c.to)).map((c) =>
      part([st(`ALTER TABLE ${q(c.table)} VALIDATE CONSTRAINT ${quoteIdent(checkName(c, c.shadow))}`)], 'the window\'s NOT NULL check on the shadow, validated apart'))),
    ...buildParts(tables, 'shadow', 'unique'),
  ];
  return { trigger, backfill, prepare, unprepare, contract, contractDown };
}
