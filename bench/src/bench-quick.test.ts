import { describe, expect, it } from 'vitest';
import { parseOptions } from './options.js';
import { renderMarkdown } from './render-markdown.js';
import { runBench } from './run-bench.js';
import { ROWS } from './rows/catalog.js';
import { strataCommands } from './tools.js';

// The harness itself, end to end, so it never rots: `--quick` (one small schema, one run of each
// row, drizzle-kit and the other tools included) on the test suite's PostgreSQL server. The
// benchmark compares with tools that need a server (drizzle-kit, pg_dump), so it runs on the server
// only. No timing is asserted: only that every row ran, was verified and has numbers.
/** Rows with nothing to compare with: the other tool has no such command. */
const NO_OTHER = new Set(['status']);

describe('pnpm bench --quick', () => {
  it('measures every row on both sides and renders the table', { timeout: 600_000 }, async () => {
    const options = { ...parseOptions(['--quick']), url: process.env.STRATA_TEST_PG_URL };
    const lines: string[] = [];
    const report = await runBench(options, (l) => lines.push(l));
    const commands = strataCommands();

    // Sized rows run at every schema size, the write-stall rows at every table size of theirs.
    const expected = ROWS.flatMap((r) => (r.sized ? options.sizes.map((s) => `${r.id}@${s}`) : r.ownSizes ? options.stallRows.map((s) => `${r.id}@${s}`) : [r.id]));
    const perSize = (id: string) => { const d = ROWS.find((x) => x.id === id)!; return d.sized || Boolean(d.ownSizes); };
    expect(report.rows.map((r) => (perSize(r.row) ? `${r.row}@${r.size}` : r.row))).toEqual(expected);

    for (const row of report.rows) {
      const def = ROWS.find((d) => d.id === row.row)!;
      const where = `${row.row}@${row.size}: ${[...row.strata.notes, ...row.other.notes].join('; ')}`;
      if (def.needs.every((c) => commands.has(c))) {
        expect(row.strata.status, where).toBe('ok');
        // A row whose other tool has no such command (drizzle-kit has no status) says so.
        const sides = NO_OTHER.has(row.row) ? [row.strata] : [row.strata, row.other];
        if (NO_OTHER.has(row.row)) expect([row.other.status, ...row.other.notes], where).toEqual(['skipped', expect.stringMatching(/not applicable/)]);
        else expect(row.other.status, where).toBe('ok');
        for (const side of sides) {
          expect(side.runs, where).toHaveLength(1);
          expect(side.medianMs, where).toBeGreaterThan(0);
          expect(side.medianPeakKb, where).toBeGreaterThan(0);
        }
        if (!NO_OTHER.has(row.row)) expect(row.speedup, where).toBeGreaterThan(0);
        if (row.row.startsWith('stall-')) {
          // The writer ran through both tools' generate and migrate, and its figures were kept.
          for (const side of [row.strata, row.other]) {
            expect(side.stall?.writes, where).toBeGreaterThan(0);
            expect(side.stall?.rest.writes, where).toBeGreaterThan(0);
            expect(side.stall?.errors, where).toBe(0);
          }
        }
      } else {
        // A command still being written: the row is there and says so, with no made-up numbers.
        expect(row.strata.status, where).toBe('unavailable');
        expect(row.strata.medianMs).toBeNull();
      }
    }

    const md = renderMarkdown(report);
    for (const row of report.rows.filter((r) => !r.row.startsWith('stall-'))) expect(md).toContain(`| ${row.title} |`);
    expect(md).toContain('## Write stalls during one change (#17)');
    expect(md).toContain(report.machine.postgres);
  });
});
