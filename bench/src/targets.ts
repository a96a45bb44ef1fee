import type { RowResult } from './results.js';
import { judgeStallTargets } from './stall/stall-report.js';

/**
 * `#17` or `#17 #18`: the issue column of the targets table.
 *
 * @example
 * issueRef({ issue: [17, 18] }) // => '#17 #18'
 */
export const issueRef = (v: Pick<TargetVerdict, 'issue'>): string => (Array.isArray(v.issue) ? v.issue : [v.issue]).map((i) => `#${i}`).join(' ');

/**
 * A verdict as a line of the targets table.
 *
 * @example
 * targetLine({ issue: 21, target: 'pull, 300 tables: at most 0.40 s', status: 'met', detail: 'Strata 0.31 s' })
 * // => '| #21 | pull, 300 tables: at most 0.40 s | **met** | Strata 0.31 s |'
 */
export const targetLine = (v: TargetVerdict): string =>
  `| ${issueRef(v)} | ${v.target} | ${v.status === 'met' ? '**met**' : v.status === 'missed' ? '**missed**' : v.status} | ${v.detail} |`;

/** One speed target of the other issues, judged on a report's rows. */
export interface TargetVerdict {
  /** The issue (or issues) whose target this is. */
  issue: number | number[];
  target: string;
  status: 'met' | 'missed' | 'not measured' | 'reported';
  detail: string;
}

const s = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const x = (v: number) => (v >= 10 ? `${v.toFixed(0)}×` : `${v.toFixed(1)}×`);

function find(rows: RowResult[], id: string, size?: number): RowResult | undefined {
  return rows.find((r) => r.row === id && (size === undefined || r.size === size));
}

/** "Strata a s vs other b s (c× faster)". */
function compare(r: RowResult): string {
  const a = r.strata.medianMs;
  const b = r.other.medianMs;
  if (a === null) return `Strata: ${r.strata.status} (${r.strata.notes.join('; ')})`;
  if (b === null) return `Strata ${s(a)}; ${r.other.label}: ${r.other.status}${r.other.notes.length ? ` (${r.other.notes.join('; ')})` : ''}`;
  const ratio = b / a;
  return `Strata ${s(a)} vs ${r.other.label} ${s(b)}: ${ratio >= 1 ? `${x(ratio)} faster` : `${x(1 / ratio)} slower`}`;
}

/** Whether Strata's time grows no faster than linearly over the sizes measured. */
function growth(rows: RowResult[], id: string): { linear: boolean; detail: string } | null {
  const points = rows.filter((r) => r.row === id && r.size !== null && r.strata.medianMs !== null).sort((a, b) => a.size! - b.size!);
  if (points.length < 2) return null;
  const parts: string[] = [];
  let linear = true;
  for (let i = 1; i < points.length; i++) {
    const p = points[i - 1]!;
    const q = points[i]!;
    const timeRatio = q.strata.medianMs! / p.strata.medianMs!;
    const sizeRatio = q.size! / p.size!;
    if (timeRatio > sizeRatio) linear = false;
    parts.push(`${p.size}→${q.size} tables: time ×${timeRatio.toFixed(2)} for size ×${sizeRatio.toFixed(2)}`);
  }
  return { linear, detail: parts.join('; ') };
}

/**
 * The targets of issues 4–8, 17 and 21, judged on the measured rows.
 *
 * @example
 * for (const v of judgeTargets(report.rows)) console.log(v.issue, v.status, v.detail);
 */
export function judgeTargets(rows: RowResult[]): TargetVerdict[] {
  const out: TargetVerdict[] = [];
  const gen = find(rows, 'generate', 1000);
  out.push({
    issue: 4,
    target: 'generate, 1,000 tables: less time than drizzle-kit generate',
    status: !gen?.speedup ? 'not measured' : gen.speedup > 1 ? 'met' : 'missed',
    detail: gen ? compare(gen) : 'no 1,000-table run',
  });
  const small = find(rows, 'migrate-small');
  out.push({ issue: 5, target: `applying ${small?.size ?? 200} small migrations, beside drizzle-kit migrate`, status: small?.speedup ? 'reported' : 'not measured', detail: small ? compare(small) : 'not run' });
  for (const id of ['pull', 'push'] as const) {
    const r = find(rows, id, 300);
    out.push({
      issue: 6,
      target: `${id === 'pull' ? 'pull' : 'push with no change'}, 300 tables: at most 1/20 of drizzle-kit's time`,
      status: !r?.speedup ? 'not measured' : r.speedup >= 20 ? 'met' : 'missed',
      detail: r ? compare(r) : 'no 300-table run',
    });
    const g = growth(rows, id);
    out.push({
      issue: 6,
      target: `${id === 'pull' ? 'pull' : 'push with no change'}: time grows no faster than linearly with tables`,
      status: !g ? 'not measured' : g.linear ? 'met' : 'missed',
      detail: g?.detail ?? 'needs two sizes',
    });
  }
  for (const id of ['backup', 'restore'] as const) {
    const r = find(rows, id);
    out.push({ issue: 7, target: `${id} of ${r?.size?.toLocaleString('en-US') ?? '1,000,000'} rows beside ${id === 'backup' ? 'pg_dump' : 'pg_restore'}`, status: r?.speedup ? 'reported' : 'not measured', detail: r ? compare(r) : 'not run' });
  }
  const data = find(rows, 'data');
  const rate = (ms: number | null) => (ms && data?.size ? `${Math.round(data.size / (ms / 1000)).toLocaleString('en-US')} rows/s` : '–');
  out.push({
    issue: 8,
    target: `data migration, ${data?.size?.toLocaleString('en-US') ?? '1,000,000'} rows: batch helper at least 30× the guide's row-by-row loop`,
    status: !data?.speedup ? 'not measured' : data.speedup >= 30 ? 'met' : 'missed',
    detail: data ? `${compare(data)}; rates: Strata ${rate(data.strata.medianMs)}, row-by-row ${rate(data.other.medianMs)}` : 'not run',
  });
  out.push(...judgeSpeedTargets(rows));
  out.push(...judgeStallTargets(rows));
  return out;
}

/** Issue 21's cold-run goals: Strata's time at most `limitMs` (at `size` tables where given). */
const COLD_GOALS: { id: string; size?: number; limitMs: number; what: string }[] = [
  { id: 'version', limitMs: 150, what: '`strata --version`' },
  { id: 'help', limitMs: 150, what: '`strata --help`' },
  { id: 'pull', size: 300, limitMs: 400, what: 'pull, 300 tables' },
  { id: 'push', size: 300, limitMs: 600, what: 'push with no change, 300 tables' },
  { id: 'check', size: 300, limitMs: 600, what: 'check, 300 tables' },
  { id: 'status', size: 300, limitMs: 300, what: 'status, 300 tables, on a server' },
  { id: 'migrate-none', size: 300, limitMs: 300, what: 'migrate with nothing to do, 300 tables, on a server' },
];

/**
 * Issue 21's targets: each cold run within its time, pull/push/check linear up to the largest
 * size measured, pull of 300 tables at least 50× faster than drizzle-kit 0.31 and 8× faster than
 * 1.0-rc, and generate of 1,000 tables in at most half of drizzle-kit 0.31's time.
 *
 * @example
 * judgeSpeedTargets(report.rows).filter((v) => v.status === 'missed');
 */
export function judgeSpeedTargets(rows: RowResult[]): TargetVerdict[] {
  const out: TargetVerdict[] = [];
  for (const goal of COLD_GOALS) {
    const r = find(rows, goal.id, goal.size);
    const ms = r?.strata.medianMs ?? null;
    out.push({
      issue: 21,
      target: `${goal.what}: at most ${s(goal.limitMs)}`,
      status: ms === null ? 'not measured' : ms <= goal.limitMs ? 'met' : 'missed',
      detail: r ? compare(r) : 'not run',
    });
  }
  for (const id of ['pull', 'push', 'check'] as const) {
    const g = growth(rows, id);
    const largest = Math.max(0, ...rows.filter((r) => r.row === id && r.size !== null).map((r) => r.size!));
    out.push({
      issue: 21,
      target: `${id === 'push' ? 'push with no change' : id}: linear up to 3,000 tables`,
      status: !g || largest < 3000 ? 'not measured' : g.linear ? 'met' : 'missed',
      detail: g?.detail ?? 'needs two sizes',
    });
  }
  // The issue's ratios for pull: against both drizzle-kit releases.
  for (const [id, times, release] of [['pull', 50, '0.31'], ['rc-pull', 8, '1.0-rc']] as const) {
    const r = find(rows, id, 300);
    out.push({
      issue: 21,
      target: `pull, 300 tables: at least ${times}× faster than drizzle-kit ${release}`,
      status: !r?.speedup ? 'not measured' : r.speedup >= times ? 'met' : 'missed',
      detail: r ? compare(r) : 'no 300-table run',
    });
  }
  const gen = find(rows, 'generate', 1000);
  out.push({
    issue: 21,
    target: 'generate, 1,000 tables: at most half of drizzle-kit 0.31\'s time',
    status: !gen?.speedup ? 'not measured' : gen.speedup >= 2 ? 'met' : 'missed',
    detail: gen ? compare(gen) : 'no 1,000-table run',
  });
  return out;
}
