import type { StallFigures } from './stall/stall-figures.js';

/** One timed run of one side. */
export interface Run {
  ms: number;
  /** The writer's figures during the run (write-stall rows only). */
  stall?: StallFigures;
  /** Peak RSS of the largest process of the run, KiB; null when unknown. */
  peakKb: number | null;
  /** Peak connections to the server during the run (the fleet row), sampled from pg_stat_activity. */
  connections?: number;
}

export type SideStatus =
  /** Every run finished and was verified. */
  | 'ok'
  /** A run exceeded the per-run time limit; `runs` holds none of it. */
  | 'timeout'
  /** A run exited non-zero or did not do the work. */
  | 'failed'
  /** Not run (size cap, `--skip-other`, …): `note` says why. */
  | 'skipped'
  /** The Strata command does not exist in the built CLI yet. */
  | 'unavailable';

export interface SideResult {
  label: string;
  status: SideStatus;
  runs: Run[];
  /** Median of the runs' times (null without runs). */
  medianMs: number | null;
  /** Median of the runs' peak memory. */
  medianPeakKb: number | null;
  /** Write-stall rows: the figures of the run with the longest stall (the worst the application saw). */
  stall?: StallFigures;
  /** The fleet row: the most connections to the server seen during any run. */
  peakConnections?: number;
  notes: string[];
}

export interface RowResult {
  row: string;
  title: string;
  size: number | null;
  strata: SideResult;
  other: SideResult;
  /** other / strata: how many times faster Strata is (above 1) or slower (below 1). */
  speedup: number | null;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
  postgres: string;
  postgresSettings?: string;
  drizzleKit: string;
  /** The drizzle-kit 1.0-rc of the `-rc` rows (absent in reports made before they existed). */
  drizzleKitRc?: string;
  /** 1, 5 and 15 minute load averages when the run started and ended (other work on the machine skews times). */
  loadAverage: number[];
  loadAverageEnd?: number[];
  memorySource: string;
  /** The commit Strata was built from. */
  strataRevision?: string;
  /** buildFingerprint() when the run started: equal fingerprints ran the same built files. */
  buildFingerprint?: string;
  /** True when the built CLI changed while the benchmark ran (rows then mix two builds). */
  buildChanged?: boolean;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  options: { sizes: number[]; reps: number; smallMigrations: number; rows: number; stallRows?: number[]; stallReaderMs?: number; fleetDbs?: number; quick: boolean; only: string[] | null; otherMaxTables: number | null; timeoutS: number; onceAfterS: number };
  machine: Machine;
  rows: RowResult[];
  /** Later partial runs (`--merge`) whose rows replaced this run's. */
  merged?: { at: string; rows: string[]; loadAverage: number[]; reps: number; revision?: string; sameBuild?: boolean }[];
}

/** The median (mean of the middle two for an even count). */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
