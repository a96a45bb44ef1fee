import type { BlockerSample } from './stall-sampler.js';

/** Longest and p99 of a set of writes. */
export interface WriteSpread {
  writes: number;
  maxMs: number;
  p99Ms: number;
}

/** What the writer saw during one run of a write-stall row. */
export interface StallFigures {
  /** Writes timed (from the start of the tool's first process to the end of its last). */
  writes: number;
  /** Writes that failed (the writer's insert was rejected). */
  errors: number;
  /** The longest single write, ms: how long the application could not write. */
  maxMs: number;
  /** The 99th percentile of the writes' latency, ms. */
  p99Ms: number;
  /** The median write, ms. */
  p50Ms: number;
  /** When the longest write started, ms after the tool's first process started. */
  maxAtMs: number;
  /** The step (0: generate, 1: migrate) during which the longest write started. */
  maxStep: number;
  /** Each step's own figures, in order. */
  steps: WriteSpread[];
  /** The same writer on the same table just before the tool started: the machine's own noise. */
  rest: WriteSpread;
  /** What the writer waited for, from sampling the server's locks during the run. */
  blockers?: BlockerSample[];
  /** What the sampler saw the writer doing during the longest write. */
  longest?: string;
}

/** Every write of a run: its start (epoch ms) and latency (ms), in order. */
export interface WriterLog {
  writes: number;
  errors: number;
  firstError: string | null;
  starts: number[];
  latencies: number[];
}

/** The q-quantile (nearest rank) of sorted values. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

function spread(ms: number[]): WriteSpread {
  const sorted = [...ms].sort((a, b) => a - b);
  return { writes: sorted.length, maxMs: sorted.at(-1) ?? 0, p99Ms: quantile(sorted, 0.99) };
}

/**
 * The figures of a run: the writes that started from the first step's start (`stepStarts[0]`,
 * epoch ms) on, split by step, and those before it as the writer at rest.
 *
 * @example
 * summarizeWrites({ writes: 4, errors: 0, firstError: null, starts: [5, 10, 12, 14], latencies: [0.3, 0.4, 80, 0.5] }, [10, 13]);
 * // → maxMs 80, maxAtMs 2, maxStep 0, rest { writes: 1, maxMs: 0.3, … }
 */
export function summarizeWrites(log: WriterLog, stepStarts: number[]): StallFigures {
  const from = stepStarts[0] ?? 0;
  const rest: number[] = [];
  const during: { at: number; ms: number; step: number }[] = [];
  for (let i = 0; i < log.latencies.length; i++) {
    const at = log.starts[i]!;
    const ms = log.latencies[i]!;
    if (at < from) rest.push(ms);
    else during.push({ at, ms, step: Math.max(0, stepStarts.findLastIndex((s) => s <= at)) });
  }
  const sorted = during.map((w) => w.ms).sort((a, b) => a - b);
  const worst = during.reduce<(typeof during)[number] | null>((a, w) => (!a || w.ms > a.ms ? w : a), null);
  return {
    writes: during.length,
    errors: log.errors,
    maxMs: worst?.ms ?? 0,
    p99Ms: quantile(sorted, 0.99),
    p50Ms: quantile(sorted, 0.5),
    maxAtMs: worst ? Math.round(worst.at - from) : 0,
    maxStep: worst?.step ?? 0,
    steps: stepStarts.map((_, k) => spread(during.filter((w) => w.step === k).map((w) => w.ms))),
    rest: spread(rest),
  };
}
