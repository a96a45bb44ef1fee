import { describe, expect, it } from 'vitest';
import { mergeStallSection } from './merge-markdown.js';
import { renderMarkdown } from './render-markdown.js';
import type { BenchReport, RowResult, SideResult } from './results.js';

const side = (label: string, maxMs: number): SideResult => ({
  label, status: 'ok', runs: [{ ms: 2000, peakKb: 90_000 }], medianMs: 2000, medianPeakKb: 90_000, notes: maxMs > 100 ? ['waited behind `ALTER TABLE`'] : [],
  stall: { writes: 900, errors: 0, maxMs, p99Ms: 0.8, p50Ms: 0.4, maxAtMs: 1500, maxStep: 1, steps: [], rest: { writes: 500, maxMs: 3, p99Ms: 0.7 } },
});
const row = (id: string, size: number, strataMs: number, otherMs: number): RowResult => ({
  row: id, title: id, size, strata: side('strata generate + migrate', strataMs), other: side('drizzle-kit generate + migrate', otherMs), speedup: 1,
});
const report = (rows: RowResult[]): BenchReport => ({
  startedAt: '2026-12-05T08:00:00.000Z', finishedAt: '2026-12-05T08:10:00.000Z',
  options: { sizes: [100], reps: 1, smallMigrations: 200, rows: 1_000_000, stallRows: [200_000, 2_000_000], stallReaderMs: 5000, quick: false, only: null, otherMaxTables: null, timeoutS: 900, onceAfterS: 120 },
  machine: { cpu: 'cpu', cores: 2, memoryGb: 8, os: 'linux', node: 'v20', postgres: 'PostgreSQL 15.18', drizzleKit: '0.31.11', loadAverage: [1, 1, 1], memorySource: 'gnu-time', strataRevision: 'abc1234' },
  rows,
});

const PAGE = `# Strata beside drizzle-kit

- Machine: cpu
- Last column: ratio.

| work | size | Strata | time | peak memory | compared with | time | peak memory | Strata is |
|---|---|---|---|---|---|---|---|---|
| pull | 100 tables | \`strata pull\` | 0.33 s | 80 MB | \`drizzle-kit pull\` | 3.55 s | 135 MB | **11× faster** |

1. 1 run (each over 120 s)

## Targets from the issues

| issue | target | verdict | measured |
|---|---|---|---|
| #6 | pull, 300 tables | **met** | fast |
| #8 | data migration | **met** | fast |

## What each row does

- pull: the database to code.
`;

describe('merging the write-stall rows into a results page', () => {
  const stall = report([row('stall-index', 200_000, 4, 900), row('stall-index', 2_000_000, 6, 1421)]);

  it('adds the section, the #17 target lines and a re-measured line, and keeps every other line', () => {
    const merged = mergeStallSection(PAGE, stall, renderMarkdown(stall));
    for (const line of PAGE.split('\n')) expect(merged.split('\n')).toContain(line);
    expect(merged).toContain('## Write stalls during one change (#17)');
    expect(merged.indexOf('## Write stalls')).toBeLessThan(merged.indexOf('## Targets from the issues'));
    expect(merged).toMatch(/\| add an index \| 2,000,000 rows \| `strata generate \+ migrate` \| 6\.00 ms \|/);
    expect(merged).toMatch(/\| #8 \| data migration[^\n]*\n\| #17 \| add an index: longest write stall under 50 ms at every table size \| \*\*met\*\* \|/);
    expect(merged).toContain('- s1. waited behind `ALTER TABLE`');
    expect(merged).toMatch(/- Last column: ratio\.\n- Re-measured 2026-12-05 08:00 UTC \(`--merge`, Strata abc1234, 1 run, [^\n]*the write-stall rows\n/);
    expect(merged).toContain('- write stalls:');
  });

  it('replaces what an earlier merge added instead of adding it twice', () => {
    const once = mergeStallSection(PAGE, stall, renderMarkdown(stall));
    const later = report([row('stall-index', 200_000, 80, 900), row('stall-index', 2_000_000, 7, 1421)]);
    const twice = mergeStallSection(once, later, renderMarkdown(later));
    expect(twice.match(/## Write stalls/g)).toHaveLength(1);
    expect(twice.match(/\| #17 \| add an index/g)).toHaveLength(1);
    expect(twice).toContain('| #17 | add an index: longest write stall under 50 ms at every table size | **missed** |');
    expect(twice.match(/- Re-measured/g)).toHaveLength(1);
    expect(twice.match(/- write stalls:/g)).toHaveLength(1);
  });

  it('reports the opted-in rewrite without a goal and judges integer → bigint on the multi-step row, for #17 and #18', () => {
    const bigint = report([row('stall-bigint', 2_000_000, 1713, 1732), row('stall-bigint-multi-step', 2_000_000, 32, 1406)]);
    const once = mergeStallSection(PAGE, bigint, renderMarkdown(bigint));
    const twice = mergeStallSection(once, bigint, renderMarkdown(bigint));
    expect(twice).toContain('| #17 | integer → bigint with --unsafe-plans (the table rewrite, opted into): longest write stall, no goal | reported |');
    expect(twice.match(/\| #17 #18 \| integer → bigint as a multi-step change \(expand, backfill, contract\): longest write stall under 50 ms at every table size \| \*\*met\*\* \|/g)).toHaveLength(1);
  });

  it('refuses rows that need the full run\'s JSON', () => {
    const mixed = report([{ ...row('pull', 100, 1, 1), row: 'pull' }]);
    expect(() => mergeStallSection(PAGE, mixed, '')).toThrow(/cannot merge pull/);
  });
});
