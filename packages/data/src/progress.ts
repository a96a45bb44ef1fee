/**
 * Rate and time left of a walk: the rate counts only this run's rows (a resumed run starts its
 * clock again), the time left assumes that rate holds.
 *
 * @example
 * rateAndEta({ startedAt: 0, rowsAtStart: 0, rowsDone: 500, total: 1000, now: 1000 })
 * // => { rowsPerSecond: 500, etaMs: 1000 }
 */
export function rateAndEta(p: { startedAt: number; rowsAtStart: number; rowsDone: number; total: number | null; now: number }): {
  rowsPerSecond: number;
  etaMs: number | null;
} {
  const seconds = Math.max(p.now - p.startedAt, 1) / 1000;
  const rowsPerSecond = (p.rowsDone - p.rowsAtStart) / seconds;
  if (p.total === null || rowsPerSecond <= 0) return { rowsPerSecond, etaMs: null };
  return { rowsPerSecond, etaMs: Math.max(0, ((p.total - p.rowsDone) / rowsPerSecond) * 1000) };
}
