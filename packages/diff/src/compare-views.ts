import type { View } from '@strata/schema';
import { allOf, type DiffContext } from './diff-context.js';
import { mentionsAny } from './mentions.js';
import { refKey } from './rename-map.js';
import { sameView } from './same.js';

/**
 * Views and materialized views. A view is dropped and created again when its definition changes,
 * when it reads a column of a table that goes or changes type (PostgreSQL refuses both while the
 * view exists), when an enum it uses is rebuilt, when a table it reads is dropped, and when a view
 * it reads is rebuilt. What a view reads is found by name in its SQL text: a view rebuilt once too
 * often loses its grants (a materialized one runs its query again under lock), one missed makes
 * the migration fail (and roll back).
 */
export function compareViews(ctx: DiffContext): void {
  const words = new Set<string>(ctx.rebuiltEnumNames());
  for (const t of ctx.dropped) words.add(t.name);
  const blocking = blockingColumns(ctx);
  const readsBlockedColumn = (definition: string) =>
    blocking.some((b) => mentionsAny(definition, b.tables) && (mentionsAny(definition, b.columns) || readsEveryColumn(definition)));

  interface Entry { orig: View; key: string; next: View | undefined; reason: string | undefined; gone: boolean }
  const entries: Entry[] = allOf(ctx.prev, 'views').map((orig) => {
    const to = ctx.map.view(orig.schema, orig.name);
    const key = refKey(to.schema, to.name);
    const next = ctx.next.schemas[to.schema]?.views[to.name];
    const mapped = ctx.pm.schemas[to.schema]?.views[to.name];
    let reason: string | undefined;
    if (next && mapped && !sameView(mapped, next)) reason = 'definition changed: dropped and created again';
    else if (next && (mentionsAny(orig.definition, words) || readsBlockedColumn(orig.definition))) reason = 'a table or type it reads changes: dropped and created again';
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

/** A table some of whose columns go or change type: its names (old and new) and those columns' names. */
interface BlockingColumns {
  tables: string[];
  columns: Set<string>;
}

/**
 * Per table, the columns that a view reading them would block: dropped ones and ones whose type
 * changes, by their old and new names. A view that reads the table but none of them keeps working
 * (PostgreSQL records a view's dependency per column; a whole-row reference such as
 * `row_to_json(t)` does not block either).
 */
function blockingColumns(ctx: DiffContext): BlockingColumns[] {
  const out: BlockingColumns[] = [];
  for (const pair of ctx.pairs) {
    const e = ctx.effects.get(pair.key);
    if (!e || (e.typeChanged.size === 0 && e.dropped.size === 0)) continue;
    const columns = new Set(e.dropped);
    for (const c of pair.orig.columns) {
      const now = ctx.map.column(pair.origRef, c.name);
      if (e.typeChanged.has(now)) columns.add(c.name).add(now);
    }
    for (const name of e.typeChanged) columns.add(name);
    out.push({ tables: [pair.orig.name, pair.next.name], columns });
  }
  return out;
}

/**
 * Whether a view's text may read columns it does not name: `*` (PostgreSQL expands it when the view
 * is created, so the view depends on every column; `count(*)` excepted) or a NATURAL join.
 *
 * @example
 * readsEveryColumn('select * from t') // => true
 * readsEveryColumn('select count(*) as n from t') // => false
 */
function readsEveryColumn(definition: string): boolean {
  return /\bnatural\b/i.test(definition) || definition.replace(/\(\s*\*\s*\)/g, '').includes('*');
}
