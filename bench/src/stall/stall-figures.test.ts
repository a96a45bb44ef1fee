import { describe, expect, it } from 'vitest';
import { parseOptions } from '../options.js';
import { ROW_IDS } from '../rows/catalog.js';
import { quantile, summarizeWrites } from './stall-figures.js';
import { describeWindow, statementShown } from './stall-sampler.js';

describe('write-stall figures', () => {
  it('splits the writes into at rest, generate and migrate, and finds the longest', () => {
    const f = summarizeWrites(
      { writes: 6, errors: 0, firstError: null, starts: [1, 5, 10, 12, 20, 21], latencies: [0.3, 40, 0.4, 0.6, 900, 0.5] },
      [10, 20],
    );
    expect(f.rest).toEqual({ writes: 2, maxMs: 40, p99Ms: 40 });
    expect(f.writes).toBe(4);
    expect(f.maxMs).toBe(900);
    expect(f.maxAtMs).toBe(10);
    expect(f.maxStep).toBe(1);
    expect(f.steps).toEqual([{ writes: 2, maxMs: 0.6, p99Ms: 0.6 }, { writes: 2, maxMs: 900, p99Ms: 900 }]);
    expect(f.p50Ms).toBe(0.5);
  });

  it('takes the nearest-rank quantile', () => {
    const values = Array.from({ length: 200 }, (_, i) => i + 1);
    expect(quantile(values, 0.99)).toBe(198);
    expect(quantile(values, 0.5)).toBe(100);
    expect(quantile([], 0.99)).toBe(0);
  });

  it('shows the statement a tool sent after its session settings', () => {
    expect(statementShown(`SET search_path TO public; SET lock_timeout TO '100ms';\n SAVEPOINT strata_batch; ALTER TABLE "t"   ADD COLUMN "c" text;`)).toBe('ALTER TABLE "t" ADD COLUMN "c" text;');
    expect(statementShown('x'.repeat(300))).toHaveLength(160);
  });

  it('selects every write-stall row with --only stall, at the sizes asked', () => {
    const o = parseOptions(['--only', 'stall', '--stall-rows', '200000,2_000_000', '--stall-reader-ms', '5000']);
    expect(o.only).toEqual(ROW_IDS.filter((id) => id.startsWith('stall-')));
    expect(o.only).toEqual(['stall-index', 'stall-fk', 'stall-not-null', 'stall-bigint', 'stall-bigint-multi-step', 'stall-lock-queue']);
    expect(o.stallRows).toEqual([200_000, 2_000_000]);
    expect(parseOptions(['--quick']).stallRows).toEqual([20_000]);
    expect(() => parseOptions(['--only', 'stalls'])).toThrow(/unknown row "stalls"/);
  });
});

describe('what the writer was doing during its longest write', () => {
  it('counts the sampled states inside the write, the blocker named', () => {
    const states = [
      { at: 90, wait: 'running' },
      { at: 101, wait: 'Lock:relation', blocker: 'ALTER TABLE "t" ADD COLUMN "c" text;' },
      { at: 111, wait: 'Lock:relation', blocker: 'ALTER TABLE "t" ADD COLUMN "c" text;' },
      { at: 121, wait: 'running' },
      { at: 125, wait: 'idle' },
      { at: 200, wait: 'LWLock:WALWrite' },
    ];
    expect(describeWindow(states, 100, 25)).toBe('Lock:relation behind `ALTER TABLE "t" ADD COLUMN "c" text;` ×2, running ×1');
    expect(describeWindow(states, 300, 5)).toBe('no sample fell inside it');
  });
});
