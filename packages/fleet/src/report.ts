/**
 * What a fleet run does on each target (`data`: run the pending data migrations; `data-status`:
 * list them, as `strata data status`).
 */
export type FleetAction = 'migrate' | 'status' | 'check' | 'rollback' | 'data' | 'data-status';

/**
 * How one target ended:
 * - `applied`: migrations were applied; `up-to-date`: nothing to apply (migrate, status), nothing to revert (rollback);
 * - `reverted`: migrations were rolled back (rollback --to);
 * - `done`: data migrations ran to their end (data run);
 * - `pending`: migrations wait to be applied (status, check), data migrations wait to run or to resume (data status);
 * - `drift`: its schema or history differs from the migrations (check, status), a data migration failed or its file changed after it finished (data status);
 * - `locked`: another process holds its migration lock; nothing was done;
 * - `failed`: an error (named); `skipped`: not started (fail-fast, or a canary failed).
 */
export type TargetOutcome = 'applied' | 'reverted' | 'done' | 'up-to-date' | 'pending' | 'drift' | 'locked' | 'failed' | 'skipped';

/** One target's line of the report. */
export interface TargetResult {
  name: string;
  /** Its URL as written, passwords masked (`${ENV}` references kept). */
  url: string;
  schema: string | null;
  /** The server it counts against (`host:port`, or the PGlite directory). */
  server: string;
  outcome: TargetOutcome;
  /** Applied by this run (migrate); rolled back (rollback); data migrations run to their end (data). */
  applied: string[];
  /** Not applied (status, check, data status; migrate and data: what a failed or locked target still has to do). */
  pending: string[];
  /** What differs, one line each (check, status, data status), the same wording for every target so they group. */
  problems: string[];
  /** For `failed` and `locked`: the error, passwords masked. */
  error: { code: string; message: string; hint?: string; details: string[] } | null;
  durationMs: number;
  /** Ran in the canary batch. */
  canary: boolean;
}

/** Targets that differ in the same way (check --all). */
export interface DriftGroup {
  problems: string[];
  targets: string[];
}

/** The final report of a fleet run (`--json`). */
export interface FleetReport {
  action: FleetAction;
  /** True when no target failed, was locked or skipped, or (status, check, data status) needs attention. */
  ok: boolean;
  counts: Record<TargetOutcome, number>;
  targets: TargetResult[];
  /** check, status and data status: targets grouped by what differs (targets that are fine are left out). */
  groups: DriftGroup[];
  /** The canary batch: its size, and whether it passed (null without a canary). */
  canary: { size: number; passed: boolean } | null;
  /** Peak connections opened at once per server by this run. */
  peakConnections: Record<string, number>;
  durationMs: number;
}

const OUTCOMES: TargetOutcome[] = ['applied', 'reverted', 'done', 'up-to-date', 'pending', 'drift', 'locked', 'failed', 'skipped'];

/**
 * Counts outcomes and groups differing targets by their problems (sorted, so the same difference
 * groups whatever order it was found in); largest group first.
 *
 * @example
 * summarize([...results]).groups // => [{ problems: ['table "public"."x": added by hand'], targets: ['t3', 't9'] }]
 */
export function summarize(results: readonly TargetResult[]): { counts: Record<TargetOutcome, number>; groups: DriftGroup[] } {
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<TargetOutcome, number>;
  const byKey = new Map<string, DriftGroup>();
  for (const r of results) {
    counts[r.outcome]++;
    if (r.problems.length === 0) continue;
    const problems = [...r.problems].sort();
    const key = problems.join('\n');
    const g = byKey.get(key) ?? { problems, targets: [] };
    g.targets.push(r.name);
    byKey.set(key, g);
  }
  const groups = [...byKey.values()].sort((a, b) => b.targets.length - a.targets.length || a.problems[0]!.localeCompare(b.problems[0]!));
  return { counts, groups };
}

/** Whether a run's results need attention (exit 1). */
export function fleetOk(action: FleetAction, counts: Record<TargetOutcome, number>): boolean {
  const bad = counts.failed + counts.locked + counts.skipped;
  if (action === 'migrate' || action === 'rollback' || action === 'data') return bad === 0;
  if (action === 'check') return bad + counts.drift + counts.pending === 0;
  return bad + counts.drift === 0;
}
