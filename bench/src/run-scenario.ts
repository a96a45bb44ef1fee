import { maskSecrets } from '@strata/core';
import { isBuildRace } from './build-info.js';
import { measureRetrying, type ProcessResult } from './measure.js';
import { median, type Run, type SideResult, type SideStatus } from './results.js';
import { isSkipped, type Scenario, type Side } from './scenario.js';
import type { StallFigures } from './stall/stall-figures.js';

export interface RunLimits {
  reps: number;
  /** A run longer than this is killed and reported as timed out. */
  timeoutMs: number;
  /** A side whose run took longer than this is not repeated (its one run is reported). */
  onceAfterMs: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

interface SideState {
  side: Side;
  status: SideStatus;
  runs: Run[];
  notes: Set<string>;
  stop: boolean;
}

const tail = (s: string, n = 600) => (s.length > n ? `…${s.slice(-n)}` : s).trim();

/** Runs the steps of one prepared run and checks it; returns the run or throws. */
async function runOnce(state: SideState, limits: RunLimits): Promise<void> {
  const prepared = await state.side.prepare();
  try {
    const results: ProcessResult[] = [];
    for (const [index, step] of prepared.steps.entries()) {
      await prepared.beforeStep?.(index);
      const r = await measureRetrying(step, limits.timeoutMs, isBuildRace, () => state.notes.add('a run was repeated: a concurrent build was rewriting the CLI'));
      results.push(r);
      if (r.timedOut) {
        state.status = 'timeout';
        state.notes.add(`stopped after ${Math.round(limits.timeoutMs / 1000)} s without finishing`);
        state.stop = true;
        return;
      }
      if (r.code !== 0) {
        const cmd = [step.cmd, ...step.args].map((a) => (a.startsWith('/') ? a.split('/').slice(-2).join('/') : a)).join(' ');
        throw new Error(`${cmd} exited ${r.code ?? r.signal}: ${tail(r.stderr || r.stdout)}`);
      }
    }
    const verified = await prepared.verify(results);
    const { note, stall, connections } = typeof verified === 'object' ? verified : { note: verified ?? undefined, stall: undefined, connections: undefined };
    if (note) state.notes.add(note);
    const run: Run = {
      ...(stall ? { stall } : {}),
      ...(connections === undefined ? {} : { connections }),
      ms: results.reduce((a, r) => a + r.ms, 0),
      peakKb: results.every((r) => r.peakKb === null) ? null : Math.max(...results.map((r) => r.peakKb ?? 0)),
    };
    state.runs.push(run);
    if (run.ms > limits.onceAfterMs && limits.reps > 1) {
      state.stop = true;
      state.notes.add(`${state.runs.length} run${state.runs.length > 1 ? 's' : ''} (each over ${Math.round(limits.onceAfterMs / 1000)} s)`);
    }
  } finally {
    await prepared.cleanup?.();
  }
}

/** The figures of the run with the longest write stall, when the runs measured any. */
function worstStall(runs: Run[]): { stall?: StallFigures } {
  const worst = runs.reduce<StallFigures | undefined>((a, r) => (r.stall && (!a || r.stall.maxMs > a.maxMs) ? r.stall : a), undefined);
  return worst ? { stall: worst } : {};
}

/** The most connections any run saw, when the runs counted them. */
function peakConnections(runs: Run[]): { peakConnections?: number } {
  const seen = runs.flatMap((r) => (r.connections === undefined ? [] : [r.connections]));
  return seen.length ? { peakConnections: Math.max(...seen) } : {};
}

function result(state: SideState): SideResult {
  return {
    label: state.side.label,
    status: state.status,
    runs: state.runs,
    medianMs: median(state.runs.map((r) => r.ms)),
    medianPeakKb: median(state.runs.flatMap((r) => (r.peakKb === null ? [] : [r.peakKb]))),
    ...worstStall(state.runs),
    ...peakConnections(state.runs),
    notes: [...state.notes],
  };
}

/**
 * Runs a scenario `reps` times, alternating which side goes first, each run on fresh state.
 *
 * @example
 * const { strata, other } = await runScenario(scenario, { reps: 3, timeoutMs: 600_000, onceAfterMs: 120_000, log: console.error });
 */
export async function runScenario(scenario: Scenario, limits: RunLimits): Promise<{ strata: SideResult; other: SideResult }> {
  const strata: SideState = { side: scenario.strata, status: 'ok', runs: [], notes: new Set(), stop: false };
  const skipped = isSkipped(scenario.other) ? scenario.other : null;
  const other: SideState | null = skipped ? null : { side: scenario.other as Side, status: 'ok', runs: [], notes: new Set(), stop: false };
  const where = `${scenario.row}${scenario.size !== null ? ` @ ${scenario.size}` : ''}`;
  for (let rep = 0; rep < limits.reps; rep++) {
    const order = rep % 2 === 0 ? [strata, other] : [other, strata];
    for (const s of order) {
      if (!s || s.stop) continue;
      try {
        await runOnce(s, limits);
        const last = s.runs.at(-1);
        limits.log(`  ${where}: ${s.side.label} ${s.status === 'timeout' ? 'timed out' : last ? `${(last.ms / 1000).toFixed(2)} s` : ''}`);
      } catch (e) {
        s.status = 'failed';
        s.stop = true;
        // Passwords in URLs (a --url server) never reach the results.
        const message = maskSecrets((e as Error).message);
        s.notes.add(message.split('\n').slice(0, 6).join(' ').slice(0, 400));
        limits.log(`  ${where}: ${s.side.label} FAILED: ${message.slice(0, 300)}`);
      }
    }
  }
  return {
    strata: result(strata),
    other: other
      ? result(other)
      : { label: skipped!.label, status: 'skipped', runs: [], medianMs: null, medianPeakKb: null, notes: [skipped!.skipped] },
  };
}
