import { quoteLiteral } from '@strata/core';
import type { Snapshot } from '@strata/schema';
import { allOf, findTable } from './diff-context.js';
import { planEnumValues } from './enum-values.js';
import { RenameMap, applyRenames, type Renames } from './rename-map.js';

/** Every SQL expression a snapshot holds, to look for uses of a value. */
function expressions(s: Snapshot): string[] {
  const out: string[] = [];
  for (const t of allOf(s, 'tables')) {
    for (const c of t.columns) out.push(c.default ?? '', c.generated?.expression ?? '');
    for (const c of Object.values(t.checks)) out.push(c.expression);
    for (const i of Object.values(t.indexes)) out.push(i.where ?? '', ...i.elements.filter((e) => e.expression).map((e) => e.value));
    for (const p of Object.values(t.policies)) out.push(p.using ?? '', p.withCheck ?? '');
  }
  for (const v of allOf(s, 'views')) out.push(v.definition);
  return out.filter((x) => x !== '');
}

/**
 * Whether a migration from `pm` (the old side, renames applied) to `next` uses values just added to
 * enum `to`: an expression of the new side names one, or a column is converted to the enum.
 * PostgreSQL refuses to use a value added by ALTER TYPE … ADD VALUE before it is committed.
 */
export function usesNewEnumValues(pm: Snapshot, next: Snapshot, to: { schema: string; name: string }, values: string[]): boolean {
  const literals = values.map((v) => quoteLiteral(v));
  if (expressions(next).some((x) => literals.some((l) => x.includes(l)))) return true;
  return allOf(next, 'tables').some((t) => t.columns.some((c) => {
    if (c.typeSchema !== to.schema || c.type !== to.name) return false;
    const before = findTable(pm, t.schema, t.name)?.columns.find((x) => x.name === c.name);
    return before !== undefined && (before.typeSchema !== c.typeSchema || before.type !== c.type);
  }));
}

/**
 * A value added with ALTER TYPE … ADD VALUE cannot be used before it is committed. When the new
 * values show up in the new schema's expressions, or a column is converted to such an enum, the
 * additions go in a part of their own: returns the snapshot after that part (the old schema with
 * those enums' new values), or null when no split is needed.
 */
export function enumAdditionStage(prev: Snapshot, next: Snapshot, renames: Renames): Snapshot | null {
  const map = new RenameMap(renames);
  const pm = applyRenames(prev, map);
  let stage: Snapshot | null = null;
  for (const e of allOf(prev, 'enums')) {
    const to = map.enum(e.schema, e.name);
    const n = next.schemas[to.schema]?.enums[to.name];
    if (!n) continue;
    const plan = planEnumValues(e.values, n.values);
    if (plan.kind !== 'add') continue;
    if (!usesNewEnumValues(pm, next, to, plan.adds.map((a) => a.value))) continue;
    stage ??= structuredClone(prev);
    stage.schemas[e.schema]!.enums[e.name] = { ...e, values: [...n.values] };
  }
  return stage;
}
