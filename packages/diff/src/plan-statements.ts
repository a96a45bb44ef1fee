import type { View } from '@strata/schema';
import { mentions } from './mentions.js';
import { SLOTS, SLOT_INFO, lateKeyTables, planChange, planFacts, type Slot, type Step } from './sql/plan-change.js';
import { renderChange, type Direction } from './sql/render-change.js';
import { assertNever, type Change, type MigrationPart, type PlanNote, type Statement } from './types.js';

/**
 * When each kind of change runs. Drops of dependants come first and use the old names; then
 * schemas and renames (everything after uses the new names); then types, tables, columns; then
 * constraints, indexes, foreign keys (all tables exist by then, so cycles are fine), views, RLS.
 */
export function phaseOf(c: Change): number {
  switch (c.kind) {
    case 'drop-view': return 10;
    case 'drop-policy': return 11;
    case 'drop-foreign-key': return 12;
    case 'drop-index': case 'drop-check': case 'drop-unique': return 13;
    case 'drop-primary-key': return 14;
    case 'drop-table': return 16;
    case 'drop-column': return 17;
    case 'create-schema': return 20;
    case 'rename-schema': return 21;
    case 'rename-table': case 'rename-enum': case 'rename-view': return 23;
    case 'rename-sequence': return 24;
    case 'rename-column': return 25;
    case 'rename-constraint': case 'rename-index': case 'rename-policy': return 26;
    case 'create-enum': return 30;
    case 'add-enum-value': return 31;
    case 'rebuild-enum': return 32;
    case 'create-sequence': case 'alter-sequence': return 33;
    case 'create-table': return 40;
    case 'drop-generated-expression': return 16.5;
    case 'drop-column-default': case 'drop-identity': case 'drop-serial': return 50;
    case 'drop-not-null': return 51;
    case 'alter-column-type': return 52;
    case 'add-column': return c.column.generated ? 54 : 53;
    case 'set-generated-expression': return 54;
    case 'set-column-default': case 'add-serial': return 55;
    case 'set-not-null': return 56;
    case 'add-identity': case 'alter-identity': return 57;
    case 'finish-enum-rebuild': case 'drop-enum': case 'drop-sequence': return 60;
    case 'add-primary-key': return 70;
    case 'add-unique': case 'add-check': return 71;
    case 'create-index': return 72;
    case 'add-foreign-key': return 73;
    case 'create-view': return 80;
    case 'enable-rls': case 'disable-rls': return 90;
    case 'create-policy': return 91;
    case 'drop-schema': return 99;
    default: return assertNever(c);
  }
}

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
  const steps: Step[] = orderChanges(changes).flatMap((c) => planChange(c, direction, ctx));
  const parts: MigrationPart[] = [];
  for (const slot of SLOTS) {
    const statements = steps.filter((s) => s.slot === slot).map((s) => s.statement);
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
