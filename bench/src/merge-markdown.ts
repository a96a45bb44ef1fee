import type { BenchReport } from './results.js';
import { isStallRow, judgeStallTargets, renderStallSection, STALL_HEADING } from './stall/stall-report.js';
import { targetLine } from './targets.js';

const TARGETS_HEADING = '## Targets from the issues';
const STALL_DESCRIPTION_START = '- write stalls:';

/**
 * Puts a later run of the write-stall rows into an existing results page (`results/latest.md`)
 * when the full run's JSON is not at hand: those rows render in a section of their own, so the
 * section, issue 17's target lines and a "re-measured" line are replaced or added, and every other
 * row of the page is kept as it was. Throws when `later` holds other rows (those need the JSON).
 *
 * @example
 * writeFileSync(md, mergeStallSection(readFileSync(md, 'utf8'), stallRun, renderedPage));
 */
export function mergeStallSection(page: string, later: BenchReport, laterPage: string): string {
  const other = later.rows.filter((r) => !isStallRow(r));
  if (other.length) throw new Error(`cannot merge ${other.map((r) => r.row).join(', ')} into a page without its JSON`);
  const lines = page.split('\n');
  // 1. The old section, if any, out.
  const start = lines.indexOf(STALL_HEADING);
  if (start >= 0) {
    const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    lines.splice(start, (end < 0 ? lines.length : end) - start);
  }
  // 2. The new section before the targets.
  const targets = lines.indexOf(TARGETS_HEADING);
  if (targets < 0) throw new Error(`the page has no "${TARGETS_HEADING}" section`);
  lines.splice(targets, 0, ...renderStallSection(later.rows, later.options.stallReaderMs ?? 5000));
  // 3. The stall rows' target lines (issue 17's, and issue 18's multi-step one) replaced, after the other issues' lines.
  const kept = lines.filter((l) => !l.startsWith('| #17 ') && !l.startsWith('| #18 | integer → bigint as a multi-step'));
  const at = kept.indexOf(TARGETS_HEADING);
  let last = at;
  for (let i = at + 1; i < kept.length && !kept[i]!.startsWith('## '); i++) if (kept[i]!.startsWith('| #')) last = i;
  const verdicts = judgeStallTargets(later.rows).map(targetLine);
  kept.splice(last + 1, 0, ...verdicts);
  // 4. The page says when these rows were measured, with which build and load.
  const m = later.machine;
  const bullet = `- Re-measured ${later.startedAt.slice(0, 16).replace('T', ' ')} UTC (\`--merge\`, Strata ${m.strataRevision ?? 'unknown'}, ${later.options.reps} run${later.options.reps > 1 ? 's' : ''}, load ${m.loadAverage.join(' / ')} at start${m.loadAverageEnd ? `, ${m.loadAverageEnd.join(' / ')} at end` : ''}; ${m.postgres}${m.postgresSettings ? `, ${m.postgresSettings}` : ''}): the write-stall rows`;
  const firstTable = kept.findIndex((l) => l.startsWith('| '));
  const old = kept.findIndex((l, i) => i < firstTable && l.startsWith('- Re-measured') && l.endsWith('the write-stall rows'));
  if (old >= 0) kept.splice(old, 1, bullet);
  else {
    let lastBullet = firstTable;
    while (lastBullet > 0 && !kept[lastBullet]!.startsWith('- ')) lastBullet--;
    kept.splice(lastBullet + 1, 0, bullet);
  }
  // 5. The rows' description in "What each row does".
  const description = laterPage.split('\n').find((l) => l.startsWith(STALL_DESCRIPTION_START));
  const had = kept.findIndex((l) => l.startsWith(STALL_DESCRIPTION_START));
  if (description && had >= 0) kept[had] = description;
  else if (description) {
    const end = kept.length - (kept.at(-1) === '' ? 1 : 0);
    kept.splice(end, 0, description);
  }
  return kept.join('\n');
}
