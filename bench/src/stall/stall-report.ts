import type { RowResult, SideResult } from '../results.js';
import type { TargetVerdict } from '../targets.js';
import { REST_MS } from './stall-writer.js';

/** Whether a result row is one of the write-stall rows. */
export const isStallRow = (r: RowResult): boolean => r.row.startsWith('stall-');

/**
 * The longest stall each change must stay under (issue 17; the multi-step row: issue 18), ms; null:
 * reported without a goal. `stall-bigint` is the plain table rewrite a user opts into with
 * `--unsafe-plans` (generate's default stops and offers `--multi-step`), so it can only be as short
 * as the rewrite: issue 17's integer → bigint goal is judged on the multi-step row.
 */
export const STALL_GOAL_MS: Record<string, number | null> = {
  'stall-index': 50,
  'stall-fk': 50,
  'stall-not-null': 50,
  'stall-bigint': null,
  'stall-bigint-multi-step': 50,
  'stall-lock-queue': 250,
};

const CHANGE: Record<string, string> = {
  'stall-index': 'add an index',
  'stall-fk': 'add a foreign key',
  'stall-not-null': 'SET NOT NULL',
  'stall-bigint': 'integer → bigint',
  'stall-bigint-multi-step': 'integer → bigint as a multi-step change (expand, backfill, contract)',
  'stall-lock-queue': 'add a column while a read transaction is open (lock queue)',
};

const n = (v: number) => v.toLocaleString('en-US');

/** A latency for the table: `0.41 ms`, `38 ms`, `1,421 ms`. */
export const fmtMs = (ms: number): string => (ms < 10 ? `${ms.toFixed(2)} ms` : `${n(Math.round(ms))} ms`);

function figures(side: SideResult): string {
  if (side.status !== 'ok' || !side.stall) return side.status === 'ok' ? 'no figures' : side.status;
  return `${fmtMs(side.stall.maxMs)} (p99 ${fmtMs(side.stall.p99Ms)})`;
}

/** The section's heading: a merge finds the section by it. */
export const STALL_HEADING = '## Write stalls during one change (#17)';

/**
 * The results page's write-stall section, self-contained (its own footnotes, marked s1, s2…, so a
 * later run can replace it in a page whose other rows it did not measure): one row per change and
 * table size with the longest write and the p99 of each side.
 *
 * @example
 * lines.push(...renderStallSection(report.rows, 5000));
 */
export function renderStallSection(rows: RowResult[], readerMs: number): string[] {
  const stall = rows.filter(isStallRow);
  if (stall.length === 0) return [];
  const footnotes: string[] = [];
  const ref = (notes: string[]) =>
    notes.map((t) => {
      let i = footnotes.indexOf(t);
      if (i < 0) i = footnotes.push(t) - 1;
      return `[s${i + 1}]`;
    }).join('');
  const cell = (side: SideResult): [string, string, string] => {
    const mark = side.notes.length ? ` ${ref(side.notes)}` : '';
    if (side.status !== 'ok' || !side.stall) return [`${side.status === 'unavailable' ? 'n/a' : side.status}${mark}`, '–', '–'];
    const time = side.medianMs === null ? '–' : `${(side.medianMs / 1000).toFixed(2)} s`;
    // generate touches no database: a long write then is the machine's noise, not a lock.
    const where = side.stall.maxStep === 0 ? ' (in generate)' : '';
    return [`${fmtMs(side.stall.maxMs)}${where}${mark}`, fmtMs(side.stall.p99Ms), time];
  };
  const rest = (r: RowResult): string => {
    const sides = [r.strata.stall?.rest, r.other.stall?.rest].filter((x) => x !== undefined);
    if (sides.length === 0) return '–';
    return `${fmtMs(Math.max(...sides.map((x) => x.maxMs)))} / ${fmtMs(Math.max(...sides.map((x) => x.p99Ms)))}`;
  };
  const lines = [
    STALL_HEADING,
    '',
    `While one change is generated and applied to a table of the size shown — each tool's \`generate\` then \`migrate\`, fresh processes, as a user runs them — the application's writer (a process of its own, one connection) inserts into that table in a loop (2 ms between writes) and times every write. "Longest stall" is the longest single write from the start of \`generate\` to the end of \`migrate\`; p99 is over the same writes. Each side works on its own copy (\`CREATE DATABASE … TEMPLATE\`) of a database its tool migrated and the harness filled with the same rows (generate_series, VACUUM ANALYZE), on the same server. Goal: under 50 ms for every change at any size; under 250 ms when \`migrate\`'s ALTER meets a read transaction on the table (opened before \`migrate\` starts, committed ${n(readerMs)} ms after the ALTER queued behind it). With several runs, the worst run's figures are shown. "At rest": the same writer in the ${(REST_MS / 1000).toFixed(1)} s before the tool starts (the worse of the two sides), the machine's own noise; "(in generate)": the longest write came while \`generate\` ran, which touches no database. A sampler (every 10 ms, \`pg_blocking_pids\`) names the statement a blocked write waited behind (the notes).`,
    '',
    '| change | table | Strata | longest stall | p99 write | time | compared with | longest stall | p99 write | time | writer at rest: longest / p99 |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of stall) {
    const [sm, sp, st] = cell(r.strata);
    const [om, op, ot] = cell(r.other);
    lines.push(`| ${CHANGE[r.row] ?? r.row} | ${r.size !== null ? `${n(r.size)} rows` : ''} | \`${r.strata.label}\` | ${sm} | ${sp} | ${st} | \`${r.other.label}\` | ${om} | ${op} | ${ot} | ${rest(r)} |`);
  }
  lines.push('');
  if (footnotes.length) lines.push(...footnotes.map((t, i) => `- s${i + 1}. ${t.replace(/\|/g, '\\|')}`), '');
  return lines;
}

/**
 * Issue 17's targets, one per change: Strata's longest write stall under the goal at every table
 * size measured, with drizzle-kit's figures beside it.
 *
 * @example
 * judgeStallTargets(report.rows).filter((v) => v.status === 'missed');
 */
export function judgeStallTargets(rows: RowResult[]): TargetVerdict[] {
  return Object.entries(STALL_GOAL_MS).map(([id, goal]) => {
    const measured = rows.filter((r) => r.row === id).sort((a, b) => (a.size ?? 0) - (b.size ?? 0));
    const target =
      goal === null
        ? `${CHANGE[id]} with --unsafe-plans (the table rewrite, opted into): longest write stall, no goal`
        : `${CHANGE[id]}: longest write stall under ${goal} ms at every table size`;
    const strata = measured.map((r) => r.strata.stall?.maxMs ?? null);
    const status: TargetVerdict['status'] =
      measured.length === 0 || strata.some((v) => v === null) ? 'not measured' : goal === null ? 'reported' : strata.every((v) => v! < goal) ? 'met' : 'missed';
    const rest = (r: RowResult) => {
      const worst = Math.max(r.strata.stall?.rest.maxMs ?? 0, r.other.stall?.rest.maxMs ?? 0);
      return worst > 0 ? `, writer at rest up to ${fmtMs(worst)}` : '';
    };
    const detail = measured.length === 0 ? 'not run' : measured.map((r) => `${n(r.size ?? 0)} rows: Strata ${figures(r.strata)} vs ${r.other.label} ${figures(r.other)}${rest(r)}`).join('; ');
    // The multi-step row answers both issues: #18 built the change, #17 asks it of generate's answer.
    return { issue: id === 'stall-bigint-multi-step' ? [17, 18] : 17, target, status, detail };
  });
}
