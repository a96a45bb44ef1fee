import { describe, expect, it } from 'vitest';
import { mergeRowsIntoPage } from './merge-rows.js';
import { renderMarkdown } from './render-markdown.js';
import type { BenchReport, RowResult, SideResult } from './results.js';

const side = (label: string, ms: number, notes: string[] = []): SideResult => ({ label, status: 'ok', runs: [{ ms, peakKb: 80_000 }], medianMs: ms, medianPeakKb: 80_000, notes });
const row = (id: string, title: string, size: number | null, strataMs: number, other: SideResult): RowResult => ({
  row: id, title, size, strata: side(`strata ${id}`, strataMs), other, speedup: other.medianMs ? other.medianMs / strataMs : null,
});
const report = (rows: RowResult[]): BenchReport => ({
  startedAt: '2026-12-05T13:00:00.000Z', finishedAt: '2026-12-05T13:10:00.000Z',
  options: { sizes: [300], reps: 5, smallMigrations: 200, rows: 1_000_000, quick: false, only: rows.map((r) => r.row), otherMaxTables: 300, timeoutS: 900, onceAfterS: 120 },
  machine: { cpu: 'cpu', cores: 2, memoryGb: 8, os: 'linux', node: 'v20', postgres: 'PostgreSQL 15.18', drizzleKit: '0.31.11', loadAverage: [3, 2, 1], loadAverageEnd: [4, 2, 1], memorySource: 'gnu-time', strataRevision: 'abc1234' },
  rows,
});

const PAGE = `# Strata beside drizzle-kit

- Machine: cpu
- Last column: ratio.

| work | size | Strata | time | peak memory | compared with | time | peak memory | Strata is |
|---|---|---|---|---|---|---|---|---|
| pull (database → schema code) | 100 tables | \`strata pull\` | 0.33 s | 80 MB | \`drizzle-kit pull\` | 3.55 s | 135 MB | **11× faster** |
| pull (database → schema code) | 300 tables | \`strata pull\` | 0.44 s | 87 MB | \`drizzle-kit pull\` | 18.7 s | 130 MB | **43× faster** |
| data migration | 1,000,000 rows | \`strata data run\` | 4.67 s | 180 MB | \`row by row\` | 202.9 s [1] | 295 MB | **43× faster** |

1. 1 run (each over 120 s)

## Targets from the issues

| issue | target | verdict | measured |
|---|---|---|---|
| #6 | pull, 300 tables | **met** | fast |
`;

describe('merging ordinary rows into a results page', () => {
  const later = report([
    row('pull', 'pull (database → schema code)', 300, 300, side('drizzle-kit pull', 19_000)),
    row('status', 'status, nothing pending', 300, 210, { ...side('drizzle-kit (no status command)', 0, ['drizzle-kit has no status command: not applicable']), status: 'skipped', runs: [], medianMs: null, medianPeakKb: null }),
    row('pull', 'pull (database → schema code)', 3000, 1200, { ...side('drizzle-kit pull', 0, ['1 run (each over 120 s)']), status: 'skipped', runs: [], medianMs: null, medianPeakKb: null }),
  ]);
  const merged = mergeRowsIntoPage(PAGE, later, renderMarkdown(later)).split('\n');

  it('replaces the same work and size, adds new sizes after their work and new work at the end, keeps every other line', () => {
    const table = merged.filter((l) => l.startsWith('| ') && !l.startsWith('| work') && !l.startsWith('| issue') && !l.startsWith('| #'));
    expect(table.map((l) => l.split(' | ').slice(0, 2).join(' | '))).toEqual([
      '| pull (database → schema code) | 100 tables',
      '| pull (database → schema code) | 300 tables',
      '| pull (database → schema code) | 3,000 tables',
      '| data migration | 1,000,000 rows',
      '| status, nothing pending | 300 tables',
    ]);
    expect(table[1]).toContain('| 0.30 s |');
    // A size between two of the page's goes between them.
    const between = report([row('pull', 'pull (database → schema code)', 1000, 700, side('drizzle-kit pull', 90_000))]);
    const sizes = mergeRowsIntoPage(merged.join('\n'), between, renderMarkdown(between)).split('\n')
      .filter((l) => l.startsWith('| pull')).map((l) => l.split(' | ')[1]);
    expect(sizes).toEqual(['100 tables', '300 tables', '1,000 tables', '3,000 tables']);
    for (const line of PAGE.split('\n').filter((l) => !l.includes('| 300 tables |'))) expect(merged).toContain(line);
  });

  it("renumbers the rows' footnotes into the page's: a text it has keeps its number, a new one is added", () => {
    expect(merged.find((l) => l.includes('| 3,000 tables |'))).toContain('not run [1]');
    expect(merged.find((l) => l.startsWith('| status'))).toContain('not run [2]');
    expect(merged).toContain('2. drizzle-kit has no status command: not applicable');
    expect(merged.indexOf('2. drizzle-kit has no status command: not applicable')).toBe(merged.indexOf('1. 1 run (each over 120 s)') + 1);
  });

  it('says how the times are taken and when these rows were measured, once', () => {
    expect(merged.filter((l) => l.startsWith('- Cold:'))).toHaveLength(1);
    expect(merged).toContain('- Re-measured 2026-12-05 13:00 UTC (`--merge`, Strata abc1234, median of 5 runs, load 3 / 2 / 1 at start, 4 / 2 / 1 at end; PostgreSQL 15.18; drizzle-kit 0.31.11): pull@300, status@300, pull@3000');
    const again = mergeRowsIntoPage(merged.join('\n'), later, renderMarkdown(later)).split('\n');
    expect(again.filter((l) => l.startsWith('- Cold:'))).toHaveLength(1);
    expect(again.filter((l) => l.startsWith('| status'))).toHaveLength(1);
  });

  it('refreshes the target lines these rows judge, once, after the lines of lower issues, and leaves the others', () => {
    const at = (text: string) => merged.findIndex((l) => l.startsWith(text));
    expect(merged).toContain("| #6 | pull, 300 tables: at most 1/20 of drizzle-kit's time | **met** | Strata 0.30 s vs drizzle-kit pull 19.0 s: 63× faster |");
    expect(merged).toContain('| #21 | pull, 300 tables: at most 0.40 s | **met** | Strata 0.30 s vs drizzle-kit pull 19.0 s: 63× faster |');
    expect(merged.find((l) => l.startsWith('| #21 | status, 300 tables, on a server: at most 0.30 s |'))).toContain('**met**');
    expect(at('| #21 | pull: linear up to 3,000 tables |')).toBeGreaterThan(at('| #6 |'));
    expect(merged.find((l) => l.startsWith('| #21 | pull: linear up to 3,000 tables |'))).toContain('**met**');
    // Rows this run did not measure judge nothing: no check, version or generate line.
    expect(merged.some((l) => l.startsWith('| #21 | check') || l.startsWith('| #21 | `strata --version`') || l.startsWith('| #21 | generate'))).toBe(false);
    expect(merged).toContain('| #6 | pull, 300 tables | **met** | fast |');
    const again = mergeRowsIntoPage(merged.join('\n'), later, renderMarkdown(later)).split('\n');
    expect(again.filter((l) => l.startsWith('| #21 | pull, 300 tables: at most 0.40 s'))).toHaveLength(1);
    expect(again.filter((l) => l.startsWith('| #21 | pull, 300 tables: at least 50× faster than drizzle-kit 0.31 | **met**'))).toHaveLength(1);
    // rc-pull was not measured: its ratio judges nothing.
    expect(again.some((l) => l.includes('drizzle-kit 1.0-rc'))).toBe(false);
  });

  it('keeps in an earlier re-measured line only the rows this run did not measure again', () => {
    const earlier = report([
      row('pull', 'pull (database → schema code)', 300, 310, side('drizzle-kit pull', 19_000)),
      row('pull', 'pull (database → schema code)', 100, 250, side('drizzle-kit pull', 3_000)),
    ]);
    const once = mergeRowsIntoPage(PAGE, { ...earlier, startedAt: '2026-12-05T12:00:00.000Z' }, renderMarkdown(earlier));
    const twice = mergeRowsIntoPage(once, later, renderMarkdown(later)).split('\n');
    const bullets = twice.filter((l) => l.startsWith('- Re-measured'));
    expect(bullets).toHaveLength(2);
    expect(bullets[0]).toMatch(/^- Re-measured 2026-12-05 12:00 UTC .*\): pull@100$/);
    expect(bullets[1]).toMatch(/\): pull@300, status@300, pull@3000$/);
    const thrice = mergeRowsIntoPage(twice.join('\n'), earlier, renderMarkdown(earlier)).split('\n');
    expect(thrice.filter((l) => l.startsWith('- Re-measured')).map((l) => l.slice(l.lastIndexOf('): ') + 3))).toEqual(['status@300, pull@3000', 'pull@300, pull@100']);
  });
});
