import type { BenchReport, RowResult } from './results.js';

const key = (r: RowResult) => `${r.row}@${r.size ?? ''}`;

/**
 * The earlier full report with the rows of a later, partial run put in place of the same rows (a
 * command that landed after the full run, a row re-measured after a fix). The later run's time and
 * load are recorded, and the page says which rows come from it.
 *
 * @example
 * const merged = mergeReports(JSON.parse(readFileSync('results/latest.json', 'utf8')), partial);
 */
export function mergeReports(base: BenchReport, later: BenchReport): BenchReport {
  const replaced = new Map(later.rows.map((r) => [key(r), r]));
  const rows = base.rows.map((r) => replaced.get(key(r)) ?? r);
  for (const r of later.rows) if (!base.rows.some((b) => key(b) === key(r))) rows.push(r);
  return {
    ...base,
    rows,
    merged: [
      ...(base.merged ?? []),
      { at: later.startedAt, rows: later.rows.map(key), loadAverage: later.machine.loadAverage, reps: later.options.reps, revision: later.machine.strataRevision ?? 'unknown', sameBuild: Boolean(base.machine.buildFingerprint) && base.machine.buildFingerprint === later.machine.buildFingerprint },
    ],
  };
}
