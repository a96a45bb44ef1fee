import type { DatabaseClient } from '@strata/db';
import { describeProblem } from './folder-errors.js';
import { historyDisplayName } from './history-table.js';
import { loadState } from './load-state.js';
import { multiStepStatus, type MultiStepStatus } from './multi-step-status.js';
import type { MigrationFolder } from './migration.js';
import { resolveRunnerOptions, type RunnerOptions } from './runner-options.js';

/**
 * The state of one migration: in the folder and the history, or only in one of them. `partial`:
 * some of its parts are applied (`migrate` resumes it); `reverting`: some of its down parts ran
 * (`rollback` resumes it).
 */
export type MigrationStatusState = 'applied' | 'pending' | 'out-of-order' | 'changed' | 'missing' | 'partial' | 'reverting';

export interface MigrationStatusEntry {
  name: string;
  state: MigrationStatusState;
  /** The up file, relative to the folder; null for a migration missing from the folder. */
  file: string | null;
  hasDown: boolean;
  appliedAt: string | null;
  durationMs: number | null;
  appliedBy: string | null;
  /** Parts of its up file; for `partial`/`reverting`, how many are done (of the down file's, when reverting). */
  parts: { done: number; total: number };
  /** Which half of a multi-step change it is; null for an ordinary migration. */
  phase: 'expand' | 'contract' | null;
  /** A pending contract migration that `migrate` holds until `migrate --contract`. */
  held: boolean;
}

export interface StatusReport {
  /** Folder migrations in order, then applied migrations missing from the folder. */
  migrations: MigrationStatusEntry[];
  applied: string[];
  pending: string[];
  outOfOrder: string[];
  changed: string[];
  missing: string[];
  /** Partly applied: `migrate` resumes them. */
  partial: string[];
  /** Partly reverted: `rollback` resumes them. */
  reverting: string[];
  /** Problems of the folder itself (branch conflict, integrity, corrupt files), one line each. */
  problems: { kind: 'branch-conflict' | 'integrity' | 'corrupt'; message: string }[];
  history: { table: string; exists: boolean };
  /** Multi-step changes that have started, with their phase (expanded, backfilling n%, ready to contract, contracted). */
  multiStep: MultiStepStatus[];
  /** True when nothing needs attention but pending migrations: no problems, changed, missing, out-of-order, partly applied or partly reverted. */
  ok: boolean;
}

/**
 * What is applied, pending, out of order, changed (edited after being applied), missing
 * (applied, not in the folder), partly applied and partly reverted. Reads only: takes no lock
 * and creates nothing (a history table of an older format is read as it is).
 *
 * @example
 * const s = await status(db, readMigrationFolder('./migrations'));
 * console.log(s.pending.length, 'pending');
 */
export async function status(client: DatabaseClient, folder: MigrationFolder, options: RunnerOptions = {}): Promise<StatusReport> {
  const opts = resolveRunnerOptions(options);
  const state = await loadState(client, folder, opts);
  const rowOf = new Map(state.applied.map((r) => [r.name, r]));
  const changed = new Set(state.changed.map((c) => c.migration.name));
  const late = new Set(state.outOfOrder.map((m) => m.name));
  const held = new Set(state.held.map((r) => r.name));
  const migrations: MigrationStatusEntry[] = folder.migrations.map((m) => {
    const row = rowOf.get(m.name);
    const st: MigrationStatusState = row
      ? changed.has(m.name) ? 'changed' : row.state === 'applying' ? 'partial' : row.state === 'reverting' ? 'reverting' : 'applied'
      : late.has(m.name) ? 'out-of-order' : 'pending';
    const total = m.up.parts.length;
    const parts = row && (row.state === 'applying' || row.state === 'reverting') ? { done: row.partsDone, total: row.partsTotal } : { done: row ? total : 0, total };
    return {
      name: m.name, state: st, file: m.up.file, hasDown: m.down !== null, appliedAt: row?.appliedAt ?? null, durationMs: row?.durationMs ?? null, appliedBy: row?.appliedBy ?? null, parts,
      phase: m.meta?.multiStep?.phase ?? null, held: !row && held.has(m.name),
    };
  });
  for (const row of state.missing) {
    migrations.push({
      name: row.name, state: 'missing', file: null, hasDown: false, appliedAt: row.appliedAt, durationMs: row.durationMs, appliedBy: row.appliedBy,
      parts: { done: row.partsDone, total: row.partsTotal }, phase: row.phase, held: false,
    });
  }
  const of = (s: MigrationStatusState) => migrations.filter((m) => m.state === s).map((m) => m.name);
  const problems = folder.problems.map((p) => ({ kind: p.kind, message: describeProblem(p) }));
  const report: StatusReport = {
    migrations,
    applied: [...of('applied'), ...of('changed')],
    partial: of('partial'),
    reverting: of('reverting'),
    pending: [...of('pending'), ...of('out-of-order')].sort((a, b) => folder.migrations.findIndex((m) => m.name === a) - folder.migrations.findIndex((m) => m.name === b)),
    outOfOrder: of('out-of-order'),
    changed: of('changed'),
    missing: of('missing'),
    problems,
    history: { table: historyDisplayName(opts.history), exists: state.historyExists },
    multiStep: state.historyExists ? await multiStepStatus(client, folder, state) : [],
    ok: false,
  };
  report.ok = problems.length === 0 && report.outOfOrder.length === 0 && report.changed.length === 0 && report.missing.length === 0 &&
    report.partial.length === 0 && report.reverting.length === 0;
  return report;
}
