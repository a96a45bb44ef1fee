import { alterTable, displayName, keyOf, qualified, type QualifiedName } from '../ast.js';
import type { Rule, } from '../rule-context.js';
import { concurrentlyInTransaction } from './index-rules.js';

const LOCK_MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'];
const REWRITES: Record<string, string> = {
  AT_SetTableSpace: 'SET TABLESPACE', AT_SetLogged: 'SET LOGGED', AT_SetUnLogged: 'SET UNLOGGED', AT_SetAccessMethod: 'SET ACCESS METHOD',
};

/** Statements that rewrite or lock whole tables: VACUUM FULL, CLUSTER, LOCK TABLE, SET TABLESPACE/LOGGED, DETACH PARTITION. */
export const tableLockRules: Rule = (ctx) => {
  const n = ctx.node;
  if ('VacuumStmt' in n) {
    const s = n.VacuumStmt;
    if (s.is_vacuumcmd && ctx.part.transactional) concurrentlyInTransaction(ctx, 'VACUUM', undefined);
    const full = (s.options ?? []).some((o) => 'DefElem' in o && o.DefElem.defname === 'full');
    if (!full) return;
    const rels = (s.rels ?? []).flatMap((r) => ('VacuumRelation' in r ? [qualified(r.VacuumRelation.relation)] : [])).filter((q): q is QualifiedName => q !== null);
    if (rels.length === 0) ctx.report('table-rewrite', 'error', 'VACUUM FULL without a table rewrites every table of the database, each under an ACCESS EXCLUSIVE lock', { hint: 'Use pg_repack (or pg_squeeze) to compact tables online.' });
    for (const q of rels) ctx.blocking('table-rewrite', q, `VACUUM FULL rewrites ${displayName(q)} under an ACCESS EXCLUSIVE lock`, { hint: 'Use pg_repack (or pg_squeeze) to compact a table online.' });
    return;
  }
  if ('ClusterStmt' in n) {
    const q = qualified(n.ClusterStmt.relation);
    if (q) ctx.blocking('table-rewrite', q, `CLUSTER rewrites ${displayName(q)} under an ACCESS EXCLUSIVE lock`, { location: n.ClusterStmt.relation?.location, hint: 'Use pg_repack to reorder a table online.' });
    else ctx.report('table-rewrite', 'error', 'CLUSTER without a table rewrites every clustered table of the database under ACCESS EXCLUSIVE locks', { hint: 'Use pg_repack to reorder tables online.' });
    return;
  }
  if ('LockStmt' in n) {
    const mode = n.LockStmt.mode ?? 8;
    if (mode < 5) return; // ROW EXCLUSIVE and weaker do not block writers
    for (const r of n.LockStmt.relations ?? []) {
      if (!('RangeVar' in r)) continue;
      const q = qualified(r.RangeVar);
      if (q) ctx.blocking('lock-table', q, `LOCK TABLE ${displayName(q)} IN ${LOCK_MODES[mode]} MODE blocks ${mode === 8 ? 'every query' : 'every writer'} until the transaction ends`, {
        location: r.RangeVar.location, hint: 'Let each statement take the lock it needs, briefly; if you need the lock, keep the transaction short.',
      });
    }
    return;
  }
  const alter = alterTable(n);
  if (alter) {
    const q = alter.table;
    for (const cmd of alter.cmds) {
      const rewrite = REWRITES[cmd.subtype ?? ''];
      if (rewrite) ctx.blocking('table-rewrite', q, `ALTER TABLE … ${rewrite} rewrites ${displayName(q)} under an ACCESS EXCLUSIVE lock`, { location: alter.location });
      if (cmd.subtype === 'AT_DetachPartition' && cmd.def && 'PartitionCmd' in cmd.def) {
        if (cmd.def.PartitionCmd.concurrent) {
          if (ctx.part.transactional) concurrentlyInTransaction(ctx, 'DETACH PARTITION … CONCURRENTLY', alter.location);
        } else {
          ctx.blocking('require-concurrent-detach', q, `DETACH PARTITION without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on ${displayName(q)}`, {
            location: alter.location, hint: 'Use DETACH PARTITION … CONCURRENTLY in a `--> strata:part no-transaction` part.',
          });
        }
      }
    }
  }
};

/** UPDATE/DELETE of whole existing tables in one statement, or in the transaction that changed the table's structure. */
export const backfillRules: Rule = (ctx) => {
  const n = ctx.node;
  let q: QualifiedName | null = null;
  let where = false;
  let verb = '';
  if ('UpdateStmt' in n) { q = qualified(n.UpdateStmt.relation); where = n.UpdateStmt.whereClause !== undefined; verb = 'UPDATE'; }
  else if ('DeleteStmt' in n) { q = qualified(n.DeleteStmt.relation); where = n.DeleteStmt.whereClause !== undefined; verb = 'DELETE'; }
  if (!q) return;
  const table = q;
  const ddl = ctx.part.transactional && [...ctx.earlierInPart, ...ctx.laterInPart].some((s) => sameTable(alterTable(s.node)?.table ?? null, table));
  if (ddl) {
    ctx.blocking('unbatched-backfill', table, `${verb} in the same transaction as an ALTER TABLE of ${displayName(table)} holds the ALTER's ACCESS EXCLUSIVE lock until every row is written`, {
      hint: 'Backfill in batches outside the schema change: a data migration (`strata data new`) or its own `--> strata:part`.',
    });
  } else if (!where) {
    ctx.blocking('unbatched-backfill', table, `${verb} of every row of ${displayName(table)} in one statement locks them all until it commits`, {
      hint: 'Backfill in batches with a data migration (`strata data new`), which walks the table by key.',
    });
  }
};

function sameTable(a: QualifiedName | null, b: QualifiedName): boolean {
  return a !== null && keyOf(a) === keyOf(b);
}

/** BEGIN/COMMIT/SAVEPOINT, timeouts, and enum values used in the transaction that adds them. */
export const transactionRules: Rule = (ctx) => {
  const n = ctx.node;
  if ('TransactionStmt' in n) {
    const kind = (n.TransactionStmt.kind ?? '').replace(/^TRANS_STMT_/, '').replaceAll('_', ' ');
    ctx.report('transaction-control', 'error', `${kind} in a migration: the runner owns the transactions, and this breaks its all-or-nothing guarantee`, {
      hint: 'Remove it; split the file with `--> strata:part` (or `--> strata:part no-transaction`) lines instead.',
    });
    return;
  }
  if ('VariableSetStmt' in n) {
    const name = n.VariableSetStmt.name ?? '';
    if (name === 'lock_timeout' || name === 'statement_timeout') {
      ctx.report('timeout-override', 'warning', `SET ${name} overrides the runner's setting (config lockTimeoutMs / statementTimeoutMs): a long lock wait stalls every query queued behind it`, {
        hint: 'Remove it and configure lockTimeoutMs / lockBudgetMs instead.',
      });
    }
    return;
  }
  if ('AlterEnumStmt' in n && n.AlterEnumStmt.newVal && !n.AlterEnumStmt.oldVal && ctx.part.transactional) {
    const literal = `'${n.AlterEnumStmt.newVal.replaceAll("'", "''")}'`;
    const use = ctx.laterInPart.find((s) => s.text.includes(literal));
    if (use) {
      ctx.report('enum-value-used-in-transaction', 'error', `the enum value ${literal} added here is used on line ${use.line} in the same transaction: PostgreSQL refuses ("unsafe use of new value")`, {
        hint: 'Put the statements that use the new value after a `--> strata:part` line.',
      });
    }
  }
};


