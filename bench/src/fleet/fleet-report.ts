import type { BenchReport, RowResult, SideResult } from '../results.js';
import { FLEET_CONCURRENCY, FLEET_TABLES } from '../rows/fleet-row.js';

/** Whether a result row is the fleet row (issue 22). */
export const isFleetRow = (r: RowResult): boolean => r.row === 'fleet';

/** The section's heading: a merge finds the section by it. */
const FLEET_HEADING = '## Many databases at once (#22)';

const TARGETS_HEADING = '## Targets from the issues';
const n = (v: number) => v.toLocaleString('en-US');

/**
 * The results page's fleet section, self-contained (its own footnotes, f1, f2…, so a later run
 * can replace it in a page whose other rows it did not measure): the time of each side and the
 * most connections the server saw during it.
 *
 * @example
 * lines.push(...renderFleetSection(report.rows));
 */
export function renderFleetSection(rows: RowResult[]): string[] {
  const fleet = rows.filter(isFleetRow);
  if (fleet.length === 0) return [];
  const footnotes: string[] = [];
  const ref = (notes: string[]) => notes.map((t) => {
    let i = footnotes.indexOf(t);
    if (i < 0) i = footnotes.push(t) - 1;
    return `[f${i + 1}]`;
  }).join('');
  const cell = (side: SideResult): [string, string] => {
    const mark = side.notes.length ? ` ${ref(side.notes)}` : '';
    if (side.status !== 'ok' || side.medianMs === null) return [`${side.status === 'unavailable' ? 'n/a' : side.status}${mark}`, '–'];
    return [`${(side.medianMs / 1000).toFixed(1)} s${mark}`, side.peakConnections === undefined ? '–' : n(side.peakConnections)];
  };
  const lines = [
    FLEET_HEADING,
    '',
    `Every database of one local server migrated to the same schema (the generated migration of ${FLEET_TABLES} tables), each database empty at the start: \`strata migrate --targets <file> --concurrency ${FLEET_CONCURRENCY}\` (one process, ${FLEET_CONCURRENCY} databases at a time) against a shell loop running \`strata migrate --url …\` once per database, one after another (a fresh process each, as a script runs it). Both on the same machine and server in the same run, verified by counting the tables of every database afterwards. "Peak connections": the most connections to these databases the server had at once (\`pg_stat_activity\`, sampled every 20 ms from a connection of its own).`,
    '',
    '| work | databases | Strata | time | peak connections | compared with | time | peak connections | Strata is |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of fleet) {
    const [st, sc] = cell(r.strata);
    const [ot, oc] = cell(r.other);
    const ratio = r.speedup === null ? '–' : r.speedup >= 1 ? `**${r.speedup.toFixed(1)}× faster**` : `${(1 / r.speedup).toFixed(1)}× slower`;
    lines.push(`| ${r.title} | ${r.size === null ? '' : n(r.size)} | \`${r.strata.label}\` | ${st} | ${sc} | \`${r.other.label}\` | ${ot} | ${oc} | ${ratio} |`);
  }
  lines.push('');
  if (footnotes.length) lines.push(...footnotes.map((t, i) => `- f${i + 1}. ${t.replace(/\|/g, '\\|')}`), '');
  return lines;
}

/**
 * Puts a later run of the fleet row into an existing results page when the full run's JSON is not
 * at hand: the section is replaced (or added before the issues' targets), with a line saying when
 * it was measured; every other line of the page is kept. Throws when `later` holds other rows.
 *
 * @example
 * writeFileSync(md, mergeFleetSection(readFileSync(md, 'utf8'), fleetRun));
 */
export function mergeFleetSection(page: string, later: BenchReport): string {
  const other = later.rows.filter((r) => !isFleetRow(r));
  if (other.length) throw new Error(`cannot merge ${other.map((r) => r.row).join(', ')} into a page without its JSON`);
  const lines = page.split('\n');
  const start = lines.indexOf(FLEET_HEADING);
  if (start >= 0) {
    const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    lines.splice(start, (end < 0 ? lines.length : end) - start);
  }
  const m = later.machine;
  const when = `Measured ${later.startedAt.slice(0, 16).replace('T', ' ')} UTC (\`--only fleet --merge\`, Strata ${m.strataRevision ?? 'unknown'}, ${later.options.reps} run${later.options.reps > 1 ? 's' : ''}, load ${m.loadAverage.join(' / ')} at start${m.loadAverageEnd ? `, ${m.loadAverageEnd.join(' / ')} at end` : ''}; ${m.postgres}${m.postgresSettings ? `, ${m.postgresSettings}` : ''}).`;
  const section = renderFleetSection(later.rows);
  section.splice(2, 0, when, '');
  const targets = lines.indexOf(TARGETS_HEADING);
  lines.splice(targets < 0 ? lines.length : targets, 0, ...section);
  return lines.join('\n');
}
