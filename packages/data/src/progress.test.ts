import { describe, expect, it } from 'vitest';
import { rateAndEta } from './progress.js';

describe('rateAndEta', () => {
  it("rates this run's rows only and projects the rest at that rate", () => {
    expect(rateAndEta({ startedAt: 0, rowsAtStart: 4000, rowsDone: 6000, total: 10_000, now: 2000 })).toEqual({ rowsPerSecond: 1000, etaMs: 4000 });
  });
  it('has no ETA without a total or before any progress', () => {
    expect(rateAndEta({ startedAt: 0, rowsAtStart: 0, rowsDone: 500, total: null, now: 1000 }).etaMs).toBeNull();
    expect(rateAndEta({ startedAt: 0, rowsAtStart: 0, rowsDone: 0, total: 10, now: 1000 })).toEqual({ rowsPerSecond: 0, etaMs: null });
  });
});
