import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sourceRevision } from '../build-info.js';
import { expect } from '../db-checks.js';
import { measure, type ProcessSpec } from '../measure.js';
import { createTableCount, upSqlFiles } from '../rows/row-def.js';
import { schemaSource } from '../schema-source.js';
import { BENCH_DIR, drizzleKit, drizzleKitVersion, strata, writeDrizzleConfig, writeStrataConfig } from '../tools.js';

/** The three commands of one round, each a fresh process on the same schema. */
export type FloorSide = 'floor' | 'strata' | 'drizzle-kit';
export const FLOOR_SIDES: readonly FloorSide[] = ['floor', 'strata', 'drizzle-kit'];

/** One side's wall times, in milliseconds, in the order they were run. */
export type FloorRuns = Record<FloorSide, number[]>;

interface FloorProject {
  spec: ProcessSpec;
  /** Removes what the previous run wrote, so every run starts from an empty folder. */
  reset(): void;
  /** Throws when the run did not do the whole work. */
  verify(stdout: string): void;
}

const TIMEOUT_MS = 120_000;

/**
 * Writes the schema of `tables` generated tables and the three projects that work on it under
 * `dir`: the floor script, `strata generate` and `drizzle-kit generate`, each from an empty folder.
 */
function floorProjects(dir: string, tables: number): Record<FloorSide, FloorProject> {
  mkdirSync(dir, { recursive: true });
  const schema = join(dir, 'schema.ts');
  writeFileSync(schema, schemaSource({ tables }));
  const sDir = join(dir, 'strata');
  const dDir = join(dir, 'drizzle-kit');
  mkdirSync(sDir, { recursive: true });
  mkdirSync(dDir, { recursive: true });
  const sOut = join(sDir, 'migrations');
  const dOut = join(dDir, 'drizzle');
  const sConfig = writeStrataConfig(sDir, { schema, out: sOut });
  const dConfig = writeDrizzleConfig(dDir, { schema, out: dOut });
  const wroteAll = (out: string, label: string) => {
    const files = upSqlFiles(out);
    expect(files.length === 1, `${label} wrote ${files.length} migrations, expected 1`);
    const n = createTableCount(readFileSync(files[0]!, 'utf8'));
    expect(n === tables, `${label} created ${n} tables, expected ${tables}`);
  };
  return {
    floor: {
      spec: { cmd: process.execPath, args: [join(BENCH_DIR, 'scripts/generate-floor-work.mjs'), schema], cwd: dir },
      reset: () => {},
      verify: (stdout) => expect(stdout.trim() === String(tables), `the floor script saw ${stdout.trim()} tables, expected ${tables}`),
    },
    strata: {
      spec: strata(['generate', '--name', 'init'], { cwd: sDir, config: sConfig }),
      reset: () => rmSync(sOut, { recursive: true, force: true }),
      verify: () => wroteAll(sOut, 'strata generate'),
    },
    'drizzle-kit': {
      spec: drizzleKit(['generate', '--name', 'init'], { config: dConfig }),
      reset: () => rmSync(dOut, { recursive: true, force: true }),
      verify: () => wroteAll(dOut, 'drizzle-kit generate'),
    },
  };
}

/**
 * Runs the three sides `reps` times each, rotating which goes first in every round so that a
 * drift in the machine's speed falls on all three alike, and checks every run did the work.
 *
 * @example
 * const runs = await measureFloor({ dir: '.work/floor-1000', tables: 1000, reps: 10, log: console.log });
 * median(runs.floor) / median(runs['drizzle-kit']) // => ~0.4
 */
export async function measureFloor(opts: { dir: string; tables: number; reps: number; log: (line: string) => void }): Promise<FloorRuns> {
  const projects = floorProjects(opts.dir, opts.tables);
  const runs: FloorRuns = { floor: [], strata: [], 'drizzle-kit': [] };
  for (let round = 0; round < opts.reps; round++) {
    const order = FLOOR_SIDES.map((_, i) => FLOOR_SIDES[(i + round) % FLOOR_SIDES.length]!);
    for (const side of order) {
      const p = projects[side];
      p.reset();
      const r = await measure(p.spec, TIMEOUT_MS);
      if (r.code !== 0) throw new Error(`${side} failed (exit ${r.code ?? r.signal}):\n${r.stderr.slice(0, 2000)}`);
      p.verify(r.stdout);
      runs[side].push(r.ms);
    }
    opts.log(`round ${round + 1}/${opts.reps}: ${FLOOR_SIDES.map((s) => `${s} ${(runs[s].at(-1)! / 1000).toFixed(2)} s`).join(', ')}`);
  }
  return runs;
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/**
 * The results page: each side's median and spread, each as a share of drizzle-kit's time, and
 * what the issue's target (half of drizzle-kit's time) leaves for Strata's own work.
 */
export function renderFloor(runs: FloorRuns, tables: number): string {
  const m = Object.fromEntries(FLOOR_SIDES.map((s) => [s, median(runs[s])])) as Record<FloorSide, number>;
  const dk = m['drizzle-kit'];
  const share = (ms: number) => (ms / dk).toFixed(2);
  const row = (side: FloorSide, what: string) =>
    `| ${what} | ${seconds(m[side])} | ${seconds(Math.min(...runs[side]))} – ${seconds(Math.max(...runs[side]))} | ${share(m[side])} |`;
  const load = loadavg().map((l) => l.toFixed(2)).join(' / ');
  return [
    `# generate at ${tables.toLocaleString('en-US')} tables: the floor under every drizzle-kit-compatible tool`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`node scripts/generate-floor.mjs --tables ${tables} --reps ${runs.floor.length}\`.`,
    '',
    `- Machine: ${cpus()[0]?.model.trim() ?? 'unknown'}, ${cpus().length} cores; Node ${process.version}; load average at the end ${load}.`,
    `- Strata built from ${sourceRevision()}; drizzle-kit ${drizzleKitVersion()}.`,
    `- ${runs.floor.length} rounds; each round runs the three commands one after another, each a fresh process, rotating which goes first. Wall clock from spawn to exit; the median is shown, with the fastest and slowest run.`,
    '- The floor is `scripts/generate-floor-work.mjs`: esbuild transforms the schema (started at once, beside loading drizzle-orm), the schema runs on drizzle-orm, and `getTableConfig` is called on every table. Any tool that reads drizzle schema code does at least this; it serializes, diffs and writes nothing.',
    '',
    '| command | median | fastest – slowest | ÷ drizzle-kit |',
    '|---|---|---|---|',
    row('floor', 'floor: transform, run the schema, getTableConfig'),
    row('strata', '`strata generate`'),
    row('drizzle-kit', '`drizzle-kit generate`'),
    '',
    `- Strata's own work (its median minus the floor's): ${seconds(m.strata - m.floor)}, ${share(m.strata - m.floor)} of drizzle-kit's time.`,
    `- Half of drizzle-kit's time is ${seconds(dk / 2)}: it leaves ${seconds(dk / 2 - m.floor)} (${share(dk / 2 - m.floor)} of drizzle-kit's time) for everything Strata does beyond the floor (loading the CLI and its config, serializing, diffing, writing the SQL and the snapshot).`,
    '',
  ].join('\n');
}
