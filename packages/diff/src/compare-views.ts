import type { View } from '@strata/schema';
import { allOf, type DiffContext } from './diff-context.js';
import { mentionsAny } from './mentions.js';
import { refKey } from './rename-map.js';
import { sameView } from './same.js';

/**
 * Views and materialized views. A view is dropped and created again when its definition changes,
 * when a table it reads loses a column or changes a column's type (PostgreSQL refuses both while
 * the view exists), when an enum it uses is rebuilt, and when a view it reads is rebuilt. Which
 * table a view reads is found by name in its SQL text: a view rebuilt once too often costs little,
 * one missed makes the migration fail.
 */
export function compareViews(ctx: DiffContext): void {
  const words = new Set<string>(ctx.rebuiltEnumNames());
  for (const pair of ctx.pairs) {
    const e = ctx.effects.get(pair.key);
    if (e && (e.typeChanged.size > 0 || e.dropped.size > 0)) {
      words.add(pair.orig.name);
      words.add(pair.next.name);
    }
  }
  for (const t of ctx.dropped) words.add(t.name);

  interface Entry { orig: View; key: string; next: View | undefined; reason: string | undefined; gone: boolean }
  const entries: Entry[] = allOf(ctx.prev, 'views').map((orig) => {
    const to = ctx.map.view(orig.schema, orig.name);
    const key = refKey(to.schema, to.name);
    const next = ctx.next.schemas[to.schema]?.views[to.name];
    const mapped = ctx.pm.schemas[to.schema]?.views[to.name];
    let reason: string | undefined;
    if (next && mapped && !sameView(mapped, next)) reason = 'definition changed: dropped and created again';
    else if (next && mentionsAny(orig.definition, words)) reason = 'a table or type it reads changes: dropped and created again';
    return { orig, key, next, reason, gone: !next };
  });
  // Views reading a view that goes away or is rebuilt follow it.
  for (let changed = true; changed;) {
    changed = false;
    const moving = entries.filter((e) => e.gone || e.reason !== undefined).map((e) => e.orig.name);
    for (const e of entries) {
      if (e.gone || e.reason !== undefined || !mentionsAny(e.orig.definition, moving)) continue;
      e.reason = 'a view it reads is rebuilt: dropped and created again';
      changed = true;
    }
  }
  for (const e of entries) {
    if (e.gone) ctx.push({ kind: 'drop-view', view: e.orig });
    else if (e.reason !== undefined) ctx.push({ kind: 'drop-view', view: e.orig, reason: e.reason });
  }
  const kept = new Set(entries.filter((e) => !e.gone).map((e) => e.key));
  for (const e of entries) {
    if (e.gone || e.reason !== undefined || !e.next) continue;
    const from = { schema: ctx.map.schema(e.orig.schema), name: e.orig.name };
    if (from.schema !== e.next.schema || from.name !== e.next.name) {
      ctx.push({ kind: 'rename-view', from, to: { schema: e.next.schema, name: e.next.name }, materialized: e.next.materialized });
    }
  }
  const rebuilt = new Map(entries.filter((e) => e.reason !== undefined).map((e) => [e.key, e.reason!]));
  for (const v of allOf(ctx.next, 'views')) {
    const key = refKey(v.schema, v.name);
    const reason = rebuilt.get(key);
    if (!kept.has(key)) ctx.push({ kind: 'create-view', view: v });
    else if (reason !== undefined) ctx.push({ kind: 'create-view', view: v, reason });
  }
}
