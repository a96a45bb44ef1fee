import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchServer } from './bench-server.js';
import { isBuildRace } from './build-info.js';
import { measureRetrying, type ProcessResult, type ProcessSpec } from './measure.js';

/** What every row's setup shares: the server, a work directory, limits and logging. */
export interface BenchContext {
  server: BenchServer;
  /** Under `bench/` (so schema code resolves drizzle-orm); removed at the end of the run. */
  workDir: string;
  timeoutMs: number;
  log: (line: string) => void;
  /** A new empty directory under the work directory. */
  freshDir(prefix: string): string;
  /** Runs a setup process (untimed) and throws with its output when it fails. */
  exec(spec: ProcessSpec, what: string): Promise<ProcessResult>;
  /** Removes a directory made by freshDir. */
  removeDir(dir: string): void;
}

export function createBenchContext(server: BenchServer, workDir: string, timeoutMs: number, log: (line: string) => void): BenchContext {
  mkdirSync(workDir, { recursive: true });
  return {
    server,
    workDir,
    timeoutMs,
    log,
    freshDir: (prefix) => mkdtempSync(join(workDir, `${prefix}-`)),
    async exec(spec, what) {
      const r = await measureRetrying(spec, timeoutMs, isBuildRace, () => log(`${what}: the CLI was being rebuilt; trying again`));
      if (r.timedOut) throw new Error(`${what}: timed out after ${Math.round(timeoutMs / 1000)} s`);
      if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code ?? r.signal}): ${(r.stderr || r.stdout).trim().slice(-1500)}`);
      return r;
    },
    removeDir: (dir) => rmSync(dir, { recursive: true, force: true }),
  };
}
