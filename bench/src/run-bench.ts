import { rmSync } from 'node:fs';
import { maskSecrets } from '@strata/core';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createBenchContext } from './bench-context.js';
import { buildFingerprint, sourceRevision } from './build-info.js';
import { openBenchServer } from './bench-server.js';
import { DataFixtures } from './data-fixtures.js';
import { describeMachine } from './machine.js';
import type { BenchOptions } from './options.js';
import type { BenchReport, RowResult, SideResult } from './results.js';
import { runScenario } from './run-scenario.js';
import { isSkipped } from './scenario.js';
import { ROWS } from './rows/catalog.js';
import type { RowEnv } from './rows/row-def.js';
import { SizeFixtures } from './size-fixtures.js';
import { SmallMigrations } from './small-migrations.js';
import { StallFixtures } from './stall/stall-fixtures.js';
import { BENCH_DIR, strataCommands } from './tools.js';

const unavailable = (label: string, note: string): SideResult => ({ label, status: 'unavailable', runs: [], medianMs: null, medianPeakKb: null, notes: [note] });

/**
 * Runs the benchmark: every selected row at every size, Strata and the other tool alternating,
 * each run on a fresh database or directory. Progress goes to `log`.
 *
 * @example
 * const report = await runBench(parseOptions(['--quick']), (l) => process.stderr.write(l + '\n'));
 */
export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const commands = strataCommands();
  const build = buildFingerprint();
  const strataRevision = sourceRevision();
  log(options.url ? 'using the given PostgreSQL server' : 'starting PostgreSQL…');
  const server = await openBenchServer(options.url);
  const workDir = join(BENCH_DIR, '.work', `run-${process.pid}-${Date.now()}`);
  const ctx = createBenchContext(server, workDir, options.timeoutS * 1000, log);
  const machine = describeMachine(server.version, server.settings);
  const rows: RowResult[] = [];
  try {
    const sizeFixtures = new Map<number, SizeFixtures>();
    const env: RowEnv = {
      ctx,
      fixtures: (size) => {
        let f = sizeFixtures.get(size);
        if (!f) sizeFixtures.set(size, (f = new SizeFixtures(ctx, size)));
        return f;
      },
      data: new DataFixtures(ctx, options.rows),
      small: new SmallMigrations(ctx, options.smallMigrations),
      stall: new StallFixtures(ctx, { sizes: options.stallRows, readerMs: options.stallReaderMs }),
      fleetDbs: options.fleetDbs,
    };
    const limits = { reps: options.reps, timeoutMs: options.timeoutS * 1000, onceAfterMs: options.onceAfterS * 1000, log };
    const selected = ROWS.filter((r) => !options.only || options.only.includes(r.id));
    // Size by size, so the fixtures of one size (databases of thousands of tables) are made once.
    const plan: { def: (typeof ROWS)[number]; size: number | null }[] = [
      ...options.sizes.flatMap((size) => selected.filter((r) => r.sized).map((def) => ({ def, size }))),
      ...selected.filter((r) => !r.sized).flatMap((def): { def: (typeof ROWS)[number]; size: number | null }[] => (def.ownSizes ? def.ownSizes(env).map((size) => ({ def, size })) : [{ def, size: null }])),
    ];
    for (const { def, size } of plan) {
      const missing = def.needs.filter((c) => !commands.has(c));
      const scenario = def.scenario(env, size ?? 0);
      const title = def.id === 'migrate-small' ? def.title.replace('N', String(options.smallMigrations)) : def.id === 'fleet' ? def.title.replace('N', String(options.fleetDbs)) : def.title;
      if (missing.length > 0) {
        rows.push({
          row: def.id, title, size: scenario.size,
          strata: unavailable(scenario.strata.label, `the built CLI has no \`${missing.join('`, `')}\` command yet`),
          other: unavailable(def.otherLabel, 'not run: nothing to compare with'),
          speedup: null,
        });
        log(`${def.id}: skipped (no strata ${missing.join(', ')} yet)`);
        continue;
      }
      // A side that is not applicable (drizzle-kit has no status) keeps saying so at every size.
      if (size !== null && options.otherMaxTables !== null && size > options.otherMaxTables && !isSkipped(scenario.other)) {
        scenario.other = { label: def.otherLabel, skipped: `not run above ${options.otherMaxTables.toLocaleString('en-US')} tables (--other-max-tables)` };
      }
      log(`${def.id}${size !== null ? ` @ ${size.toLocaleString('en-US')} ${def.sized ? 'tables' : 'rows'}` : ''}…`);
      let result: { strata: SideResult; other: SideResult };
      try {
        const timeoutMs = Math.max(limits.timeoutMs, (def.minTimeoutS ?? 0) * 1000);
        result = await runScenario(scenario, { ...limits, timeoutMs });
      } catch (e) {
        // A setup step failed (a fixture both sides need): the row shows why.
        const note = `setup failed: ${maskSecrets((e as Error).message).slice(0, 400)}`;
        log(`${def.id}: ${note}`);
        const failed = (label: string): SideResult => ({ label, status: 'failed', runs: [], medianMs: null, medianPeakKb: null, notes: [note] });
        result = { strata: failed(scenario.strata.label), other: failed(def.otherLabel) };
      }
      const { strata, other } = result;
      rows.push({
        row: def.id, title, size: scenario.size, strata, other,
        speedup: strata.medianMs && other.medianMs ? other.medianMs / strata.medianMs : null,
      });
    }
  } finally {
    await server.close().catch((e: Error) => log(`could not stop PostgreSQL cleanly: ${e.message}`));
    if (!options.keep) rmSync(workDir, { recursive: true, force: true });
    else log(`work directory kept: ${workDir}`);
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    options: {
      sizes: options.sizes, reps: options.reps, smallMigrations: options.smallMigrations, rows: options.rows, quick: options.quick,
      stallRows: options.stallRows, stallReaderMs: options.stallReaderMs, fleetDbs: options.fleetDbs,
      only: options.only, otherMaxTables: options.otherMaxTables, timeoutS: options.timeoutS, onceAfterS: options.onceAfterS,
    },
    machine: { ...machine, loadAverageEnd: loadavg().map((l) => Math.round(l * 100) / 100), strataRevision, buildFingerprint: build, buildChanged: buildFingerprint() !== build },
    rows,
  };
}
