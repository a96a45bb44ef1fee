import { StrataError, qualify, quoteIdent } from '@strata/core';
import type { Snapshot } from '@strata/schema';
import { castSql, serialKind, typeSql } from '../column-type.js';
import { diffWithRenames } from '../diff-snapshots.js';
import { NO_RENAMES, refKey, type Renames } from '../rename-map.js';
import { noRenameResolver, type RenameResolver } from '../rename-resolver.js';
import { resolveRenames } from '../resolve-renames.js';
import type { Diff, MigrationPart, ObjectRef, Statement } from '../types.js';
import { copyInBatches, createSyncTriggerSql, dropSyncTriggerStatements, syncFunctionSql, type SyncPair } from './sync-trigger.js';
import { contractDrop } from './contract-hazards.js';
import { CONTRACT_IGNORE, swapParts, swappedColumns, swapWindow, type SwappedColumn } from './type-swap.js';
import { planAddedNotNull, type AddedColumn } from './not-null-column.js';
import { swapGuards, withFitFunctions } from './type-guard.js';
import { windowSnapshot, type SyncedColumn } from './window-snapshot.js';
import { prebuildKeys, type PrebuiltKeys } from './prebuilt-keys.js';

/** The two linked migrations of a multi-step change. */
export interface MultiStepPlan {
  /** The renamed columns the change keeps in sync during the window. */
  columns: SyncedColumn[];
  /** The columns whose type changes by a swap (a shadow column of the new type, swapped in by the contract). */
  swaps: SwappedColumn[];
  /** New NOT NULL columns with a default: added nullable (and filled) by the expand, made NOT NULL by the contract. */
  added?: AddedColumn[];
  /** Adds the new columns, the sync trigger and the backfill (its last part). `snapshot`: the schema during the window. */
  expand: { diff: Diff; snapshot: Snapshot };
  /** Drops the trigger and the old columns and makes the new ones whole. `snapshot`: the new side. */
  contract: { diff: Diff; snapshot: Snapshot };
}

const st = (sql: string, comment?: string): Statement => ({ sql, hazards: [], transactional: true, ...(comment ? { comment } : {}) });
const col = (c: SyncedColumn, which: 'from' | 'to') => `${qualify(c.table.schema, c.table.name)}.${quoteIdent(c[which].name)}`;

/** Column renames on a table that exists on both sides (not renamed itself): what `--multi-step` turns into expand/contract. */
function syncedColumns(prev: Snapshot, next: Snapshot, renames: Renames): SyncedColumn[] {
  const out: SyncedColumn[] = [];
  for (const r of renames.columns) {
    if (refKey(r.fromTable.schema, r.fromTable.name) !== refKey(r.toTable.schema, r.toTable.name)) continue;
    const from = prev.schemas[r.fromTable.schema]?.tables[r.fromTable.name]?.columns.find((c) => c.name === r.from);
    const to = next.schemas[r.toTable.schema]?.tables[r.toTable.name]?.columns.find((c) => c.name === r.to);
    if (!from || !to) continue;
    if (to.identity || to.generated || serialKind(to.type) || from.identity || from.generated) {
      throw new StrataError('USAGE', `--multi-step cannot keep ${qualify(r.toTable.schema, r.toTable.name)}.${quoteIdent(r.to)} in sync: identity, serial and generated columns are renamed in one statement`, {
        hint: 'Generate this rename without --multi-step.',
      });
    }
    out.push({ table: r.toTable, from, to });
  }
  return out;
}

function pairsByTable(columns: readonly SyncedColumn[]): { table: ObjectRef; pairs: SyncPair[] }[] {
  const by = new Map<string, { table: ObjectRef; pairs: SyncPair[] }>();
  for (const c of columns) {
    const key = refKey(c.table.schema, c.table.name);
    if (!by.has(key)) by.set(key, { table: c.table, pairs: [] });
    const same = typeSql(c.from) === typeSql(c.to);
    by.get(key)!.pairs.push({
      from: c.from.name, to: c.to.name,
      toFromSql: same ? '$1' : castSql('$1', c.from, c.to),
      fromFromSql: same ? '$1' : castSql('$1', c.to, c.from),
    });
  }
  return [...by.values()];
}

const flat = (parts: MigrationPart[]) => parts.flatMap((p) => p.statements);
/** One diff's changes, warnings, plans and rewrites followed by another's (the first's other fields). */
const joined = (a: Diff, b: Diff): Diff => ({
  ...a, changes: [...a.changes, ...b.changes], warnings: [...a.warnings, ...b.warnings], plans: [...a.plans, ...b.plans], rewrites: [...a.rewrites, ...b.rewrites],
});
const withParts = (d: Diff, upParts: MigrationPart[], downParts: MigrationPart[], warnings: string[]): Diff => ({
  ...d, upParts, downParts, up: flat(upParts), down: flat(downParts), hazards: flat(upParts).flatMap((s) => s.hazards), warnings,
});

/**
 * Puts `statements` into the part that drops one of `columns`: at its start (the trigger goes in
 * the same transaction as the column it reads) or at its end (renames once the old objects are
 * gone). Without such a part, a part of their own at that end of the migration.
 */
function atColumnDrop(where: 'start' | 'end', parts: MigrationPart[], table: ObjectRef, columns: string[], statements: Statement[]): MigrationPart[] {
  const drop = dropsColumn(table, columns);
  const at = parts.findIndex((p) => p.transactional && p.statements.some((s) => drop.test(s.sql)));
  if (at < 0) return where === 'start' ? [{ statements, transactional: true }, ...parts] : [...parts, { statements, transactional: true }];
  return parts.map((p, i) => (i !== at ? p : { ...p, statements: where === 'start' ? [...statements, ...p.statements] : [...p.statements, ...statements] }));
}
/**
 * Puts the attaching of a prepared primary key at the end of the part that drops the key it
 * replaces (or, without one, that drops one of `columns`): the table is never without its key.
 */
function atKeyDrop(parts: MigrationPart[], keys: PrebuiltKeys['primaryKeys'], table: ObjectRef, columns: string[]): MigrationPart[] {
  const key = keys.find((k) => refKey(k.table.schema, k.table.name) === refKey(table.schema, table.name));
  if (!key) return parts;
  const dropKey = key.replaces === undefined ? null : `ALTER TABLE ${qualify(table.schema, table.name)} DROP CONSTRAINT ${quoteIdent(key.replaces)}`;
  const at = dropKey === null ? -1 : parts.findIndex((p) => p.transactional && p.statements.some((s) => s.sql === dropKey));
  if (at < 0) return atColumnDrop('end', parts, table, columns, key.statements);
  return parts.map((p, i) => (i !== at ? p : { ...p, statements: [...p.statements, ...key.statements] }));
}
/**
 * `parts` without the "inserts that leave it empty fail" hazard on the new columns: during the
 * window the trigger fills a new column from the old one on every write, so making it NOT NULL
 * (a primary key's column) breaks no running code.
 */
function filledByTrigger(parts: MigrationPart[], columns: readonly SyncedColumn[]): MigrationPart[] {
  const filled = new Set(columns.map((c) => col(c, 'to')));
  return parts.map((p) => ({
    ...p,
    statements: p.statements.map((s) => ({ ...s, hazards: s.hazards.filter((h) => !(h.kind === 'breaks-running-code' && filled.has(h.object))) })),
  }));
}
const dropsColumn = (table: ObjectRef, columns: string[]) =>
  new RegExp(`^ALTER TABLE ${escapeRegExp(qualify(table.schema, table.name))} DROP COLUMN (${columns.map((c) => escapeRegExp(quoteIdent(c))).join('|')})`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The expand and contract migrations of the column renames in `renames` whose table exists on
 * both sides — or of the type changes that would rewrite such a table (a shadow column of the new
 * type, swapped into the old name by the contract) — or null when there is none (then a plain diff is the answer). Expand: every other
 * change of the diff, the new columns added nullable without a default, one BEFORE trigger per
 * table keeping old and new in sync, and a batched backfill as its last part (outside a
 * transaction), then the new columns' indexes and uniques built concurrently. Contract: the
 * trigger dropped in the transaction that drops the old columns, the new columns made whole
 * (default, NOT NULL by the check recipe).
 * Both have exact down migrations: expand's removes the trigger and the new columns; contract's
 * adds the old columns back, syncs and refills them, and makes them whole again.
 *
 * @example
 * const plan = planMultiStep(prev, next, renames, { unsafePlans: false });
 * if (plan) writeFileSync('expand.sql', renderMigration(plan.expand.diff.upParts));
 */
export function planMultiStep(prev: Snapshot, next: Snapshot, renames: Renames, options: { unsafePlans: boolean; serverMajor?: number }): MultiStepPlan | null {
  const columns = syncedColumns(prev, next, renames);
  const swaps = swappedColumns(prev, next);
  if (swaps.length > 0 && columns.length > 0) {
    throw new StrataError('USAGE', '--multi-step takes column renames or type changes in one change, not both', {
      hint: 'Generate the renames first (schema code with the old types), then the type changes.',
    });
  }
  if (swaps.length > 0) return planSwap(prev, next, renames, swaps, options);
  if (columns.length === 0) {
    const added = planAddedNotNull(prev, next, renames, options);
    return added && { columns: [], swaps: [], ...added };
  }
  const synced = new Set(columns.map((c) => JSON.stringify([c.table.schema, c.table.name, c.from.name])));
  const otherRenames: Renames = { ...renames, columns: renames.columns.filter((r) => !synced.has(JSON.stringify([r.fromTable.schema, r.fromTable.name, r.from]))) };
  const window = windowSnapshot(prev, next, columns, 'from');
  const back = windowSnapshot(prev, next, columns, 'to');
  const tables = pairsByTable(columns);

  // Expand: prev → window, then the trigger, then the backfill.
  const expandDiff = diffWithRenames(prev, window, otherRenames, options);
  const trigger: MigrationPart = {
    transactional: true,
    reason: 'the sync trigger: rows written by the old or the new code get both columns',
    statements: tables.flatMap(({ table, pairs }) => [
      st(syncFunctionSql(table, pairs, 'to'), `keeps ${pairs.map((p) => `${quoteIdent(p.from)} and ${quoteIdent(p.to)}`).join(', ')} of ${qualify(table.schema, table.name)} in sync until the contract migration`),
      st(createSyncTriggerSql(table)),
    ]),
  };
  const fill = (which: 'from' | 'to'): MigrationPart => ({
    transactional: false,
    reason: `the backfill: existing rows get ${which === 'to' ? 'the new' : 'the old'} columns, one batch of pages per transaction (resumable)`,
    statements: columns.map((c) => {
      const pair = tables.find((t) => refKey(t.table.schema, t.table.name) === refKey(c.table.schema, c.table.name))!.pairs.find((p) => p.to === c.to.name)!;
      const [target, source] = which === 'to' ? [c.to.name, pair.toFromSql.split('$1').join(quoteIdent(c.from.name))] : [c.from.name, pair.fromFromSql.split('$1').join(quoteIdent(c.to.name))];
      return { ...st(copyInBatches(c.table, target, source), `fill ${col(c, which)} of the existing rows`), transactional: false };
    }),
  });
  // The new columns' indexes and uniques (and a primary key's index and NOT NULL) are built at the
  // end of the expand, CONCURRENTLY, once the backfill has filled the column: the new code reads
  // the new columns during the window and must find them indexed, and the contract is left with
  // the short transaction that drops the old column. They are built under a stand-in name where
  // the old column's object still holds the declared one, renamed by the contract.
  const pre = prebuildKeys(window, next, columns);
  const buildDiff = diffWithRenames(window, pre.prepared, NO_RENAMES, options);
  const expandUp = [...expandDiff.upParts, trigger, fill('to'), ...filledByTrigger(buildDiff.upParts, columns)];
  const expandDown = [
    ...buildDiff.downParts,
    { transactional: true, statements: tables.flatMap(({ table }) => dropSyncTriggerStatements(table)) },
    ...expandDiff.downParts,
  ];
  const expandAll = joined(expandDiff, buildDiff);
  const expand = withParts(expandAll, expandUp, expandDown, expandAll.warnings);

  // Contract: the window (with the new columns' objects built) → next. The trigger is dropped with
  // the old column, and what was built under a stand-in name takes its declared name in that
  // same transaction.
  const dropDiff = diffWithRenames(pre.prepared, pre.nextPrepared, NO_RENAMES, options);
  const dropOf = (s: Statement) => columns.find((c) => s.sql === `ALTER TABLE ${qualify(c.table.schema, c.table.name)} DROP COLUMN ${quoteIdent(c.from.name)}`);
  let contractUp = dropDiff.upParts.map((p) => ({
    ...p, statements: p.statements.map((s) => { const c = dropOf(s); return c ? contractDrop(s, c, CONTRACT_IGNORE) : s; }),
  }));
  for (const { table, pairs } of tables) {
    contractUp = atColumnDrop('start', contractUp, table, pairs.map((p) => p.from), dropSyncTriggerStatements(table));
    const renamed = pre.renames.find((r) => refKey(r.table.schema, r.table.name) === refKey(table.schema, table.name));
    if (renamed) contractUp = atColumnDrop('end', contractUp, table, pairs.map((p) => p.from), renamed.statements);
    contractUp = atKeyDrop(contractUp, pre.primaryKeys, table, pairs.map((p) => p.from));
  }
  // Its down: the old columns back relaxed, synced and refilled, then made whole as in the window:
  // their indexes and uniques built (CONCURRENTLY) before the new columns' are dropped, as above.
  const toBack = diffWithRenames(next, back, NO_RENAMES, options);
  const preBack = prebuildKeys(back, window, columns);
  const buildBack = diffWithRenames(back, preBack.prepared, NO_RENAMES, options);
  const backToWindow = diffWithRenames(preBack.prepared, preBack.nextPrepared, NO_RENAMES, options);
  const backRenames = preBack.renames.flatMap((r) => r.statements);
  let backToWindowParts = backToWindow.upParts;
  for (const { table, pairs } of tables) backToWindowParts = atKeyDrop(backToWindowParts, preBack.primaryKeys, table, pairs.map((p) => p.to));
  const contractDown: MigrationPart[] = [
    ...toBack.upParts,
    { ...trigger, statements: tables.flatMap(({ table, pairs }) => [st(syncFunctionSql(table, pairs, 'from')), st(createSyncTriggerSql(table))]) },
    fill('from'),
    ...buildBack.upParts,
    ...backToWindowParts,
    ...(backRenames.length > 0 ? [{ transactional: true, reason: 'the keys built beside the new columns\' take their declared names', statements: backRenames }] : []),
    { transactional: true, reason: 'the sync trigger as in the window', statements: tables.map(({ table, pairs }) => st(syncFunctionSql(table, pairs, 'to'))) },
    // The window as the expand left it: the new columns' objects built again (the way back dropped them with the new columns' constraints).
    ...buildDiff.upParts,
  ];
  const dropped = new Set(columns.map((c) => col(c, 'from')));
  const contractWarnings = dropDiff.warnings.filter((w) => ![...dropped].some((d) => w.startsWith(`column ${d} is dropped`)));
  const contract = withParts(dropDiff, contractUp, contractDown, contractWarnings);
  return { columns, swaps: [], expand: { diff: expand, snapshot: pre.prepared }, contract: { diff: contract, snapshot: next } };
}

/** A type change by swap: expand adds the new-typed shadow column, its trigger and backfill; contract swaps it in. */
function planSwap(prev: Snapshot, next: Snapshot, renames: Renames, swaps: SwappedColumn[], options: { unsafePlans: boolean }): MultiStepPlan {
  const { bare, window } = swapWindow(next, swaps);
  const guards = swapGuards(swaps, prev, next);
  const sql = withFitFunctions(swapParts(swaps, next), guards);
  const expandDiff = diffWithRenames(prev, bare, renames, options);
  const expand = withParts(expandDiff, [...(guards.guard ? [guards.guard] : []), ...expandDiff.upParts, sql.trigger, sql.backfill, ...sql.prepare], [sql.unprepare, ...expandDiff.downParts], expandDiff.warnings);
  const contract = withParts(diffWithRenames(next, next, NO_RENAMES, options), sql.contract, sql.contractDown, []);
  return { columns: [], swaps, expand: { diff: expand, snapshot: window }, contract: { diff: contract, snapshot: next } };
}

/**
 * `diffSnapshots` for `generate --multi-step`: the plain diff, and the multi-step plan when the
 * change holds a column rename on a table that exists (null otherwise: write the plain diff).
 *
 * @example
 * const { diff, multiStep } = await diffMultiStep(prev, next, { resolver: hintResolver(['users.name=users.full_name']) });
 */
export async function diffMultiStep(
  prev: Snapshot, next: Snapshot, options: { resolver?: RenameResolver; unsafePlans?: boolean; serverVersionNum?: number } = {},
): Promise<{ diff: Diff; multiStep: MultiStepPlan | null }> {
  const renames = await resolveRenames(prev, next, options.resolver ?? noRenameResolver);
  const plan = {
    unsafePlans: options.unsafePlans ?? false,
    ...(options.serverVersionNum ? { serverMajor: Math.floor(options.serverVersionNum / 10_000) } : {}),
  };
  const diff = diffWithRenames(prev, next, renames, plan);
  return { diff, multiStep: diff.changes.length === 0 ? null : planMultiStep(prev, next, renames, plan) };
}
