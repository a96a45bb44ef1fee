import { BACKFILL_APPLICATION_NAME, qualify } from '@strata/core';
import type { Queryable } from '@strata/db';
import type { MigrationState } from './migration-state.js';
import type { Migration, MigrationFolder } from './migration.js';

/** Where a multi-step change stands. */
export type MultiStepPhase = 'expanding' | 'expanded' | 'backfilling' | 'ready to contract' | 'contracting' | 'contracted';

/** One multi-step change (an expand migration and its contract) that has started on this database. */
export interface MultiStepStatus {
  expand: string;
  /** Its contract migration; null when the folder has none (yet). */
  contract: string | null;
  phase: MultiStepPhase;
  /** While backfilling: percent done, as the running backfill reports it; null when none is running. */
  percent: number | null;
  /** `migrate` reached the contract and holds it until `migrate --contract`. */
  held: boolean;
  /** The columns kept in sync, `"schema"."table".from → to`. */
  columns: string[];
}

const BACKFILL = new RegExp(`^${BACKFILL_APPLICATION_NAME} (\\d+)% (\\d+)`);

/** Percent reported by running backfills, by table oid; empty where the server shows no other sessions (PGlite). */
async function runningBackfills(q: Queryable): Promise<Map<string, number>> {
  try {
    const r = await q.query<{ application_name: string }>(`select application_name from pg_stat_activity where application_name like '${BACKFILL_APPLICATION_NAME} %'`);
    const out = new Map<string, number>();
    for (const row of r.rows) {
      const m = BACKFILL.exec(row.application_name);
      if (m) out.set(m[2]!, Number(m[1]));
    }
    return out;
  } catch {
    return new Map();
  }
}

/**
 * The phase of every multi-step change whose expand migration has run (partly or fully): expanding
 * (its first parts, or what follows the backfill), expanded (stopped at the backfill: it and what
 * follows it left, not running), backfilling n% (running now),
 * ready to contract (applied; the contract pending or held), contracting, contracted.
 *
 * @example
 * const phases = await multiStepStatus(db, folder, state);
 */
export async function multiStepStatus(q: Queryable, folder: MigrationFolder, state: MigrationState): Promise<MultiStepStatus[]> {
  const rowOf = new Map(state.applied.map((r) => [r.name, r]));
  const held = new Set(state.held.map((r) => r.name));
  const out: MultiStepStatus[] = [];
  let running: Map<string, number> | null = null;
  for (const m of folder.migrations) {
    const ms = m.meta?.multiStep;
    if (ms?.phase !== 'expand') continue;
    const row = rowOf.get(m.name);
    if (!row) continue;
    const contract: Migration | undefined = folder.migrations.find((c) => c.meta?.multiStep?.phase === 'contract' && c.meta.multiStep.expand === m.name);
    const contractRow = contract ? rowOf.get(contract.name) : undefined;
    const columns = ms.columns.map((c) => `${qualify(c.schema, c.table)}.${c.from} → ${c.to}`);
    let phase: MultiStepPhase;
    let percent: number | null = null;
    if (row.state === 'applying') {
      // The expand has parts after its backfill (what the contract needs, built on the filled
      // columns), so a running backfill is looked for whatever part the expand is at, and
      // "expanded" means: stopped with only the backfill and what follows it left.
      running ??= await runningBackfills(q);
      const oids = await tableOids(q, ms.columns);
      const seen = oids.map((o) => running!.get(o)).filter((p): p is number => p !== undefined);
      phase = seen.length > 0 ? 'backfilling' : row.partsDone === backfillPart(m) ? 'expanded' : 'expanding';
      percent = seen.length > 0 ? Math.min(...seen) : null;
    } else if (row.state === 'reverting') {
      phase = 'expanding';
    } else {
      phase = contractRow?.state === 'applied' ? 'contracted' : contractRow?.state === 'applying' || contractRow?.state === 'reverting' ? 'contracting' : 'ready to contract';
    }
    out.push({ expand: m.name, contract: contract?.name ?? null, phase, percent, held: contract ? held.has(contract.name) : false, columns });
  }
  return out;
}

/**
 * How many parts of an expand migration come before its backfill (the backfill sets
 * `application_name` to `strata backfill …`); its last part when none is recognised.
 */
function backfillPart(m: Migration): number {
  const at = m.up.parts.findIndex((p) => p.statements.some((st) => st.sql.includes(`'${BACKFILL_APPLICATION_NAME} '`)));
  return at >= 0 ? at : m.up.parts.length - 1;
}

async function tableOids(q: Queryable, columns: { schema: string; table: string }[]): Promise<string[]> {
  const out: string[] = [];
  for (const c of columns) {
    const r = await q.query<{ oid: string | null }>('select to_regclass($1)::oid::text as oid', [qualify(c.schema, c.table)]).catch(() => ({ rows: [] as { oid: string | null }[] }));
    if (r.rows[0]?.oid) out.push(r.rows[0].oid);
  }
  return out;
}

/** One line for a multi-step change's phase: `backfilling 37%`, `ready to contract (held)`, … */
export function describePhase(s: MultiStepStatus): string {
  if (s.phase === 'backfilling') return `backfilling ${s.percent ?? 0}%`;
  if (s.phase === 'expanded') return 'expanded (backfill not finished: `strata migrate` resumes it)';
  if (s.phase === 'ready to contract') return `ready to contract${s.held ? ' (held)' : ''}: deploy the code that uses only the new columns, then \`strata migrate --contract\``;
  return s.phase;
}
