/**
 * `pnpm bench`: Strata beside drizzle-kit on the same work. Prints a Markdown table (or JSON with
 * --json) and writes it to bench/results/latest.md (partial runs: results/partial.md).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseOptions, type BenchOptions } from './options.js';
import { mergeReports } from './merge-reports.js';
import { mergeFleetSection } from './fleet/fleet-report.js';
import { mergeStallSection } from './merge-markdown.js';
import { mergeRowsIntoPage } from './merge-rows.js';
import { renderMarkdown } from './render-markdown.js';
import type { BenchReport } from './results.js';
import { runBench } from './run-bench.js';
import { BENCH_DIR } from './tools.js';

/** Where a run's Markdown goes unless --out says: only a full run replaces latest.md. */
export function defaultOut(o: BenchOptions): string {
  const full = !o.quick && !o.only && o.sizes.join(',') === '100,300,1000,3000';
  return join(BENCH_DIR, 'results', full ? 'latest.md' : o.quick ? 'quick.md' : 'partial.md');
}

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (e) {
  const err = e as Error & { usage?: boolean };
  console.error(err.message);
  process.exit(err.usage ? 0 : 2);
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const latest = join(BENCH_DIR, 'results', 'latest');
// Without the full run's JSON, rows merge into the page itself: the rows rendered in a section of
// their own (write stall, fleet) as their section, the others line by line into the table (never
// both kinds in one run).
const inSection = (id: string) => id.startsWith('stall-') || id === 'fleet';
const pageMerge = options.merge && !existsSync(`${latest}.json`) && existsSync(`${latest}.md`) && Boolean(options.only);
const sectionMerge = pageMerge && Boolean(options.only?.every(inSection));
if (options.merge && !existsSync(`${latest}.json`) && !(pageMerge && (sectionMerge || !options.only?.some(inSection)))) {
  console.error(`--merge needs ${latest}.json from an earlier full run on this machine (without it: --only stall or fleet rows, or --only rows of the main table, merge into ${latest}.md)`);
  process.exit(2);
}
const measured = await runBench(options, log);
if (pageMerge && !sectionMerge) {
  const page = renderMarkdown(measured);
  writeFileSync(`${latest}.md`, mergeRowsIntoPage(readFileSync(`${latest}.md`, 'utf8'), measured, page));
  writeFileSync(`${latest}-rows.json`, JSON.stringify(measured, null, 2));
  process.stdout.write(options.json ? `${JSON.stringify(measured, null, 2)}\n` : page);
  log(`\nmerged ${measured.rows.length} rows into ${latest}.md`);
  const failedRows = measured.rows.filter((r) => r.strata.status === 'failed' || r.other.status === 'failed');
  process.exit(failedRows.length ? 1 : 0);
}
if (sectionMerge) {
  const page = renderMarkdown(measured);
  const stall = { ...measured, rows: measured.rows.filter((r) => r.row.startsWith('stall-')) };
  const fleet = { ...measured, rows: measured.rows.filter((r) => r.row === 'fleet') };
  let merged = readFileSync(`${latest}.md`, 'utf8');
  if (stall.rows.length) merged = mergeStallSection(merged, stall, page);
  if (fleet.rows.length) merged = mergeFleetSection(merged, fleet);
  writeFileSync(`${latest}.md`, merged);
  if (stall.rows.length) writeFileSync(`${latest}-stall.json`, JSON.stringify(stall, null, 2));
  if (fleet.rows.length) writeFileSync(`${latest}-fleet.json`, JSON.stringify(fleet, null, 2));
  process.stdout.write(options.json ? `${JSON.stringify(measured, null, 2)}\n` : page);
  log(`\nmerged the ${[stall.rows.length && 'write-stall', fleet.rows.length && 'fleet'].filter(Boolean).join(' and ')} rows into ${latest}.md`);
  const failedRows = measured.rows.filter((r) => r.strata.status === 'failed' || r.other.status === 'failed');
  process.exit(failedRows.length ? 1 : 0);
}
const report: BenchReport = options.merge ? mergeReports(JSON.parse(readFileSync(`${latest}.json`, 'utf8')) as BenchReport, measured) : measured;
const markdown = renderMarkdown(report);
const out = options.out ? resolve(options.out) : options.merge ? `${latest}.md` : defaultOut(options);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown);
writeFileSync(`${out.replace(/\.md$/, '')}.json`, JSON.stringify(report, null, 2));
process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : markdown);
log(`\nwrote ${out}`);
const failed = measured.rows.filter((r) => r.strata.status === 'failed' || r.other.status === 'failed');
if (failed.length) {
  log(`failed: ${failed.map((r) => `${r.row}${r.size !== null ? `@${r.size}` : ''}`).join(', ')}`);
  process.exit(1);
}
