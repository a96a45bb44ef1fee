import type { View } from '@strata/schema';
import { mentions } from './mentions.js';
import { SLOTS, SLOT_INFO, lateKeyTables, planChange, planFacts, type Slot } from './sql/plan-change.js';
import { renderChange, type Direction } from './sql/render-change.js';
import type { Change, MigrationPart, PlanNote, Statement } from './types.js';

/**
 * When each kind of change runs. Drops of dependants come first and use the old names; then
 * schemas and renames (everything after uses the new names); then types, tables, columns; then
 * constraints, indexes, foreign keys (all tables exist by then, so cycles are fine), views, RLS.
 */
export function phaseOf(c: Change): number {
  // A table lookup: a switch over ~50 kinds compares strings one by one, and a big migration
  // asks this for every change (5,000 for 1,000 tables) on cold code.
  if (c.kind === 'add-column') return c.column.generated ? 54 : 53;
  // A narrowing type change fails while the identity's sequence still holds bounds of the wider type.
  if (c.kind === 'alter-identity' && c.beforeTypeChange) return 51.5;
  return PHASES[c.kind];
}

const PHASES: Record<Exclude<Change['kind'], 'add-column'>, number> = {
  'drop-view': 10,
  'drop-policy': 11,
  'drop-foreign-key': 12,
  'drop-index': 13,
  'drop-check': 13,
  'drop-unique': 13,
  'drop-primary-key': 14,
  'drop-table': 16,
  'drop-column': 17,
  'create-schema': 20,
  'rename-schema': 21,
  'rename-table': 23,
  'rename-enum': 23,
  'rename-view': 23,
  'rename-sequence': 24,
  'rename-column': 25,
  'rename-constraint': 26,
  'rename-index': 26,
  'rename-policy': 26,
  'create-enum': 30,
  'add-enum-value': 31,
  'rebuild-enum': 32,
  'create-sequence': 33,
  'alter-sequence': 33,
  'create-table': 40,
  'drop-generated-expression': 16.5,
  'drop-column-default': 50,
  'drop-identity': 50,
  'drop-serial': 50,
  'drop-not-null': 51,
  'alter-column-type': 52,
  'set-generated-expression': 54,
  'set-column-default': 55,
  'add-serial': 55,
  'set-not-null': 56,
  'add-identity': 57,
  'alter-identity': 57,
  'finish-enum-rebuild': 60,
  'drop-enum': 60,
  'drop-sequence': 60,
  'add-primary-key': 70,
  'add-unique': 71,
  'add-check': 71,
  'create-index': 72,
  'add-foreign-key': 73,
  'create-view': 80,
  'enable-rls': 90,
  'disable-rls': 90,
  'create-policy': 91,
  'drop-schema': 99,
};

/** Orders views so each comes after the views it reads (found by name, as in compareViews). */
function byDependency(views: View[]): View[] {
  const out: View[] = [];
  const placed = new Set<View>();
  const visiting = new Set<View>();
  const visit = (v: View) => {
    if (placed.has(v) || visiting.has(v)) return;
    visiting.add(v);
    for (const other of views) if (other !== v && mentions(v.definition, other.name)) visit(other);
    visiting.delete(v);
    placed.add(v);
    out.push(v);
  };
  for (const v of views) visit(v);
  return out;
}

/** Changes in the order they can run. */
function orderChanges(changes: readonly Change[]): Change[] {
  const indexed = changes.map((c, i) => ({ c, i, phase: phaseOf(c) }));
  indexed.sort((a, b) => a.phase - b.phase || a.i - b.i);
  const ordered = indexed.map((x) => x.c);
  // Views: created after the views they read, dropped before them.
  const creates = ordered.filter((c): c is Extract<Change, { kind: 'create-view' }> => c.kind === 'create-view');
  const drops = ordered.filter((c): c is Extract<Change, { kind: 'drop-view' }> => c.kind === 'drop-view');
  const createOrder = byDependency(creates.map((c) => c.view));
  const dropOrder = byDependency(drops.map((c) => c.view)).reverse();
  let ci = 0;
  let di = 0;
  const final = ordered.map((c) => {
    if (c.kind === 'create-view') {
      const v = createOrder[ci++];
      return creates.find((x) => x.view === v)!;
    }
    if (c.kind === 'drop-view') {
      const v = dropOrder[di++];
      return drops.find((x) => x.view === v)!;
    }
    return c;
  });
  return final;
}

/** Changes in the order they can run, rendered as plain statements (one transaction: building a schema from nothing). */
export function planStatements(changes: readonly Change[], direction: Direction): Statement[] {
  return orderChanges(changes).flatMap((c) => renderChange(c, direction));
}

/**
 * Changes in the order they can run, rendered as the parts of one migration: with `lockSafe`,
 * changes to tables that exist before the migration use the lock-safe recipes (see `planChange`);
 * without, plain statements (indexes hinted CONCURRENTLY still get a part outside a transaction).
 * Recipes used are added to `notes` (up direction only).
 */
export function planParts(changes: readonly Change[], direction: Direction, lockSafe: boolean, notes: PlanNote[]): MigrationPart[] {
  const ctx = { lockSafe, lateKeyTables: lateKeyTables(changes, lockSafe), notes, facts: planFacts(changes) };
  // Loops rather than flatMap/filter: a migration building 1,000 tables plans ~10,000 steps, on cold code.
  const bySlot = new Map<Slot, Statement[]>(SLOTS.map((slot) => [slot, []]));
  for (const c of orderChanges(changes)) {
    for (const step of planChange(c, direction, ctx)) bySlot.get(step.slot)!.push(step.statement);
  }
  const parts: MigrationPart[] = [];
  for (const slot of SLOTS) {
    const statements = bySlot.get(slot)!;
    if (statements.length === 0) continue;
    const info = SLOT_INFO[slot as Slot];
    const last = parts[parts.length - 1];
    if (last && !last.transactional && !info.transactional) {
      // Two parts outside a transaction in a row (nothing in between): one part, statement by statement.
      parts[parts.length - 1] = { ...last, statements: [...last.statements, ...statements], ...(info.reason ? { reason: [last.reason, info.reason].filter(Boolean).join('; ') } : {}) };
      continue;
    }
    parts.push({ statements, transactional: info.transactional, ...(info.reason ? { reason: info.reason } : {}) });
  }
  return parts;
}
