import type { Column, Snapshot } from '@strata/schema';
import { serialKind } from '../column-type.js';
import { diffWithRenames } from '../diff-snapshots.js';
import { NO_RENAMES, refKey, type Renames } from '../rename-map.js';
import { backfillInBatches } from '../sql/guards.js';
import { mayBeVolatile } from '../sql/render-change.js';
import type { Diff, MigrationPart, ObjectRef } from '../types.js';
import { copyInBatches } from './sync-trigger.js';

/** A new NOT NULL column with a default on a table that exists: expand adds it nullable, contract makes it NOT NULL. */
export interface AddedColumn {
  table: ObjectRef;
  /** The column as the new side declares it (NOT NULL, with a default). */
  column: Column;
  /** Its default may be volatile (`gen_random_uuid()`): existing rows are filled in batches by the expand. */
  backfilled: boolean;
}

/**
 * The new NOT NULL columns with a default on tables that exist on both sides (not the target of a
 * rename): what `--multi-step` adds in two steps. Identity, serial and generated columns are filled
 * by PostgreSQL itself and are left to the plain plan.
 */
function addedNotNullColumns(prev: Snapshot, next: Snapshot, renames: Renames): AddedColumn[] {
  const out: AddedColumn[] = [];
  const renamedTo = new Set(renames.columns.map((r) => JSON.stringify([r.toTable.schema, r.toTable.name, r.to])));
  const renamedTables = new Set(renames.tables.map((r) => refKey(r.to.schema, r.to.name)));
  for (const [schemaName, s] of Object.entries(next.schemas)) {
    for (const [name, t] of Object.entries(s.tables)) {
      const old = prev.schemas[schemaName]?.tables[name];
      if (!old || renamedTables.has(refKey(schemaName, name))) continue;
      for (const c of t.columns) {
        if (!c.notNull || c.default === undefined || c.identity || c.generated || serialKind(c.type)) continue;
        if (old.columns.some((o) => o.name === c.name) || renamedTo.has(JSON.stringify([schemaName, name, c.name]))) continue;
        out.push({ table: { schema: schemaName, name }, column: c, backfilled: mayBeVolatile(c.default) });
      }
    }
  }
  return out;
}

/** The window's snapshot: the new side with the added columns nullable (their default kept). */
function relaxed(next: Snapshot, added: readonly AddedColumn[]): Snapshot {
  const out = JSON.parse(JSON.stringify(next)) as Snapshot;
  for (const a of added) {
    const c = out.schemas[a.table.schema]!.tables[a.table.name]!.columns.find((x) => x.name === a.column.name)!;
    c.notNull = false;
  }
  return out;
}

/**
 * The expand's parts with each volatile default's fill as the multi-step backfills are: reporting
 * its progress (`strata status` shows "backfilling n%"), and last.
 */
function withBackfillLast(parts: MigrationPart[], added: readonly AddedColumn[]): MigrationPart[] {
  const fills = new Map(added.filter((a) => a.backfilled).map((a) => [backfillInBatches(a.table, a.column.name), a]));
  const out = parts.map((p) => ({
    ...p,
    statements: p.statements.map((s) => {
      const a = fills.get(s.sql);
      return a ? { ...s, sql: copyInBatches(a.table, a.column.name, a.column.default!) } : s;
    }),
  }));
  const at = parts.findIndex((p) => p.statements.some((s) => fills.has(s.sql)));
  if (at < 0 || at === out.length - 1) return out;
  return [...out.slice(0, at), ...out.slice(at + 1), out[at]!];
}

const flat = (parts: MigrationPart[]) => parts.flatMap((p) => p.statements);

/**
 * The expand and contract migrations of new NOT NULL columns with a default on tables that exist
 * (null when there is none). Expand: every change of the diff, the columns added nullable with their
 * default (a constant default costs nothing: PostgreSQL keeps it in the catalog for existing rows;
 * a volatile one is added without it, set for new rows, and existing rows filled in batches as the
 * last, resumable part). Contract: NOT NULL by the check recipe (CHECK … NOT VALID, VALIDATE, SET
 * NOT NULL, the check dropped), which stops — naming the row — if a row still holds NULL. Downs:
 * the contract's drops NOT NULL, the expand's drops the columns.
 *
 * @example
 * const plan = planAddedNotNull(prev, next, renames, { unsafePlans: false });
 */
export function planAddedNotNull(prev: Snapshot, next: Snapshot, renames: Renames, options: { unsafePlans: boolean; serverMajor?: number }):
  { added: AddedColumn[]; expand: { diff: Diff; snapshot: Snapshot }; contract: { diff: Diff; snapshot: Snapshot } } | null {
  const added = addedNotNullColumns(prev, next, renames);
  if (added.length === 0) return null;
  const window = relaxed(next, added);
  const expandDiff = diffWithRenames(prev, window, renames, options);
  const upParts = withBackfillLast(expandDiff.upParts, added);
  const expand: Diff = { ...expandDiff, upParts, up: flat(upParts) };
  const contract = diffWithRenames(window, next, NO_RENAMES, options);
  return { added, expand: { diff: expand, snapshot: window }, contract: { diff: contract, snapshot: next } };
}
