import { displayName, keyOf, qualified, qualifiedFromList, type QualifiedName } from '../ast.js';
import type { Rule, RuleContext } from '../rule-context.js';

/** CREATE INDEX: CONCURRENTLY on existing tables, never inside a transaction; not too wide. */
export const createIndexRules: Rule = (ctx) => {
  if (!('IndexStmt' in ctx.node)) return;
  const s = ctx.node.IndexStmt;
  const table = qualified(s.relation);
  if (!table) return;
  const loc = s.relation?.location;
  if (s.concurrent) {
    if (ctx.part.transactional) concurrentlyInTransaction(ctx, 'CREATE INDEX CONCURRENTLY', loc);
    else if (!s.if_not_exists && ctx.tableState(table).kind !== 'new') {
      ctx.report('prefer-robust-stmts', 'info', `CREATE INDEX CONCURRENTLY without IF NOT EXISTS outside a transaction: a failed build leaves an INVALID index ${s.idxname ? `"${s.idxname}"` : ''} that a rerun trips over`.replace(/ {2,}/g, ' '), {
        location: loc, hint: 'Strata\'s runner drops an INVALID index of the same name before a retry; a hand-run rerun needs DROP INDEX CONCURRENTLY IF EXISTS first.',
      });
    }
  } else if (s.relation?.inh) {
    // ON ONLY a partitioned parent creates an invalid index without building anything (the
    // partitioned-table recipe); otherwise the build blocks writes.
    ctx.blocking('require-concurrent-index', table, `CREATE ${s.unique ? 'UNIQUE ' : ''}INDEX without CONCURRENTLY blocks writes to ${displayName(table)} while the index builds`, {
      location: loc, hint: 'Use CREATE INDEX CONCURRENTLY in a `--> strata:part no-transaction` part.',
    });
  }
  const columns = s.indexParams?.length ?? 0;
  if (!s.unique && columns > 3) {
    ctx.report('index-too-many-columns', 'warning', `a non-unique index on ${columns} columns rarely helps more than one on the first three`, {
      location: loc, hint: 'Index the (at most three) columns that narrow results the most.',
    });
  }
};

/** DROP INDEX: CONCURRENTLY, outside a transaction. */
export const dropIndexRules: Rule = (ctx) => {
  if (!('DropStmt' in ctx.node) || ctx.node.DropStmt.removeType !== 'OBJECT_INDEX') return;
  const s = ctx.node.DropStmt;
  if (s.concurrent) {
    if (ctx.part.transactional) concurrentlyInTransaction(ctx, 'DROP INDEX CONCURRENTLY', undefined);
    return;
  }
  for (const o of s.objects ?? []) {
    const name = 'List' in o ? qualifiedFromList(o.List.items) : null;
    if (!name) continue;
    const table = tableOfIndex(ctx, name);
    const message = `DROP INDEX ${displayName(name)} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table, and waits for every query on it`;
    const hint = 'Use DROP INDEX CONCURRENTLY in a `--> strata:part no-transaction` part.';
    if (table) ctx.blocking('require-concurrent-index-drop', table, message, { hint });
    else if (!createdInThisMigration(ctx, name)) ctx.report('require-concurrent-index-drop', 'warning', message, { hint });
  }
};

/** REINDEX: CONCURRENTLY. */
export const reindexRules: Rule = (ctx) => {
  if (!('ReindexStmt' in ctx.node)) return;
  const s = ctx.node.ReindexStmt;
  const concurrent = (s.params ?? []).some((p) => 'DefElem' in p && p.DefElem.defname === 'concurrently');
  if (concurrent) {
    if (ctx.part.transactional) concurrentlyInTransaction(ctx, 'REINDEX CONCURRENTLY', undefined);
    return;
  }
  const rel = qualified(s.relation);
  let table: QualifiedName | null = null;
  if (rel && s.kind === 'REINDEX_OBJECT_TABLE') table = rel;
  if (rel && s.kind === 'REINDEX_OBJECT_INDEX') table = tableOfIndex(ctx, rel);
  const message = 'REINDEX without CONCURRENTLY blocks writes to the table (and reads that use the index) while it rebuilds';
  const hint = 'Use REINDEX … CONCURRENTLY in a `--> strata:part no-transaction` part.';
  if (table) ctx.blocking('require-concurrent-reindex', table, message, { hint, location: s.relation?.location });
  else ctx.report('require-concurrent-reindex', 'warning', message, { hint, location: s.relation?.location });
};

/** REFRESH MATERIALIZED VIEW: CONCURRENTLY keeps the view readable. */
export const refreshRules: Rule = (ctx) => {
  if (!('RefreshMatViewStmt' in ctx.node)) return;
  const s = ctx.node.RefreshMatViewStmt;
  const view = qualified(s.relation);
  if (!view) return;
  if (s.concurrent) return; // allowed inside a transaction, unlike CREATE INDEX CONCURRENTLY
  ctx.blocking('refresh-materialized-view', view, `REFRESH MATERIALIZED VIEW ${displayName(view)} without CONCURRENTLY blocks every read of the view until it finishes`, {
    location: s.relation?.location, hint: 'Use REFRESH MATERIALIZED VIEW CONCURRENTLY (the view needs a unique index).',
  });
};

/** The table an index belongs to: from the model (indexes created by migrations read), then the database. */
export function tableOfIndex(ctx: RuleContext, index: QualifiedName): QualifiedName | null {
  return ctx.model.indexes.get(keyOf(index))?.table ?? ctx.facts?.indexes.get(keyOf(index))?.table ?? null;
}

function createdInThisMigration(ctx: RuleContext, index: QualifiedName): boolean {
  const i = ctx.model.indexes.get(keyOf(index));
  return i !== undefined && ctx.tableState(i.table).kind === 'new';
}

/** Reports a CONCURRENTLY statement in a transactional part: PostgreSQL refuses it there. */
export function concurrentlyInTransaction(ctx: RuleContext, what: string, location: number | undefined): void {
  ctx.report('concurrently-in-transaction', 'error', `${what} cannot run inside a transaction block, and this part of the migration runs in one`, {
    location,
    hint: ctx.part.index === 0 && ctx.migration.parts.length === 1
      ? 'Put it after a `--> strata:part no-transaction` line (or start the file with `-- strata:no-transaction`).'
      : 'Put it after a `--> strata:part no-transaction` line.',
  });
}
