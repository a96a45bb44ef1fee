import { taggedObjectName } from '@strata/core';
import type { Snapshot } from '@strata/schema';
import { compareColumns } from './compare-columns.js';
import { compareConstraints, compareForeignKeys, createTableExtras } from './compare-constraints.js';
import { compareViews } from './compare-views.js';
import { DiffContext, allOf, findTable, type ComputeOptions } from './diff-context.js';
import { planEnumValues } from './enum-values.js';
import { refKey, type Renames } from './rename-map.js';
import { sameSequence } from './same.js';
import { usesNewEnumValues } from './split-stages.js';
import type { Change } from './types.js';

/**
 * Every change from `prev` to `next`, given the renames already decided. Pure and synchronous;
 * the order of the list is not the order of the SQL (see `planStatements`).
 */
export function computeChanges(prev: Snapshot, next: Snapshot, renames: Renames, options: ComputeOptions): Change[] {
  const ctx = new DiffContext(prev, next, renames, options);
  const { map, pm } = ctx;

  // Not pm's schema list: pm also holds schemas that objects move into.
  const existing = new Set(Object.keys(prev.schemas).map((s) => map.schema(s)));
  for (const s of Object.keys(next.schemas).sort()) if (!existing.has(s)) ctx.push({ kind: 'create-schema', schema: s });
  for (const r of renames.schemas) ctx.push({ kind: 'rename-schema', from: r.from, to: r.to });
  for (const s of Object.keys(prev.schemas).sort()) if (!next.schemas[map.schema(s)]) ctx.push({ kind: 'drop-schema', schema: s });

  compareEnums(ctx);
  compareSequences(ctx);

  for (const n of allOf(next, 'tables')) {
    const key = refKey(n.schema, n.name);
    const p = findTable(pm, n.schema, n.name);
    const orig = ctx.origTables.get(key);
    if (p && orig) {
      ctx.pairs.push({ orig, prev: p, next: n, origRef: { schema: orig.schema, name: orig.name }, ref: { schema: n.schema, name: n.name }, key });
    } else {
      ctx.created.push(n);
    }
  }
  for (const t of allOf(prev, 'tables')) {
    const to = map.table(t.schema, t.name);
    if (!findTable(next, to.schema, to.name)) ctx.dropped.push(t);
  }

  // Dropped tables: their foreign keys to other tables go first, so the tables can be dropped in any order.
  for (const t of ctx.dropped) {
    const ref = { schema: t.schema, name: t.name };
    for (const name of Object.keys(t.foreignKeys).sort()) {
      const fk = t.foreignKeys[name]!;
      if (fk.foreignSchema === t.schema && fk.foreignTable === t.name) continue;
      ctx.push({ kind: 'drop-foreign-key', table: ref, foreignKey: fk, reason: `table ${t.name} is dropped` });
    }
    ctx.push({ kind: 'drop-table', table: t });
  }
  for (const t of ctx.created) {
    ctx.push({ kind: 'create-table', table: t });
    createTableExtras(ctx, t);
  }
  // Renames run after schema renames: an object only moved along with its schema is not renamed.
  for (const pair of ctx.pairs) {
    const from = { schema: map.schema(pair.origRef.schema), name: pair.origRef.name };
    if (from.schema !== pair.ref.schema || from.name !== pair.ref.name) ctx.push({ kind: 'rename-table', from, to: pair.ref });
  }
  for (const pair of ctx.pairs) compareColumns(ctx, pair);
  for (const pair of ctx.pairs) compareConstraints(ctx, pair);
  for (const pair of ctx.pairs) compareForeignKeys(ctx, pair);
  compareViews(ctx);
  return ctx.changes;
}

function compareEnums(ctx: DiffContext): void {
  const { map, pm, prev, next } = ctx;
  const origOf = new Map(allOf(prev, 'enums').map((e) => {
    const to = map.enum(e.schema, e.name);
    return [refKey(to.schema, to.name), e] as const;
  }));
  for (const n of allOf(next, 'enums')) {
    const key = refKey(n.schema, n.name);
    const p = pm.schemas[n.schema]?.enums[n.name];
    const orig = origOf.get(key);
    if (!p || !orig) {
      ctx.push({ kind: 'create-enum', enum: n });
      continue;
    }
    const ref = { schema: n.schema, name: n.name };
    const from = { schema: map.schema(orig.schema), name: orig.name };
    if (from.schema !== n.schema || from.name !== n.name) ctx.push({ kind: 'rename-enum', from, to: ref });
    let plan = planEnumValues(p.values, n.values);
    if (plan.kind === 'add' && ctx.options.enumAdditions === 'rebuild-if-used' && usesNewEnumValues(pm, next, ref, plan.adds.map((a) => a.value))) {
      plan = { kind: 'rebuild', removed: [] };
    }
    if (plan.kind === 'add') {
      for (const a of plan.adds) ctx.push({ kind: 'add-enum-value', enum: ref, ...a });
    } else if (plan.kind === 'rebuild') {
      const tempName = taggedObjectName(n.name, 'strata_old');
      ctx.rebuilt.set(key, { from: p, to: n, tempName });
      ctx.push({ kind: 'rebuild-enum', from: p, to: n, tempName }, { kind: 'finish-enum-rebuild', enum: ref, tempName });
    }
  }
  for (const e of allOf(prev, 'enums')) {
    const to = map.enum(e.schema, e.name);
    if (!next.schemas[to.schema]?.enums[to.name]) ctx.push({ kind: 'drop-enum', enum: { ...e, schema: to.schema, name: to.name } });
  }
}

function compareSequences(ctx: DiffContext): void {
  const { map, pm, prev, next } = ctx;
  for (const n of allOf(next, 'sequences')) {
    const p = pm.schemas[n.schema]?.sequences[n.name];
    if (!p) ctx.push({ kind: 'create-sequence', sequence: n });
    else if (!sameSequence(p, n)) ctx.push({ kind: 'alter-sequence', from: p, to: n });
  }
  for (const s of allOf(prev, 'sequences')) {
    const to = map.sequence(s.schema, s.name);
    if (!next.schemas[to.schema]?.sequences[to.name]) ctx.push({ kind: 'drop-sequence', sequence: { ...s, schema: to.schema, name: to.name } });
  }
}
